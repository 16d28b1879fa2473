"""Registering a child from the web shell, and finding the case again in the list."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from safepath.accounts.models import User
from safepath.cases.models import Case
from safepath.core.tests.browser.helpers import (
    HOME,
    ConsoleLog,
    button,
    click_and_wait,
    confirmed_device,
    field,
    sign_in,
)
from safepath.testing.factories import register_case

pytestmark = pytest.mark.browser
CASE_PAGE = re.compile(r"/cases/[0-9a-f-]{36}/$")
REFERENCE = re.compile(r"^SP-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


def test_registering_a_child(page: Page, console: ConsoleLog, caseworker_a: User) -> None:
    other = register_case(caseworker_a, given_name="Baraka", family_name="Otherchild")
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    console.assert_clean()

    click_and_wait(page, page.get_by_role("link", name="Register a child"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a child")
    console.assert_clean()
    field(page, "Given name").fill("Halima")
    field(page, "Family name").fill("Browsertest")
    field(page, "Sex").select_option(label="Female")
    field(page, "Date of birth").fill("2011-03-09")
    field(page, "Date identified").fill("2025-06-02")
    field(page, "Forced labour").check()
    field(page, "Domestic servitude").check()
    click_and_wait(page, button(page, "Register"))

    expect(page).to_have_url(CASE_PAGE)
    case = Case.objects.exclude(pk=other.pk).get()
    assert page.url.endswith(f"/cases/{case.id}/")
    assert REFERENCE.match(case.reference)
    expect(page.get_by_test_id("case-reference")).to_have_text(case.reference)
    expect(page.get_by_test_id("child-name")).to_have_text("Halima Browsertest")
    assert case.child.given_name == "Halima"
    assert case.child.sex == "female"
    assert case.child.date_of_birth == datetime.date(2011, 3, 9)
    assert case.identified_on == datetime.date(2025, 6, 2)
    assert sorted(case.forms_of_exploitation) == ["domestic_servitude", "forced_labour"]
    console.assert_clean()

    click_and_wait(
        page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases")
    )
    rows = page.locator("#case-rows tbody tr")
    expect(rows).to_have_count(2)
    row = rows.filter(has_text=case.reference)
    expect(row.get_by_role("cell").nth(1)).to_have_text("Halima Browsertest")
    expect(row.get_by_role("link", name=case.reference)).to_have_attribute(
        "href", f"/cases/{case.id}/"
    )
    console.assert_clean()

    # A name search replaces the rows in place, and the name stays out of the address.
    field(page, "Name").fill("Halima")
    button(page, "Search").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(case.reference)
    assert "Halima" not in page.url
    console.assert_clean()

    click_and_wait(page, page.get_by_role("link", name="Home", exact=True))
    expect(page).to_have_url(HOME)
    expect(page.get_by_test_id("assigned-count")).to_have_text("2")


def test_a_child_without_a_given_name_is_not_registered(
    page: Page, console: ConsoleLog, caseworker_a: User
) -> None:
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    before = Case.objects.count()
    page.goto("/cases/new/")
    field(page, "Family name").fill("Nogivenname")
    field(page, "Forced labour").check()
    click_and_wait(page, button(page, "Register"))

    expect(page).to_have_url(re.compile(r"/cases/new/$"))
    expect(page.get_by_role("alert")).to_have_text("Please correct the fields marked below.")
    given = field(page, "Given name")
    expect(page.locator("#id_given_name_error")).to_have_text("This field is required.")
    expect(given).to_have_attribute("aria-invalid", "true")
    expect(given).to_have_accessible_description(re.compile("This field is required."))
    expect(field(page, "Family name")).to_have_value("Nogivenname")  # what was typed stays
    expect(field(page, "Forced labour")).to_be_checked()
    assert Case.objects.count() == before
    console.assert_clean(bad_request_ok=True)
