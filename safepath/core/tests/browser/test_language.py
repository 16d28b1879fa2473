"""Switching language from the header: right-to-left for Arabic, with and without JavaScript.

Arabic translations are still being written, so only ``lang`` and ``dir`` are checked here.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from safepath.core.tests.browser.helpers import SIGN_IN, ConsoleLog, click_and_wait

pytestmark = pytest.mark.browser


def test_choosing_arabic_turns_the_page_right_to_left_and_back(
    page: Page, console: ConsoleLog
) -> None:
    page.goto("/accounts/login/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    console.assert_clean()

    # shell.js submits the form as soon as the choice changes; no button is pressed.
    with page.expect_navigation():
        page.get_by_label("Language").select_option(label="العربية")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page).to_have_url(SIGN_IN)  # back on the page the switch was made from
    expect(page.locator("#language-select")).to_have_value("ar")
    console.assert_clean()

    page.goto("/accounts/login/")  # the choice is remembered
    expect(html).to_have_attribute("dir", "rtl")

    with page.expect_navigation():
        page.locator("#language-select").select_option("en")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page).to_have_url(SIGN_IN)
    console.assert_clean()


def test_the_change_button_switches_language_without_javascript(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        html = page.locator("html")
        page.get_by_label("Language").select_option(label="العربية")
        expect(html).to_have_attribute("dir", "ltr")  # nothing happens until the button
        click_and_wait(page, page.get_by_role("button", name="Change", exact=True))
        expect(html).to_have_attribute("lang", "ar")
        expect(html).to_have_attribute("dir", "rtl")
        expect(page).to_have_url(SIGN_IN)
    finally:
        context.close()
