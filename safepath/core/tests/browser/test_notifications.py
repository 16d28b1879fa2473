"""The notification centre in the browser: a referral to agency B shows in B's header count;
the worker opens the centre on a phone and on a desktop, marks one read, opens the other (which
leads to the referral), sets their preferences, and reads the centre in Arabic."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from safepath.accounts.models import Agency, User
from safepath.core.tests.browser.helpers import (
    PHONE,
    SHOTS_DIR,
    ConsoleLog,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    field,
    shot,
    sign_in,
)
from safepath.notify.models import Notification, Preference
from safepath.notify.tests.helpers import refer
from safepath.testing.factories import register_case

pytestmark = pytest.mark.browser


def _copy_shots(*names: str) -> None:
    target = SHOTS_DIR.parent / "shots-h-notify"
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SHOTS_DIR / f"{name}.png", target / f"{name}.png")


def test_notification_centre_on_a_phone_and_a_desktop(
    page: Page,
    console: ConsoleLog,
    browser: Browser,
    live_server: LiveServer,
    caseworker_a: User,
    caseworker_b: User,
    agency_b: Agency,
) -> None:
    first, second = register_case(caseworker_a), register_case(caseworker_a)
    refer(caseworker_a, first, agency_b)
    referral = refer(caseworker_a, second, agency_b, urgency="high")
    device = confirmed_device(caseworker_b)

    sign_in(page, caseworker_b, device)
    expect(page.get_by_test_id("unread-count")).to_have_text("2")
    click_and_wait(page, page.get_by_test_id("notifications-link"))
    items = page.get_by_test_id("notifications").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Urgent: A referral to your agency is due within 24 hours")
    expect(items.first).to_contain_text(second.reference)
    shot(page, "notifications-desktop")
    console.assert_clean()

    click_and_wait(page, items.nth(1).get_by_role("button", name="Mark as read"))
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    click_and_wait(page, items.first.get_by_role("button", name="Open"))
    expect(page).to_have_url(re.compile(rf"/referrals/{referral.id}/$"))
    expect(page.get_by_test_id("unread-count")).to_have_text("0")
    assert Notification.objects.filter(recipient=caseworker_b, read_at__isnull=True).count() == 0
    console.assert_clean()

    # the same person on a phone (the signed-in session carried over: a code is used once)
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport=PHONE,
        storage_state=page.context.storage_state(),
    )
    context.set_default_timeout(10_000)
    phone = context.new_page()
    phone_console = ConsoleLog()
    phone_console.watch(phone)
    phone.goto("/")
    click_and_wait(phone, phone.get_by_test_id("notifications-link"))
    assert_fits(phone, "notifications-phone")
    click_and_wait(phone, phone.get_by_role("link", name="Preferences"))
    field(phone, "Notifications that are not urgent").select_option("weekly")
    field(phone, "Send urgent ones by SMS too").check()
    field(phone, "Mobile number for SMS").fill("+254 700 000 222")
    field(phone, "Quiet hours from").fill("21:00")
    field(phone, "Quiet hours until").fill("07:00")
    field(phone, "Your time zone").fill("Africa/Nairobi")
    click_and_wait(phone, button(phone, "Save"))
    expect(phone.get_by_role("status")).to_contain_text("Your notification preferences are saved.")
    assert_fits(phone, "notification-preferences-phone")
    stored = Preference.objects.get(user=caseworker_b)
    assert (stored.frequency, stored.phone, stored.time_zone) == (
        "weekly",
        "+254700000222",
        "Africa/Nairobi",
    )
    phone_console.assert_clean()

    phone.get_by_label("Language").select_option("ar")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    phone.goto("/notifications/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("الإشعارات")
    assert_fits(phone, "notifications-phone-ar")
    phone_console.assert_clean()
    context.close()
    _copy_shots(
        "notifications-desktop",
        "notifications-phone",
        "notification-preferences-phone",
        "notifications-phone-ar",
    )
