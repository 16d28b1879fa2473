"""The field app with the network cut (Playwright's offline mode): register 20 children, close
and reopen the browser, restore the network, sync; then two devices edit the same child
offline: nothing lost, nothing silently overwritten, every conflict shown and resolved."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect
from pytest_django.live_server_helper import LiveServer

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.models import Case, CaseChange
from safepath.core.tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from safepath.core.tests.browser.helpers import (
    PHONE,
    ConsoleLog,
    assert_fits,
    button,
    confirmed_device,
    field,
    shot,
    sign_in,
)
from safepath.emergency.models import Registration, SyncConflict
from safepath.emergency.services.registration import registration_create
from safepath.emergency.tests.helpers import values

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSPHRASE = "correct horse battery"
FIELD = "/emergency/field/"


def _persistent(driver: Playwright, profile: Path, live_server: LiveServer) -> BrowserContext:
    context = driver.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        base_url=live_server.url,
        locale="en-GB",
        viewport=PHONE,
    )
    context.set_default_timeout(20_000)
    return context


def _wait_offline_ready(page: Page) -> None:
    """The service worker controls the page and keeps the field app's page."""
    page.wait_for_function(
        """async () => {
             if (!navigator.serviceWorker.controller) { return false; }
             const cache = await caches.open("safepath-pages");
             return !!(await cache.match("/emergency/field/"));
           }""",
        polling=200,
    )


def _set_up(page: Page) -> None:
    setup = page.get_by_test_id("vault-setup")
    expect(setup).to_be_visible()
    field(setup, "Passphrase").fill(PASSPHRASE)  # type: ignore[arg-type]
    field(setup, "Passphrase again").fill(PASSPHRASE)  # type: ignore[arg-type]
    button(page, "Protect and start").click()
    expect(page.get_by_test_id("registration-form")).to_be_visible()


def _unlock(page: Page) -> None:
    unlock = page.get_by_test_id("vault-unlock")
    expect(unlock).to_be_visible()
    field(unlock, "Passphrase").fill(PASSPHRASE)  # type: ignore[arg-type]
    button(page, "Open").click()
    expect(page.get_by_test_id("registration-form")).to_be_visible()


def _register(page: Page, number: int) -> None:
    field(page, "Given name (any script)").fill(f"Child{number:02d}")
    field(page, "Family name").fill("Offline")
    field(page, "Sex").select_option("female" if number % 2 else "male")
    field(page, "Age in years (estimate)").fill(str(3 + number % 14))
    field(page, "Is the child unaccompanied or separated?").select_option("unaccompanied")
    field(page, "Place of separation").fill("Lodwar bus park")
    field(page, "Risk level").select_option("high")
    field(page, "Country of registration (two-letter code)").fill("KE")
    field(page, "Region, province or county").fill("Turkana")
    page.get_by_label("Food and water").check()
    button(page, "Save on this device").click()
    expect(page.get_by_test_id("count-outbox")).to_have_text(str(number + 1))
    expect(page.get_by_test_id("status-line")).to_contain_text("Saved on this device")


def _wait_for_rows(count: Callable[[], int], expected: int, seconds: float = 60) -> None:
    """The page says the outbox is empty once the server answered; wait (bounded) until the
    server's writes are visible here too, so nothing is still in flight when the test ends."""
    deadline = time.monotonic() + seconds
    while count() != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert count() == expected


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "chromium-profile"
    path.mkdir()
    return path


def test_register_twenty_offline_restart_the_browser_and_sync(
    playwright_driver: Playwright,
    live_server: LiveServer,
    caseworker_a: User,
    profile: Path,
) -> None:
    device = confirmed_device(caseworker_a)
    context = _persistent(playwright_driver, profile, live_server)
    page = context.pages[0] if context.pages else context.new_page()
    console = ConsoleLog()
    console.watch(page)
    sign_in(page, caseworker_a, device)
    page.goto(FIELD)
    _set_up(page)
    _wait_offline_ready(page)
    console.assert_clean()

    context.set_offline(True)
    page.reload()  # the page comes from the service worker's cache now
    _unlock(page)
    expect(page.get_by_test_id("status-line")).to_contain_text("No network")
    for number in range(20):
        _register(page, number)
    expect(page.get_by_test_id("count-outbox")).to_have_text("20")
    assert_fits(page, "emergency-field-offline-phone")
    assert Registration.objects.count() == 0
    context.close()  # the browser is closed with 20 records waiting

    context = _persistent(playwright_driver, profile, live_server)
    context.set_offline(True)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(FIELD)
    _unlock(page)
    expect(page.get_by_test_id("count-outbox")).to_have_text("20")
    page.get_by_role("button", name="Waiting to send").click()
    expect(page.get_by_test_id("outbox-list").locator("li")).to_have_count(20)
    shot(page, "emergency-field-outbox-phone")

    context.set_offline(False)  # the network is back, but this browser's session is gone
    page.get_by_test_id("send-now").click()
    expect(
        page.get_by_text("Sign in again to send: your records stay on this device.")
    ).to_be_visible()
    sign_in_again = ConsoleLog()
    sign_in_again.watch(page)
    # a second authenticator: the first one's current code was used already (no replay)
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    page.goto(FIELD)
    _unlock(page)
    expect(page.get_by_test_id("count-outbox")).to_have_text("0", timeout=60_000)
    _wait_for_rows(lambda: Registration.objects.filter(registered_by=caseworker_a).count(), 20)
    assert Case.objects.filter(child__given_name_index__isnull=False).count() == 20
    names = sorted(
        r.case.child.given_name for r in Registration.objects.select_related("case__child")
    )
    assert names == [f"Child{n:02d}" for n in range(20)]
    page.get_by_role("button", name="My recent cases").click()
    expect(page.get_by_test_id("case-list").locator("li")).to_have_count(20)
    expect(page.get_by_test_id("case-list")).not_to_contain_text("not sent yet")
    sign_in_again.assert_clean()
    context.close()


def _device(browser: Browser, live_server: LiveServer, user: User) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, user, confirmed_device(user))
    page.goto(FIELD)
    _set_up(page)
    _wait_offline_ready(page)
    page.get_by_role("button", name="My recent cases").click()
    expect(page.get_by_test_id("case-list").locator("li")).to_have_count(1)
    return context, page


def _edit(page: Page, changes: dict[str, str]) -> None:
    page.get_by_role("button", name="My recent cases").click()
    page.get_by_test_id("case-list").get_by_role("button", name="Open").click()
    for label, value in changes.items():
        field(page, label).fill(value)
    button(page, "Save the change on this device").click()
    expect(page.get_by_test_id("status-line")).to_contain_text("Change saved on this device")


def test_two_devices_edit_the_same_child_offline_and_every_conflict_is_shown(
    browser: Browser, live_server: LiveServer, caseworker_a: User, console: ConsoleLog
) -> None:
    registration = registration_create(
        user=caseworker_a, record_id=uuid.uuid4(), values=_clean(values()), channel=Channel.WEB
    )
    phone, phone_page = _device(browser, live_server, caseworker_a)
    tablet, tablet_page = _device(browser, live_server, caseworker_a)
    console.watch(phone_page)
    console.watch(tablet_page)

    phone.set_offline(True)
    tablet.set_offline(True)
    _edit(
        phone_page,
        {
            "Site (camp, border point, centre)": "Clinic tent 3",
            "Who the child is with now": "An aunt, Nyaluak",
        },
    )
    _edit(
        tablet_page,
        {
            "Site (camp, border point, centre)": "School shelter",
            "Family's last known location": "Kakuma, block 9",
        },
    )

    phone.set_offline(False)
    expect(phone_page.get_by_test_id("count-outbox")).to_have_text("0")
    tablet.set_offline(False)
    expect(tablet_page.get_by_test_id("count-conflicts")).to_have_text("1")
    tablet_page.get_by_role("button", name="To check").click()
    conflict = tablet_page.get_by_test_id("conflict-list")
    expect(conflict).to_contain_text("Site (camp, border point, centre)")
    expect(conflict).to_contain_text("School shelter")
    expect(conflict).to_contain_text("Clinic tent 3")
    expect(conflict.locator("tbody tr")).to_have_count(1)  # the only field both changed
    assert_fits(tablet_page, "emergency-field-conflict-phone")
    registration.refresh_from_db()
    assert registration.site == "Clinic tent 3"  # nothing overwritten while the caseworker chooses
    assert registration.family_last_location == "Kakuma, block 4"

    conflict.get_by_label(
        "Keep the value from this device: Site (camp, border point, centre)"
    ).check()
    button(tablet_page, "Keep these choices").click()
    expect(tablet_page.get_by_test_id("count-conflicts")).to_have_text("0")
    expect(tablet_page.get_by_test_id("count-outbox")).to_have_text("0")

    registration.refresh_from_db()
    assert registration.site == "School shelter"
    assert registration.with_whom == "An aunt, Nyaluak"  # the phone's change kept
    assert registration.family_last_location == "Kakuma, block 9"  # the tablet's change kept
    kept = SyncConflict.objects.get(registration=registration)
    assert (kept.field, kept.server_value, kept.device_value, kept.chosen) == (
        "site",
        "Clinic tent 3",
        "School shelter",
        "device",
    )
    history = CaseChange.objects.get(case=registration.case, kind="emergency_conflict_resolved")
    assert (history.before, history.after) == (
        {"site": "Clinic tent 3"},
        {"site": "School shelter"},
    )
    console.assert_clean()
    phone.close()
    tablet.close()


def _clean(raw: dict[str, object]) -> dict[str, object]:
    from django.utils import timezone

    from safepath.emergency import fieldform

    clean, problems = fieldform.clean_values(
        fieldform.definition(), raw, today=timezone.localdate()
    )
    assert problems == []
    return clean


def test_the_field_app_in_arabic_on_a_phone(
    browser: Browser, live_server: LiveServer, caseworker_a: User
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    console = ConsoleLog()
    console.watch(page)
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    with page.expect_navigation():
        page.locator("#language-select").select_option("ar")
    page.goto(FIELD)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    setup = page.get_by_test_id("vault-setup")
    setup.locator("#setup-passphrase").fill(PASSPHRASE)
    setup.locator("#setup-confirm").fill(PASSPHRASE)
    setup.get_by_role("button").click()
    expect(page.get_by_test_id("registration-form")).to_be_visible()
    expect(page.get_by_test_id("registration-form")).to_contain_text("الاسم الأول")
    assert_fits(page, "emergency-field-phone-ar")
    console.assert_clean()
    context.close()
