"""Browser fixtures: one Chromium per session, a fresh context (cookies, storage) per test.

Playwright drives Debian's Chromium; ``playwright install`` is never needed (or allowed).
Every page is watched for console errors, which include Content-Security-Policy violations.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
        page.on("requestfailed", lambda request: self._other.append(f"failed: {request.url}"))

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


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, console: ConsoleLog) -> Iterator[Page]:
    """A page in a new context, pointed at the live server, English, desktop width."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    console.watch(page)
    yield page
    context.close()
