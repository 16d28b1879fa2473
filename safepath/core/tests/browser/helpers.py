"""Helpers the browser tests share: labelled fields, two-factor codes, signing in."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import (
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    ViewportSize,
    expect,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from safepath.accounts.models import User
from safepath.testing.factories import PASSWORD

# /tmp/safepath-shots unless SAFEPATH_SHOTS_DIR names another folder (`make screenshots`)
SHOTS_DIR = Path(
    os.environ.get("SAFEPATH_SHOTS_DIR") or Path(tempfile.gettempdir()) / "safepath-shots"
)
HOME = re.compile(r"^http://[^/]+/$")
SIGN_IN = re.compile(r"/accounts/login/")
TWO_FACTOR = re.compile(r"/accounts/two-factor/")


class ConsoleLog:
    """Console errors (CSP violations among them), uncaught exceptions and failed requests.

    A page the server answers with an error status also logs "Failed to load resource"; that
    is checked as the page's status instead, since a rejected form is rightly answered 400.
    """

    def __init__(self) -> None:
        self._console: list[tuple[str, str]] = []
        self._other: list[str] = []
        self._documents: dict[str, int] = {}

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("response", self._on_response)
        page.on("pageerror", lambda error: self._other.append(f"uncaught: {error}"))
        page.on("requestfailed", self._on_request_failed)

    def _on_request_failed(self, request: Request) -> None:
        # A download or a new navigation cancels what the old page was still loading (often the
        # favicon): Chromium reports that as net::ERR_ABORTED, which is no fault of the page.
        if request.failure != "net::ERR_ABORTED":
            self._other.append(f"failed: {request.url} ({request.failure})")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self._console.append((message.text, message.location.get("url", "")))

    def _on_response(self, response: Response) -> None:
        if response.request.resource_type == "document":
            self._documents[response.url] = response.status

    def assert_clean(self, *, bad_request_ok: bool = False) -> None:
        """No errors since the last check; pages answered 2xx/3xx (or 400 when allowed)."""
        errors = list(self._other)
        for text, url in self._console:
            if url in self._documents and text.startswith("Failed to load resource"):
                continue
            # Chromium asks for /favicon.ico by itself; the app has none (reported), and that
            # 404 says nothing about the page under test.
            if url.endswith("/favicon.ico"):
                continue
            errors.append(f"console: {text} ({url})")
        allowed = {400} if bad_request_ok else set()
        errors += [
            f"page answered {status}: {url}"
            for url, status in self._documents.items()
            if status >= 400 and status not in allowed
        ]
        self._console.clear()
        self._other.clear()
        self._documents.clear()
        assert errors == [], "errors in the browser:\n" + "\n".join(errors)


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


def settle(page: Page) -> None:
    """Wait until the page has no request in flight (its images, charts, the service worker's
    fetches): a sign-out or the end of a test must not race a request the server is still
    answering, whose session it would then find deleted, or whose database it would share with
    the next test's set-up (SQLite's live server shares the test's connection)."""
    # a page that keeps a connection open has nothing more to wait for
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_load_state("networkidle", timeout=10_000)


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


PHONE: ViewportSize = {"width": 360, "height": 740}
CONTROLS = ", ".join(
    [
        *("main input", "main select", "main textarea", "main button", "main label"),
        *("main legend", "main img", "main code", "header a", "header select", "header button"),
    ]
)
OUTSIDE = """selector => [...document.querySelectorAll(selector)]
  .filter(e => e.type !== 'hidden' && e.getClientRects().length)
  .filter(e => { const b = e.getBoundingClientRect(); return b.left < 0 || b.right > innerWidth; })
  .map(e => e.id || e.name || e.textContent.trim())"""


def shot(page: Page, name: str) -> None:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS_DIR / f"{name}.png", full_page=True)


def assert_fits(page: Page, name: str) -> None:
    """At phone width: no sideways scrolling, every control on screen; then a screenshot."""
    scroll_width, inner_width = page_widths(page)
    assert inner_width == PHONE["width"]
    assert scroll_width <= inner_width, f"{name}: the page scrolls sideways ({scroll_width}px)"
    assert page.evaluate(OUTSIDE, CONTROLS) == [], f"{name}: controls outside the screen"
    shot(page, name)


# axe-core (bundled by axe-playwright-python, installed from the lock files): the rules of
# WCAG 2.0-2.2 A and AA plus axe's best practices; a page passes with nothing serious or worse.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}
BLOCKING = ("serious", "critical")


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def assert_accessible(page: Page, name: str) -> None:
    """axe-core finds nothing serious or critical on the page (``name`` says which)."""
    found = axe_violations(page)
    assert found == [], f"{name}: axe-core found\n" + "\n".join(found)


def open_menu(page: Page) -> None:
    """Below 600 px the main menu is folded: open it (a no-op when it is already open)."""
    menu = page.locator("details[data-nav-menu]")
    if menu.count() and not menu.evaluate("e => e.open"):
        page.get_by_test_id("nav-toggle").click()
