"""A cheap phone, 360 px wide: no sideways scrolling, the register form usable, LTR and RTL.

Screenshots go to /tmp/safepath-shots/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from safepath.accounts.models import User
from safepath.cases.models import Case
from safepath.core.tests.browser.helpers import (
    PHONE,
    ConsoleLog,
    assert_fits,
    click_and_wait,
    confirmed_device,
    sign_in,
)
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
