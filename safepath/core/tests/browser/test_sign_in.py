"""Signing in through the browser: password, then the second factor (existing or new)."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from safepath.accounts.models import User
from safepath.accounts.recovery import recovery_codes_issue
from safepath.core.tests.browser.helpers import (
    HOME,
    PHONE,
    SIGN_IN,
    TWO_FACTOR,
    ConsoleLog,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    device_code,
    enter_code,
    enter_password,
    field,
    sign_in,
    totp_code,
)
from safepath.testing.factories import register_case

pytestmark = pytest.mark.browser


def test_static_files_are_served_and_applied(page: Page, console: ConsoleLog) -> None:
    for path, content_type in [
        ("/static/safepath/safepath.css", "text/css"),
        ("/static/safepath/shell.js", "javascript"),
        ("/static/vendor/htmx/htmx.min.js", "javascript"),
    ]:
        response = page.request.get(path)
        assert response.status == 200, path
        assert content_type in response.headers["content-type"], path
    page.goto("/accounts/login/")
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 90, 115)"
    console.assert_clean()


def test_sign_in_with_an_authenticator_lands_on_home(
    page: Page, console: ConsoleLog, caseworker_a: User
) -> None:
    register_case(caseworker_a, given_name="Amina")
    register_case(caseworker_a, given_name="Baraka")
    device = confirmed_device(caseworker_a)

    page.goto("/")
    expect(page).to_have_url(SIGN_IN)  # signed out: home sends to sign-in
    console.assert_clean()
    enter_password(page, "caseworker.a")
    expect(page).to_have_url(TWO_FACTOR)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    expect(page.locator("code.secret")).to_have_count(0)  # no new key for an enrolled user
    console.assert_clean()
    page.goto("/cases/")  # identifying data stays closed until the second factor
    expect(page).to_have_url(TWO_FACTOR)

    enter_code(page, device_code(device))
    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, caseworker.a")
    expect(page.get_by_test_id("assigned-count")).to_have_text("2")
    visible = page.get_by_role("region", name="Cases you can see")
    expect(visible.locator(".stat")).to_have_text("2")
    expect(page.locator(".who")).to_have_text("caseworker.a")
    console.assert_clean()


def test_a_wrong_password_is_refused_on_the_sign_in_page(
    page: Page, console: ConsoleLog, caseworker_a: User
) -> None:
    enter_password(page, "caseworker.a", "not-the-password")
    expect(page).to_have_url(SIGN_IN)
    expect(page.get_by_role("alert")).to_have_text("The username or password is not right.")
    expect(field(page, "Username")).to_have_value("caseworker.a")
    expect(field(page, "Password")).to_have_value("")  # a password is never sent back
    console.assert_clean(bad_request_ok=True)
    page.goto("/")
    expect(page).to_have_url(SIGN_IN)  # still signed out
    console.assert_clean()


def _wrong_code(key: bytes) -> str:
    """A six-digit code the authenticator shows neither now nor two steps either side."""
    near = {totp_code(key, drift=drift) for drift in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)


def test_enrolling_a_new_authenticator(page: Page, console: ConsoleLog, caseworker_a: User) -> None:
    enter_password(page, "caseworker.a")
    expect(page).to_have_url(TWO_FACTOR)
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("code.secret")
    expect(secret).to_be_visible()
    shown = secret.inner_text().strip()
    key = base64.b32decode(shown)
    assert len(key) >= 10
    console.assert_clean()
    page.set_viewport_size(PHONE)  # the QR code and the key fit a phone screen
    assert_fits(page, "two-factor-enrol-en")

    # A wrong code is refused, and the same key is still shown (the app already holds it).
    enter_code(page, _wrong_code(key))
    expect(page.get_by_role("alert")).to_contain_text("That code is not right.")
    expect(page.locator("code.secret")).to_have_text(shown)
    console.assert_clean(bad_request_ok=True)
    assert not TOTPDevice.objects.filter(user=caseworker_a, confirmed=True).exists()

    # django-otp refuses every code for 1 s after a failure (doubling with each further one).
    time.sleep(1.1)
    enter_code(page, totp_code(key))
    # Next come the recovery codes that stand in for this phone if it is lost.
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    expect(page.get_by_test_id("recovery-remaining")).to_have_text(
        "You have 0 unused recovery codes."
    )
    click_and_wait(page, button(page, "Make new recovery codes"))
    codes = page.get_by_test_id("recovery-codes").locator("code")
    expect(codes).to_have_count(10)
    assert_fits(page, "recovery-codes-en")
    console.assert_clean()
    click_and_wait(page, page.get_by_role("link", name="I have kept them: continue"))
    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, caseworker.a")
    expect(page.get_by_test_id("assigned-count")).to_have_text("0")
    console.assert_clean()
    device = TOTPDevice.objects.get(user=caseworker_a)
    assert device.confirmed
    assert device.bin_key == key


def test_signing_out_needs_the_password_and_code_again(
    page: Page, console: ConsoleLog, caseworker_a: User
) -> None:
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    click_and_wait(page, button(page, "Sign out"))
    expect(page).to_have_url(SIGN_IN)
    page.goto("/cases/")
    expect(page).to_have_url(SIGN_IN)
    console.assert_clean()


def test_a_lost_phone_is_stood_in_for_by_a_recovery_code_once(
    page: Page, console: ConsoleLog, caseworker_a: User
) -> None:
    confirmed_device(caseworker_a)
    code = recovery_codes_issue(user=caseworker_a)[0]
    page.set_viewport_size(PHONE)
    enter_password(page, "caseworker.a")
    expect(page).to_have_url(TWO_FACTOR)
    page.get_by_text("Lost your phone? Use a recovery code").click()
    assert_fits(page, "two-factor-recovery-en")
    field(page, "Recovery code").fill(code)
    click_and_wait(page, button(page, "Use this recovery code"))
    expect(page.get_by_test_id("recovery-remaining")).to_have_text(
        "You have 9 unused recovery codes."
    )
    console.assert_clean()
    page.goto("/cases/")
    expect(page).to_have_url(re.compile(r"/cases/$"))

    click_and_wait(page, button(page, "Sign out"))
    enter_password(page, "caseworker.a")
    page.get_by_text("Lost your phone? Use a recovery code").click()
    field(page, "Recovery code").fill(code)
    click_and_wait(page, button(page, "Use this recovery code"))
    expect(page.get_by_role("alert")).to_have_text("That recovery code is not right, or was used.")
    console.assert_clean(bad_request_ok=True)
    page.goto("/cases/")
    expect(page).to_have_url(TWO_FACTOR)
