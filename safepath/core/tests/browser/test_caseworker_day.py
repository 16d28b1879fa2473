"""A caseworker's day in the browser (issue 19), at desktop width and on a phone: a child
registered on the web pages gets a consent recorded on the case page, and is then referred."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from safepath.accounts.models import Agency, User
from safepath.cases.models import Case, Consent
from safepath.core.tests.browser.helpers import (
    PHONE,
    ConsoleLog,
    assert_accessible,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    field,
    shot,
    sign_in,
)
from safepath.core.tests.browser.test_case_workflow import TODAY, in_form, submit
from safepath.referrals.models import Referral

pytestmark = pytest.mark.browser
CASE_PAGE = re.compile(r"/cases/[0-9a-f-]{36}/$")


def register(page: Page, given: str, family: str, born: str = "2011-03-04") -> None:
    page.goto("/cases/new/")
    field(page, "Given name").fill(given)
    field(page, "Family name").fill(family)
    field(page, "Date of birth").fill(born)
    field(page, "Date identified").fill(TODAY)
    field(page, "Forced labour").check()
    click_and_wait(page, button(page, "Register"))


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_consent_recorded_on_the_case_page_lets_a_new_child_be_referred(
    page: Page, console: ConsoleLog, caseworker_a: User, agency_b: Agency, width: str
) -> None:
    if width == "phone":
        page.set_viewport_size(PHONE)
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    register(page, "Neema", "Consentday")
    expect(page).to_have_url(CASE_PAGE)
    case = Case.objects.get()
    expect(page.get_by_test_id("no-consent")).to_be_visible()

    # The referral form says a consent is missing, and leads to the case page to record it.
    click_and_wait(page, page.get_by_role("link", name="Refer to a service"))
    expect(page.get_by_test_id("consent-missing")).to_contain_text("none is recorded")
    expect(field(page, "Consent to refer").locator("option")).to_have_count(1)  # the blank one
    click_and_wait(page, page.get_by_role("link", name="Record it now on the case page"))
    expect(page).to_have_url(re.compile(rf"/cases/{case.id}/\?record=consent#consent$"))
    consent_form = page.get_by_test_id("form-consent")
    expect(consent_form).to_be_visible()  # opened for the user
    if width == "phone":
        assert_fits(page, "day-consent-form-phone")
    else:
        shot(page, "day-consent-form-desktop")

    # Nothing ticked: refused, with the reason beside the field, and nothing stored.
    in_form(page, "consent", "Who gave consent").select_option(label="Guardian")
    in_form(page, "consent", "Shared with").select_option(label=agency_b.name)
    in_form(page, "consent", "Which data, in the words used with the child").fill(
        "Her name, age and what she needs"
    )
    submit(page, "consent", "Record the consent")
    expect(page.get_by_test_id("form-consent")).to_contain_text("Tick at least one part")
    assert not Consent.objects.exists()
    console.assert_clean(bad_request_ok=True)

    consent_form = page.get_by_test_id("form-consent")
    consent_form.get_by_label("Identity: names, date of birth, nationality").check()
    consent_form.get_by_label("Case plan, tasks and reviews").check()
    in_form(page, "consent", "The child's own say").select_option(label="The child agrees")
    submit(page, "consent", "Record the consent")
    expect(page.get_by_role("status").first).to_contain_text("The consent is recorded")
    expect(page.get_by_test_id("consents")).to_contain_text("In force")
    expect(page.get_by_test_id("consents")).to_contain_text("The child agrees")
    consent = Consent.objects.get()
    assert (consent.given_by, consent.purpose, consent.recipient_agency) == (
        "guardian",
        "referral",
        agency_b,
    )
    assert consent.data_categories == ["identity", "plan"]
    assert consent.child_assent is True
    if width == "phone":
        assert_fits(page, "day-consent-recorded-phone")
    else:
        shot(page, "day-consent-recorded-desktop")

    # Now the referral goes through under that consent.
    click_and_wait(page, page.get_by_role("link", name="Refer to a service"))
    expect(page.get_by_test_id("consent-missing")).to_have_count(0)
    field(page, "Or an agency").select_option(label=agency_b.name)
    field(page, "Why the child needs this service").fill("Counselling after exploitation.")
    field(page, "Consent to refer").select_option(index=1)
    field(page, "The child's views on the referral, in their words").fill("I want to talk.")
    field(page, "Language the child was informed in").fill("sw")
    field(page, "The child was informed in a way they understand").check()
    field(page, "How the child's views were weighed").fill("She asked for it.")
    click_and_wait(page, button(page, "Send the referral"))
    referral = Referral.objects.get(case=case)
    assert referral.consent == consent
    assert referral.consent_pending is False
    console.assert_clean(bad_request_ok=True)


def test_withdrawing_a_consent_on_the_page_ends_it(
    page: Page, console: ConsoleLog, caseworker_a: User, agency_b: Agency
) -> None:
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    register(page, "Amani", "Withdrawday")
    page.locator("summary", has_text="Record consent or assent").click()
    in_form(page, "consent", "Who gave consent").select_option(label="The child")
    in_form(page, "consent", "Shared with").select_option(label=agency_b.name)
    page.get_by_test_id("form-consent").get_by_label("Case notes and documents").check()
    in_form(page, "consent", "Which data, in the words used with the child").fill("Notes")
    submit(page, "consent", "Record the consent")
    click_and_wait(page, button(page, "Withdraw this consent"))
    expect(page.get_by_test_id("consent-state")).to_have_text("Withdrawn")
    expect(button(page, "Withdraw this consent")).to_have_count(0)
    assert Consent.objects.get().withdrawn_at is not None
    console.assert_clean()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_register_twice_search_across_scripts_move_safely_and_read_the_history_in_arabic(
    page: Page, console: ConsoleLog, caseworker_a: User, width: str
) -> None:
    if width == "phone":
        page.set_viewport_size(PHONE)
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    register(page, "Mohammed", "Al-Rashid", born="2011-04-02")
    first = Case.objects.get()

    # The same child, registered again in Arabic script: warned, with a link to the first case.
    register(page, "محمد", "الرشيد", born="2011-04-02")
    expect(page.get_by_role("status").first).to_contain_text("looks like the same child")
    duplicates = page.get_by_test_id("duplicates")
    expect(duplicates.get_by_role("link", name=f"Case {first.reference}")).to_be_visible()
    if width == "phone":
        assert_fits(page, "day-duplicate-warning-phone")
    else:
        shot(page, "day-duplicate-warning-desktop")
    console.assert_clean()
    second_url = page.url

    # The stage control: nothing chosen, only what is ready now, what the others need.
    options = in_form(page, "move", "Move to").locator("option")
    expect(options.first).to_have_text("Choose the next stage")
    expect(options).to_have_text(["Choose the next stage", "Urgent protection", "Assessment"])
    closing = page.get_by_test_id("move").filter(has_text="Closed")
    expect(closing).to_contain_text("Only a supervisor closes a case.")
    submit(page, "move", "Move the case")  # nothing chosen: refused, nothing moves
    expect(page.get_by_test_id("case-status")).to_have_text("Registered")
    console.assert_clean(bad_request_ok=True)
    in_form(page, "move", "Move to").select_option(label="Assessment")
    submit(page, "move", "Move the case")
    expect(page.get_by_test_id("case-status")).to_have_text("Assessment")

    # A part of the name, in Latin letters, finds both records and says why.
    page.goto("/cases/")
    field(page, "Name").fill("Moham")
    button(page, "Search").click()
    rows = page.locator("#case-rows tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("match-reason")).to_have_text(
        ["Part of the name", "Sounds alike: another spelling or script"]  # best first
    )
    assert "Moham" not in page.url
    if width == "phone":
        assert_fits(page, "day-search-phone")
    else:
        shot(page, "day-search-desktop")
    console.assert_clean()

    # The history, in Arabic: titles and values in words, right to left.
    page.goto(second_url + "history/")
    with page.expect_navigation():
        page.get_by_label("Language").select_option(label="العربية")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    changes = page.get_by_test_id("change")
    expect(changes.filter(has_text="انتقل الملف إلى مرحلة أخرى")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("transition")
    if width == "phone":
        assert_fits(page, "day-history-arabic-phone")
    else:
        shot(page, "day-history-arabic-desktop")
    console.assert_clean()


def _in(page: Page, testid: str, name: str) -> Locator:
    """A control by its name inside the element marked ``testid``: the walk below runs in
    English and in Arabic, so it finds controls by name and checks words through gettext."""
    form = page.get_by_test_id(testid)
    prefix = testid.removeprefix("form-")  # the case pages' forms are prefixed by their action
    return form.locator(f"[name={name}], [name='{prefix}-{name}']")


def _say(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def _check(page: Page, console: ConsoleLog, name: str, width: str) -> None:
    """Every stop of the walk: fits a phone (or is photographed), axe-core finds nothing
    serious, the browser logged no error."""
    if width == "phone":
        assert_fits(page, name)
    else:
        shot(page, name)
    assert_accessible(page, name)
    console.assert_clean()


@pytest.mark.slow
@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_whole_day_in_english_and_arabic(
    browser: Browser,
    warm_server: LiveServer,
    page: Page,
    console: ConsoleLog,
    caseworker_a: User,
    caseworker_b: User,
    agency_b: Agency,
    language: str,
    width: str,
) -> None:
    """Register twice (warned), record a consent, refer to agency B, accept there (first on
    B's home page), search a part of the name in the other script, read the history in Arabic
    and move the case with the safe stage control; at 360 px and 1280 px, in English and
    Arabic, with axe-core on every page."""
    tag = f"whole-day-{language}-{width}"
    if width == "phone":
        page.set_viewport_size(PHONE)
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    if language == "ar":
        with page.expect_navigation():
            page.locator("#language-select").select_option("ar")
    expect(page.locator("html")).to_have_attribute("lang", language)
    _check(page, console, f"{tag}-home-a", width)

    # Register, then the same child again in the other script: warned, with a link.
    for given, family in [("Mohammed", "Al-Rashid"), ("محمد", "الرشيد")]:
        page.goto("/cases/new/")
        page.locator("#id_given_name").fill(given)
        page.locator("#id_family_name").fill(family)
        page.locator("#id_date_of_birth").fill("2011-04-02")
        page.locator("#id_identified_on").fill(TODAY)
        page.locator("#id_forms_of_exploitation input[value=forced_labour]").check()
        click_and_wait(page, page.locator("main form button[type=submit]"))
        expect(page).to_have_url(CASE_PAGE)
    first, second = Case.objects.order_by("created_at")
    expect(
        page.get_by_test_id("duplicates").locator(f"a[href='/cases/{first.id}/']")
    ).to_be_visible()
    _check(page, console, f"{tag}-duplicate-warning", width)
    case_url = page.url

    # The consent, on the case page, then the referral to agency B under it.
    page.goto(case_url + "?record=consent#consent")
    _in(page, "form-consent", "given_by").select_option("guardian")
    _in(page, "form-consent", "recipient_agency").select_option(str(agency_b.id))
    for category in ("identity", "plan"):
        _in(page, "form-consent", "data_categories").and_(
            page.locator(f"[value={category}]")
        ).check()
    _in(page, "form-consent", "data_scope").fill("الاسم والعمر" if language == "ar" else "Name")
    click_and_wait(page, page.get_by_test_id("form-consent").locator("button[type=submit]"))
    expect(page.get_by_test_id("consents")).to_contain_text(_say(language, "In force"))
    _check(page, console, f"{tag}-consent", width)

    page.goto(f"/referrals/new/{second.id}/")
    page.locator("[name=receiving_agency]").select_option(str(agency_b.id))
    page.locator("[name=reason]").fill("Counselling.")
    page.locator("[name=consent]").select_option(index=1)
    page.locator("[name=views]").fill("I want to talk.")
    page.locator("[name=informed_language]").fill("sw")
    page.locator("[name=informed_in_understandable_manner]").check()
    page.locator("[name=weight_given]").fill("She asked for it.")
    _check(page, console, f"{tag}-refer", width)
    click_and_wait(page, page.locator("main form button[type=submit]"))
    referral = Referral.objects.get(case=second)
    _check(page, console, f"{tag}-referred", width)

    # Agency B: the waiting referral is the first thing on its home page; accepted there.
    other = browser.new_context(
        base_url=warm_server.url,
        locale="en-GB",  # signs in in English (the helper reads English labels), then switches
        viewport=PHONE if width == "phone" else {"width": 1280, "height": 800},
    )
    other.set_default_timeout(10_000)
    b_page = other.new_page()
    b_console = ConsoleLog()
    b_console.watch(b_page)
    sign_in(b_page, caseworker_b, confirmed_device(caseworker_b))
    if language == "ar":
        with b_page.expect_navigation():
            b_page.locator("#language-select").select_option("ar")
    first_item = b_page.get_by_test_id("work-items").locator("li").first
    expect(first_item).to_have_attribute("data-key", "referrals-waiting")
    expect(first_item.get_by_test_id("work-count")).to_contain_text("1")
    _check(b_page, b_console, f"{tag}-home-b", width)
    click_and_wait(b_page, first_item.get_by_role("link"))
    click_and_wait(b_page, b_page.get_by_role("link", name=second.reference))
    _check(b_page, b_console, f"{tag}-referral-b", width)
    click_and_wait(b_page, b_page.locator(f"form[action$='/{referral.id}/accept/'] button"))
    referral.refresh_from_db()
    assert referral.status == "accepted"
    _check(b_page, b_console, f"{tag}-accepted-b", width)
    other.close()

    # A part of the name in the other script finds both records, and says why.
    page.goto("/cases/")
    page.locator("main [name=name]").fill("محم" if language == "en" else "Moham")
    page.locator("main form[role=search] button[type=submit]").click()
    expect(page.locator("#case-rows tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("match-reason")).to_have_count(2)
    _check(page, console, f"{tag}-search", width)

    # The stage control: nothing chosen; a blank submit moves nothing; then Assessment.
    page.goto(case_url)
    target = _in(page, "form-move", "target")
    expect(target.locator("option:checked")).to_have_attribute("value", "")
    click_and_wait(page, page.get_by_test_id("form-move").locator("button[type=submit]"))
    second.refresh_from_db()
    assert second.status == "registered"
    console.assert_clean(bad_request_ok=True)
    _in(page, "form-move", "target").select_option("assessment")
    click_and_wait(page, page.get_by_test_id("form-move").locator("button[type=submit]"))
    second.refresh_from_db()
    assert second.status == "assessment"
    _check(page, console, f"{tag}-moved", width)

    # The history, in Arabic whatever the walk's language: the move in words.
    if language == "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option("ar")
    page.goto(case_url + "history/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    changes = page.get_by_test_id("change")
    expect(changes.filter(has_text="انتقل الملف إلى مرحلة أخرى")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("transition")
    _check(page, console, f"{tag}-history-ar", width)
