"""A cheap phone, 360 px wide: no sideways scrolling, the register form usable, LTR and RTL.

Screenshots go to /tmp/safepath-shots/ for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.cases.models import Case
from safepath.core.tests.browser.helpers import (
    PHONE,
    ConsoleLog,
    assert_accessible,
    assert_fits,
    click_and_wait,
    confirmed_device,
    shot,
    sign_in,
)
from safepath.referrals.tests.test_feedback_and_work import several
from safepath.testing.factories import register_case

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "ar"])
def test_phone_width(page: Page, console: ConsoleLog, caseworker_a: User, language: str) -> None:
    for given, family in [("Amina", "Testchild"), ("Wanjiku-Nyambura", "Kamau-Odhiambo-Achieng")]:
        register_case(caseworker_a, given_name=given, family_name=family)
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    assert_fits(page, f"sign-in-{language}-before")
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    if language == "ar":
        with page.expect_navigation():
            page.locator("#language-select").select_option("ar")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    expect(html).to_have_attribute("lang", language)
    console.assert_clean()

    page.goto("/")
    assert_fits(page, f"home-{language}")
    console.assert_clean()

    page.goto("/cases/")
    expect(page.locator("#case-rows tbody tr")).to_have_count(2)
    for link in page.locator("#case-rows tbody td:first-child a").all():  # one line each
        assert link.evaluate("e => e.getClientRects().length") == 1, link.inner_text()
    assert_fits(page, f"case-list-{language}")
    console.assert_clean()

    page.goto("/cases/new/")
    assert_fits(page, f"register-{language}")
    page.locator("#id_given_name").fill("Zawadi")
    page.locator("#id_family_name").fill("Phonetest")
    page.locator("#id_date_of_birth").fill("2013-01-20")
    page.locator("#id_forms_of_exploitation input[value=begging]").check()
    submit = page.locator("main form button[type=submit]")
    submit.scroll_into_view_if_needed()
    box = submit.bounding_box()
    assert box is not None
    assert box["width"] >= 44  # a target a thumb can hit
    assert box["height"] >= 44
    click_and_wait(page, submit)
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("child-name")).to_have_text("Zawadi Phonetest")
    assert Case.objects.count() == 3
    assert_fits(page, f"case-{language}")
    console.assert_clean()

    with page.expect_navigation():
        page.locator("form[action='/accounts/logout/'] button").click()
    assert_fits(page, f"sign-in-{language}-after")
    console.assert_clean()


HEADER_HEIGHT = "() => document.querySelector('.site-header').getBoundingClientRect().height"


def test_the_menu_folds_on_a_phone_opens_by_keyboard_and_stays_open_on_a_desktop(
    page: Page, console: ConsoleLog, supervisor_a: User
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, supervisor_a, confirmed_device(supervisor_a))
    menu = page.get_by_role("navigation", name="Main")
    toggle = page.get_by_test_id("nav-toggle")
    cases = menu.get_by_role("link", name="Cases")
    expect(toggle).to_be_visible()
    expect(cases).to_be_hidden()
    folded = page.evaluate(HEADER_HEIGHT)
    assert folded < 150, f"the folded header is {folded}px tall"  # was nine lines of links
    assert_fits(page, "menu-folded-phone")
    assert_accessible(page, "menu-folded-phone")

    toggle.focus()  # a <summary>: a button to the keyboard and to screen readers
    page.keyboard.press("Enter")
    expect(cases).to_be_visible()
    assert page.locator("details[data-nav-menu]").evaluate("e => e.open")
    assert_fits(page, "menu-open-phone")
    assert_accessible(page, "menu-open-phone")
    click_and_wait(page, cases)
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(cases).to_be_hidden()  # each page starts folded
    console.assert_clean()

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(toggle).to_be_hidden()
    expect(cases).to_be_visible()
    shot(page, "menu-desktop")
    console.assert_clean()


@pytest.mark.parametrize("script", ["on", "off"])
def test_the_menu_works_without_javascript(
    browser: Browser, warm_server: LiveServer, supervisor_a: User, script: str
) -> None:
    """No script: folded on a phone and opened by a tap; open on a desktop (CSS alone)."""
    context = browser.new_context(
        base_url=warm_server.url, viewport=PHONE, java_script_enabled=script == "on"
    )
    page = context.new_page()
    sign_in(page, supervisor_a, confirmed_device(supervisor_a))
    cases = page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases")
    expect(cases).to_be_hidden()
    page.get_by_test_id("nav-toggle").click()
    expect(cases).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.get_by_test_id("nav-toggle")).to_be_hidden()
    expect(cases).to_be_visible()
    context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_wide_tables_become_labelled_cards_on_a_phone(
    page: Page,
    console: ConsoleLog,
    caseworker_a: User,
    agency_b: Agency,
    make_user: Callable[..., User],
    language: str,
) -> None:
    """The case list, the history and the overdue referrals: one card a row, each value with
    its column's name, nothing cut off; the same tables stay tables on a desktop."""
    several(caseworker_a, agency_b, 2, late=1)
    supervisor_b = make_user(Role.SUPERVISOR, agency_b, "supervisor.b")
    case = Case.objects.order_by("created_at").first()
    assert case is not None
    page.set_viewport_size(PHONE)
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    if language == "ar":
        with page.expect_navigation():
            page.locator("#language-select").select_option("ar")
    for url, name in [("/cases/", "case-list"), (f"/cases/{case.id}/history/", "history")]:
        page.goto(url)
        table = page.locator("main table.stack").first
        expect(table.locator("thead")).to_have_css("position", "absolute")  # read, not shown
        first_cell = table.locator("tbody tr").first.locator("td").first
        label = first_cell.evaluate("e => getComputedStyle(e, '::before').content")
        assert label.strip('"') == first_cell.get_attribute("data-label")
        assert_fits(page, f"cards-{name}-{language}")
        assert_accessible(page, f"cards-{name}-{language}")
        page.set_viewport_size({"width": 1280, "height": 800})
        expect(table.locator("thead")).not_to_have_css("position", "absolute")
        shot(page, f"table-{name}-{language}-desktop")
        page.set_viewport_size(PHONE)
    console.assert_clean()
    if language == "ar":  # back to English, so that the next sign-in reads English labels
        with page.expect_navigation():
            page.locator("#language-select").select_option("en")
    with page.expect_navigation():
        page.locator("form[action='/accounts/logout/'] button").click()

    sign_in(page, supervisor_b, confirmed_device(supervisor_b))
    if language == "ar":
        with page.expect_navigation():
            page.locator("#language-select").select_option("ar")
    page.goto("/referrals/overdue/")
    rows = page.locator("main table.stack tbody tr")
    expect(rows).to_have_count(1)
    assert_fits(page, f"cards-overdue-referrals-{language}")
    assert_accessible(page, f"cards-overdue-referrals-{language}")
    console.assert_clean()
