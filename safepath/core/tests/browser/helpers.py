"""Helpers the browser tests share: labelled fields, two-factor codes, signing in."""

from __future__ import annotations

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

from safepath.accounts.models import User
from safepath.testing.factories import PASSWORD

SHOTS_DIR = "/tmp/safepath-shots"
HOME = re.compile(r"^http://[^/]+/$")
SIGN_IN = re.compile(r"/accounts/login/")
TWO_FACTOR = re.compile(r"/accounts/two-factor/")


def field(page: Page, label: str) -> Locator:
    """The control whose visible label is exactly ``label`` (a required field's label ends in *)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}(\s*\*)?\s*$"))


def totp_code(key: bytes, *, step: int = 30, t0: int = 0, digits: int = 6, drift: int = 0) -> str:
    return f"{totp(key, step=step, t0=t0, digits=digits, drift=drift):0{digits}d}"


def device_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows right now."""
    return totp_code(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )


def confirmed_device(user: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def click_and_wait(page: Page, target: Locator) -> None:
    """Click, and return once the page it leads to has loaded (even at the same URL)."""
    with page.expect_navigation():
        target.click()


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def enter_password(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    field(page, "Username").fill(username)
    field(page, "Password").fill(password)
    click_and_wait(page, button(page, "Sign in"))


def enter_code(page: Page, code: str) -> None:
    field(page, "Six-digit code from your authenticator app").fill(code)
    click_and_wait(page, button(page, "Continue"))


def sign_in(page: Page, user: User, device: TOTPDevice) -> None:
    """Password, then the current code from ``device``; ends on the home page."""
    enter_password(page, user.username)
    expect(page).to_have_url(TWO_FACTOR)
    enter_code(page, device_code(device))
    expect(page).to_have_url(HOME)


def page_widths(page: Page) -> tuple[int, int]:
    """(scrollWidth, innerWidth) of the document, to compare."""
    widths: list[int] = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return widths[0], widths[1]
