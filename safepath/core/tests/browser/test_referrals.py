"""A referral between agencies in the browser: caseworker A refers a case to agency B from the
referral page, with consent and the child's views; caseworker B accepts it, opens the case and
reports the outcome. On a phone-sized screen for B."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.cases.models import CaseShare
from safepath.cases.services import consent_record
from safepath.core.tests.browser.helpers import (
    PHONE,
    ConsoleLog,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    field,
    open_menu,
    sign_in,
)
from safepath.referrals.models import Referral, ReferralStatus, Service, ServiceProvider
from safepath.testing.factories import register_case

pytestmark = pytest.mark.browser
DETAIL = re.compile(r"/referrals/[0-9a-f-]{36}/$")


def test_refer_accept_and_report_outcome(
    page: Page,
    console: ConsoleLog,
    browser: Browser,
    live_server: LiveServer,
    caseworker_a: User,
    caseworker_b: User,
    agency_b: Agency,
) -> None:
    case = register_case(caseworker_a, forms_of_exploitation=["forced_labour"])
    consent_record(
        user=caseworker_a,
        case=case,
        given_by="guardian",
        purpose="referral",
        data_scope="Identity and trafficking facts",
        recipient_agency=agency_b,
        given_on=timezone.localdate(),
        expires_on=None,
        channel=Channel.WEB,
    )
    provider = ServiceProvider.objects.create(name="Agency B", agency=agency_b, country="KE")
    Service.objects.create(
        provider=provider,
        name="Safe House Nairobi",
        service_type="shelter.emergency",
        country="KE",
        city="Nairobi",
    )

    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    page.goto(f"/referrals/new/{case.id}/")
    expect(page.get_by_test_id("suggestions")).to_contain_text("Emergency shelter")
    console.assert_clean()
    field(page, "Service").select_option(label="Safe House Nairobi (Agency B, Nairobi)")
    field(page, "Urgency").select_option("high")
    field(page, "Why the child needs this service").fill("Needs a safe place tonight.")
    field(page, "Consent to refer").select_option(index=1)
    field(page, "The child's views on the referral, in their words").fill("I want to be safe.")
    field(page, "Language the child was informed in").fill("sw")
    field(page, "The child was informed in a way they understand").check()
    field(page, "How the child's views were weighed").fill("Her wish decided the shelter.")
    click_and_wait(page, button(page, "Send the referral"))
    expect(page).to_have_url(DETAIL)
    expect(page.get_by_test_id("referral-status")).to_have_text("Waiting for an answer")
    console.assert_clean()
    referral = Referral.objects.get(case=case)
    assert referral.receiving_agency == agency_b

    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    phone_console = ConsoleLog()
    phone_console.watch(phone)
    sign_in(phone, caseworker_b, confirmed_device(caseworker_b))
    main_menu = phone.get_by_role("navigation", name="Main")
    expect(main_menu.get_by_role("link", name="Referrals")).to_be_hidden()  # folded on a phone
    open_menu(phone)
    click_and_wait(phone, main_menu.get_by_role("link", name="Referrals"))
    assert_fits(phone, "referrals-list-phone")
    click_and_wait(phone, phone.get_by_role("link", name=case.reference))
    assert_fits(phone, "referral-detail-phone")
    click_and_wait(phone, button(phone, "Accept the referral"))
    expect(phone.get_by_test_id("referral-status")).to_have_text("Accepted")
    assert CaseShare.objects.filter(case=case, agency=agency_b).exists()
    phone_console.assert_clean()

    field(phone, "Outcome").select_option("delivered")
    field(phone, "Note").fill("Placed the same evening.")
    click_and_wait(phone, button(phone, "Report the outcome"))
    expect(phone.get_by_test_id("referral-outcome")).to_contain_text("Service delivered")
    click_and_wait(phone, phone.get_by_role("link", name="Open the case"))
    expect(phone).to_have_url(re.compile(rf"/cases/{case.id}/$"))
    phone.goto("/referrals/services/?service_type=shelter")
    expect(phone.get_by_test_id("service-results")).to_contain_text("Safe House Nairobi")
    assert_fits(phone, "service-directory-phone")
    phone_console.assert_clean()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.outcome_note == "Placed the same evening."
    context.close()
