"""Browser fixtures: one Chromium per session, a fresh context (cookies, storage) per test.

Playwright drives Debian's Chromium; ``playwright install`` is never needed (or allowed).
Every page is watched for console errors, which include Content-Security-Policy violations.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from safepath.core.tests.browser.helpers import ConsoleLog, settle

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


_close_context = BrowserContext.close


def _close_when_settled(self: BrowserContext, *args: Any, **kwargs: Any) -> None:
    """Every context (the fixtures' and the tests' own) closes only once its pages have no
    request in flight: a request the live server is still answering when the test ends would
    otherwise meet the next test's set-up (SQLite's live server shares the test's database
    connection), which made later browser tests fail in the whole suite only."""
    for open_page in self.pages:
        settle(open_page)
    _close_context(self, *args, **kwargs)


BrowserContext.close = _close_when_settled  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"the browser tests need Debian's Chromium at {CHROMIUM}")
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def warm_server(live_server: LiveServer) -> LiveServer:
    """The server's first answer loads every app's URLs and catalogues (seconds on a busy
    machine): asked once here, so that no test's page timeout pays for it."""
    with urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=120):  # noqa: S310
        pass
    return live_server


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(browser: Browser, warm_server: LiveServer, console: ConsoleLog) -> Iterator[Page]:
    """A page in a new context, pointed at the live server, English, desktop width."""
    context = browser.new_context(
        base_url=warm_server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    console.watch(page)
    yield page
    context.close()
