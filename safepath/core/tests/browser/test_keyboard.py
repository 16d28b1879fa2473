"""Keyboard use of the sign-in page: skip link first, every control reachable and labelled."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from safepath.accounts.models import User
from safepath.core.tests.browser.helpers import (
    HOME,
    TWO_FACTOR,
    ConsoleLog,
    confirmed_device,
    device_code,
)
from safepath.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  const label = e.labels && e.labels.length ? e.labels[0] : null;
  return {
    tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, text: e.textContent.trim(),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    visible: box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= innerWidth,
    label: label ? label.textContent.trim() : null,
  };
}"""


def focused(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(FOCUSED)
    return result


def tab_until(page: Page, element_id: str, limit: int = 15) -> list[dict[str, Any]]:
    """Press Tab until the element with ``element_id`` has focus; the stops on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if stops[-1]["id"] == element_id:
            return stops
    pytest.fail(
        f"#{element_id} not reached in {limit} Tabs: {[s['id'] or s['text'] for s in stops]}"
    )


def test_the_skip_link_comes_first_and_skips_the_header(page: Page, console: ConsoleLog) -> None:
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["cls"] == "skip-link"
    assert first["text"] == "Skip to main content"
    assert first["visible"], "the focused skip link must be on screen"
    assert first["outline"], "the focused skip link must show a focus ring"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")  # the next stop is in the content, past the header
    assert focused(page)["id"] == "id_username"
    console.assert_clean()


def test_signing_in_with_the_keyboard_alone(
    page: Page, console: ConsoleLog, caseworker_a: User
) -> None:
    device = confirmed_device(caseworker_a)
    page.goto("/accounts/login/")
    stops = tab_until(page, "id_username")
    assert stops[0]["cls"] == "skip-link"
    for stop in stops[1:]:  # brand, language choice, its button: on screen, focus ring shown
        assert stop["visible"], stop
        assert stop["outline"], stop
    username = stops[-1]
    assert username["label"] == "Username *"
    assert username["outline"]
    expect(page.locator("label[for=id_username]")).to_be_visible()
    page.keyboard.type("caseworker.a")

    page.keyboard.press("Tab")
    password = focused(page)
    assert password["id"] == "id_password"
    assert password["label"] == "Password *"
    assert password["outline"]
    expect(page.locator("label[for=id_password]")).to_be_visible()
    page.keyboard.type(PASSWORD)

    page.keyboard.press("Tab")
    submit = focused(page)
    assert (submit["tag"], submit["text"]) == ("button", "Sign in")
    assert submit["visible"]
    assert submit["outline"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(TWO_FACTOR)
    console.assert_clean()

    code = tab_until(page, "id_code")[-1]
    assert code["label"] == "Six-digit code from your authenticator app *"
    page.keyboard.type(device_code(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field submits its form
    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("caseworker.a"))
    console.assert_clean()
