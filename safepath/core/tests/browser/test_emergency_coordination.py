"""A coordinator declares an emergency and watches the board; a service is marked closed and a
referral avoids it; a KoboToolbox export is imported; the risk map opens; family tracing goes
through the handbook's steps. Phone width and Arabic looked at."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.cases.services import consent_record
from safepath.core.tests.browser.helpers import (
    PHONE,
    ConsoleLog,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    enter_password,
    field,
    shot,
    sign_in,
)
from safepath.emergency.models import Emergency, Registration
from safepath.emergency.services.registration import registration_create
from safepath.emergency.tests.helpers import clean, values
from safepath.referrals.models import Service, ServiceProvider

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).resolve().parents[3] / "emergency" / "tests" / "fixtures"


@pytest.fixture
def coordinator(make_user: object, coordination: Agency) -> User:
    return make_user("coordinator", coordination, "coordinator")  # type: ignore[operator]


def test_declare_an_emergency_and_watch_the_board(
    page: Page, console: ConsoleLog, coordinator: User, caseworker_a: User
) -> None:
    registration_create(
        user=caseworker_a, record_id=uuid.uuid4(), values=clean(values()), channel=Channel.WEB
    )
    enter_password(page, coordinator.username)  # a coordinator reads no identifying data
    page.get_by_role("link", name="Emergencies").click()
    field(page, "Name").fill("Turkana floods")
    field(page, "Hazard").select_option("flood")
    field(page, "Country (two-letter code)").fill("KE")
    field(page, "Regions").fill("Turkana")
    field(page, "Starts on").fill((timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    click_and_wait(page, button(page, "Declare the emergency"))
    expect(page.get_by_test_id("board-registrations")).to_have_text("1")
    expect(page.get_by_test_id("board-no-care")).to_have_text("1")
    console.assert_clean()
    shot(page, "emergency-board-desktop")

    registration_create(  # a new registration shows on the board at its next refresh
        user=caseworker_a,
        record_id=uuid.uuid4(),
        values=clean(values(given_name="Ladu", care_status="separated")),
        channel=Channel.WEB,
    )
    expect(page.get_by_test_id("board-registrations")).to_have_text("2", timeout=40_000)
    assert Registration.objects.filter(emergency=Emergency.objects.get()).count() == 2
    page.set_viewport_size(PHONE)
    assert_fits(page, "emergency-board-phone")
    page.get_by_role("link", name="Service gaps by area").click()
    expect(page.get_by_test_id("gaps")).to_be_visible()
    assert_fits(page, "emergency-gaps-phone")
    console.assert_clean()


def test_a_service_marked_closed_is_avoided_by_a_referral(
    browser: Browser,
    live_server: LiveServer,
    page: Page,
    console: ConsoleLog,
    caseworker_a: User,
    caseworker_b: User,
    agency_b: Agency,
) -> None:
    case = registration_create(
        user=caseworker_a, record_id=uuid.uuid4(), values=clean(values()), channel=Channel.WEB
    ).case
    Case.objects.filter(pk=case.pk).update(forms_of_exploitation=["forced_labour"])
    provider = ServiceProvider.objects.create(name="Agency B", agency=agency_b, country="KE")
    shelter = Service.objects.create(
        provider=provider,
        name="Safe House Lodwar",
        service_type="shelter.emergency",
        country="KE",
        admin_area="Turkana",
    )
    sign_in(page, caseworker_b, confirmed_device(caseworker_b))
    page.goto("/referrals/services/")
    card = page.get_by_test_id(f"service-{shelter.id}")
    card.get_by_text("Report whether this service runs").click()
    card.get_by_label("Status now").select_option("closed")
    card.get_by_label("Note (hours, places left)").fill("Flooded")
    click_and_wait(page, card.get_by_role("button", name="Record the status"))
    expect(
        page.get_by_test_id(f"service-{shelter.id}").get_by_test_id("service-status")
    ).to_contain_text("Closed")
    console.assert_clean()

    worker = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    other = worker.new_page()
    console.watch(other)
    sign_in(other, caseworker_a, confirmed_device(caseworker_a))
    other.goto(f"/referrals/new/{case.id}/")
    skipped = other.get_by_test_id("closed-services")
    expect(skipped).to_contain_text("Skipped: these services reported themselves closed")
    expect(skipped).to_contain_text("Safe House Lodwar")
    expect(field(other, "Service").locator("option", has_text="Safe House Lodwar")).to_have_count(0)
    assert_fits(other, "referral-closed-service-phone")
    console.assert_clean()
    worker.close()


def test_import_a_kobotoolbox_export(page: Page, console: ConsoleLog, supervisor_a: User) -> None:
    sign_in(page, supervisor_a, confirmed_device(supervisor_a))
    page.get_by_role("link", name="ODK/Kobo import").click()
    field(page, "Export of the submissions (CSV or JSON)").set_input_files(
        str(FIXTURES / "kobo_bad.csv")
    )
    click_and_wait(page, button(page, "Import"))
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text("nothing was imported")
    expect(problems).to_contain_text("Row 4, form_version: unknown form version '2019.4'")
    assert Registration.objects.count() == 0
    console.assert_clean(bad_request_ok=True)
    field(page, "Export of the submissions (CSV or JSON)").set_input_files(
        str(FIXTURES / "kobo_submissions.csv")
    )
    click_and_wait(page, button(page, "Import"))
    expect(page.get_by_test_id("import-result")).to_contain_text("2 child(ren) registered")
    assert Registration.objects.filter(source="odk").count() == 2
    page.set_viewport_size(PHONE)
    assert_fits(page, "emergency-import-phone")
    console.assert_clean()


def test_the_risk_map_in_english_and_arabic(
    page: Page, console: ConsoleLog, coordinator: User
) -> None:
    from safepath.testing.fixtures import call_cli

    call_cli("emergency", "risk-import", str(FIXTURES / "inform_risk_2025_v070_sample.csv"))
    enter_password(page, coordinator.username)  # a coordinator reads no identifying data
    page.get_by_role("link", name="Risk map").click()
    expect(page.get_by_test_id("risk-map").locator("svg path[data-iso3='KEN']")).to_have_count(1)
    expect(
        page.get_by_test_id("risk-map").locator(
            "svg path.c0, svg path.c1, svg path.c2, svg path.c3, svg path.c4"
        )
    ).not_to_have_count(0)
    expect(page.get_by_test_id("risk-table")).to_contain_text("Kenya")
    expect(page.get_by_test_id("disclosure-note")).to_be_visible()
    console.assert_clean()
    shot(page, "emergency-risk-desktop")
    page.set_viewport_size(PHONE)
    assert_fits(page, "emergency-risk-phone")
    page.get_by_label("Language").select_option("ar")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_fits(page, "emergency-risk-phone-ar")
    console.assert_clean()


def test_tracing_through_verification_reunification_and_follow_up(
    page: Page, console: ConsoleLog, caseworker_a: User, agency_a: Agency
) -> None:
    case = registration_create(
        user=caseworker_a, record_id=uuid.uuid4(), values=clean(values()), channel=Channel.WEB
    ).case
    consent_record(
        user=caseworker_a, case=case, given_by="child", purpose="tracing", data_scope="Identity",
        recipient_agency=agency_a, given_on=timezone.localdate(), expires_on=None,
        channel=Channel.WEB,
    )  # fmt: skip
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    page.goto("/linkage/tracing/listings/")
    field(page, "Case number").fill(case.reference)
    field(page, "Region").fill("Turkana")
    click_and_wait(page, button(page, "List publicly"))
    reference = page.get_by_test_id("listings").locator(".public-ref").first.inner_text()
    page.goto("/tracing-lists/")
    expect(page.get_by_test_id("public-list")).to_contain_text(reference)
    expect(page.get_by_test_id("public-list")).not_to_contain_text("Nyakim")

    page.goto("/linkage/tracing/new/")
    field(page, "Child's given name").fill("Nyakim")
    field(page, "Child's family name").fill("Deng")
    field(page, "Name of the person looking").fill("Achol Deng")
    field(page, "Their relation to the child").fill("mother")
    click_and_wait(page, button(page, "Record"))
    click_and_wait(page, button(page, "Search children with consent to tracing"))

    def step(status: str) -> None:
        page.get_by_label("Next step").select_option(status)
        click_and_wait(page, button(page, "Record the step"))

    step("verifying")
    for party in ("family", "child"):
        page.get_by_label("Who confirms").select_option(party)
        page.get_by_label("Confirms the relationship").check()
        page.get_by_label("Consents to reunification").check()
        click_and_wait(page, button(page, "Record the verification"))
    step("verified")
    page.get_by_label("Next step").select_option("reunified")
    page.get_by_label("Date reunified (for the step “reunified”)").fill(
        timezone.localdate().isoformat()
    )
    click_and_wait(page, button(page, "Record the step"))
    step("closed")  # refused: no follow-up visit yet
    expect(page.get_by_role("status")).to_contain_text("follow-up visit")
    page.get_by_label("Date of the visit").fill(timezone.localdate().isoformat())
    click_and_wait(page, button(page, "Record the visit"))
    step("closed")
    expect(page.get_by_test_id("tracing-status")).to_have_text(
        "Closed after reunification and follow-up"
    )
    page.set_viewport_size(PHONE)
    assert_fits(page, "linkage-tracing-closed-phone")
    console.assert_clean()
