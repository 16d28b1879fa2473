"""The access trail of a case and the child's access report, on a 360 px phone and a 1280 px
screen, left-to-right and right-to-left. Screenshots go to /tmp/safepath-shots/."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.core.tests.browser.helpers import (
    PHONE,
    ConsoleLog,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    field,
    shot,
    sign_in,
)
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.browser
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
LANGUAGES = {"en": "Access trail", "ar": "سجل الاطلاع"}  # the case page's link


def _read_with_reasons(case_id: object, *readers: tuple[User, str]) -> None:
    for user, purpose in readers:
        api_client_for(user).get(f"/api/v1/cases/{case_id}/", HTTP_X_ACCESS_PURPOSE=purpose)


def _choose(page: Page, language: str) -> None:
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_supervisor_opens_the_trail_from_the_case(
    page: Page, console: ConsoleLog, caseworker_a: User, supervisor_a: User, language: str
) -> None:
    case = register_case(caseworker_a, given_name="Neema", family_name="Trailtest")
    _read_with_reasons(
        case.id,
        (caseworker_a, "Home visit planning before the family meeting next week"),
        (supervisor_a, "Monthly case review"),
    )
    sign_in(page, supervisor_a, confirmed_device(supervisor_a))
    _choose(page, language)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(f"/cases/{case.id}/")
        expect(page.get_by_test_id("trail-link")).to_have_text(LANGUAGES[language])
        click_and_wait(page, page.get_by_test_id("trail-link"))
        expect(page).to_have_url(re.compile(rf"/cases/{case.id}/access/$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
        expect(page.get_by_test_id("trail-entry").first).to_be_visible()
        expect(page.get_by_text("Home visit planning before the family meeting")).to_be_visible()
        assert "Neema" not in page.content()
        if size == PHONE:
            assert_fits(page, f"trail-{language}-phone")
        else:
            shot(page, f"trail-{language}-desktop")
        console.assert_clean()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_officer_finds_a_trail_and_makes_the_childs_report(
    page: Page,
    console: ConsoleLog,
    make_user: Callable[..., User],
    coordination: Agency,
    caseworker_a: User,
    caseworker_b: User,
    language: str,
) -> None:
    dpo = make_user(Role.DATA_PROTECTION_OFFICER, coordination, "dpo")
    case = register_case(caseworker_a)
    _read_with_reasons(case.id, (caseworker_a, "Preparing the referral to a shelter"))
    sign_in(page, dpo, confirmed_device(dpo))
    _choose(page, language)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto("/cases/access/")
        if size == PHONE:
            assert_fits(page, f"trail-lookup-{language}-phone")
        if language == "en":
            field(page, "Case reference").fill(case.reference)
            click_and_wait(page, button(page, "Show the access trail"))
        else:
            page.locator("#id_reference").fill(case.reference)
            click_and_wait(page, page.locator("main form button[type=submit]"))
        expect(page).to_have_url(re.compile(rf"/cases/{case.id}/access/$"))
        click_and_wait(page, page.get_by_test_id("report-link"))
        expect(page.get_by_test_id("report-entry").first).to_be_visible()
        expect(page.get_by_text("Preparing the referral to a shelter")).to_be_visible()
        report = page.get_by_test_id("report").inner_text()
        assert caseworker_a.username not in report
        assert "Agency A" in report
        if size == PHONE:
            assert_fits(page, f"access-report-{language}-phone")
        else:
            shot(page, f"access-report-{language}-desktop")
        with page.expect_download() as download:
            page.get_by_test_id("report-download").click()
        saved = download.value.path()
        text = saved.read_text(encoding="utf-8-sig")
        assert "Preparing the referral to a shelter" in text
        assert caseworker_a.username not in text
        console.assert_clean()
