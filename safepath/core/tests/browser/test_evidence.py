"""Statistics in the browser: a coordinator filters the dashboard and drafts a release; the
data-protection officer reviews and publishes it; the table and the chart download."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.core.tests.browser.helpers import (
    HOME,
    PHONE,
    ConsoleLog,
    assert_accessible,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    enter_password,
    sign_in,
)
from safepath.evidence.models import Release, ReleaseStatus
from safepath.evidence.tasks import cases_source_refresh
from safepath.testing.factories import register_case

pytestmark = pytest.mark.browser
RELEASE_PAGE = re.compile(r"/evidence/releases/[0-9a-f-]{36}/$")


@pytest.fixture
def statistics(tmp_path: Path, settings: object, caseworker_a: User) -> None:
    """Fourteen girls identified in 2024, three boys in 2025, in a store of this test only."""
    settings.EVIDENCE_STORE_PATH = tmp_path / "analysis.duckdb"  # type: ignore[attr-defined]
    for index in range(14):
        register_case(
            caseworker_a,
            given_name=f"Browsergirl{index}",
            sex="female",
            identified_on=datetime.date(2024, 4, 1),
        )
    for index in range(3):
        register_case(
            caseworker_a,
            given_name=f"Browserboy{index}",
            sex="male",
            date_of_birth=datetime.date(2009, 1, 1),
            identified_on=datetime.date(2025, 1, 1),
        )
    cases_source_refresh()


@pytest.fixture
def coordinator(make_user: Callable[..., User], coordination: Agency) -> User:
    return make_user(Role.COORDINATOR, coordination, "coordinator")


@pytest.fixture
def dpo(make_user: Callable[..., User], coordination: Agency) -> User:
    return make_user(Role.DATA_PROTECTION_OFFICER, coordination, "dpo")


def _assert_images_loaded(page: Page) -> None:
    """Every chart image arrived and decoded (an SVG blocked or broken has no width)."""
    images = page.locator("main img")
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()  # they load lazily
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("i => i.naturalWidth") > 0


def _go(page: Page, target: Locator) -> None:
    """Leave the page once its charts have loaded (leaving earlier cancels their requests)."""
    _assert_images_loaded(page)
    click_and_wait(page, target)


def _main_link(page: Page, name: str) -> None:
    _go(page, page.get_by_role("navigation", name="Main").get_by_role("link", name=name))


@pytest.mark.slow
def test_filter_draft_review_publish_download(
    page: Page, console: ConsoleLog, coordinator: User, dpo: User, statistics: None
) -> None:
    enter_password(page, coordinator.username)  # a coordinator reads no child's data: no 2FA
    expect(page).to_have_url(HOME)
    _main_link(page, "Statistics")
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics on identified children")
    table = page.get_by_test_id("table-by-year")
    expect(table.locator("td[data-suppressed=true]")).to_have_count(2)  # 3 boys, and the girls
    expect(page.get_by_test_id("chart-by-year")).to_have_attribute(
        "alt", re.compile("Identified cases by year")
    )
    console.assert_clean()

    # Filters travel in the address (categories only), and every chart follows them.
    filters = page.get_by_role("search", name="Filters")
    filters.get_by_label("Sex", exact=True).select_option(label="Female")
    _go(page, button(page, "Apply filters"))
    assert "sex=female" in page.url
    expect(table.get_by_role("row", name=re.compile("^2024"))).to_contain_text("14")
    _assert_images_loaded(page)
    console.assert_clean()

    # Draft a release of the filtered table, then send it for review.
    page.get_by_role("group", name="Break the figures down by").get_by_label(
        "Year identified"
    ).check()
    _go(page, button(page, "Save draft"))
    expect(page).to_have_url(RELEASE_PAGE)
    expect(page.get_by_test_id("release-status")).to_have_text("Draft")
    _assert_images_loaded(page)
    _go(page, button(page, "Send for review"))
    expect(page.get_by_test_id("release-status")).to_have_text("In review")
    _assert_images_loaded(page)
    release = Release.objects.get()
    assert release.parameters["where"] == {"sex": "female"}
    console.assert_clean()
    _go(page, button(page, "Sign out"))

    # The data-protection officer reviews and publishes.
    sign_in(page, dpo, confirmed_device(dpo))
    _main_link(page, "Statistics")
    _go(page, page.get_by_role("link", name="Releases", exact=True))
    _go(page, page.get_by_role("link", name=release.title))
    _go(page, page.get_by_role("link", name="Review this release"))
    methodology = page.get_by_test_id("methodology")
    expect(methodology).to_contain_text("k = ")
    expect(methodology.locator("h3").first).to_have_text(release.title)  # Markdown, rendered
    expect(methodology.locator("li").first).to_be_visible()
    expect(methodology).not_to_contain_text("## ")
    assert_accessible(page, "evidence-release-review")
    _assert_images_loaded(page)
    page.get_by_label("Approve for publication").check()
    _go(page, button(page, "Record decision"))
    _go(page, button(page, "Publish"))
    expect(page.get_by_test_id("release-status")).to_have_text("Published")
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED
    console.assert_clean()

    with page.expect_download() as table_download:
        page.get_by_test_id("download-csv").click()
    text = Path(table_download.value.path()).read_text(encoding="utf-8")
    assert "2024" in text
    assert "14" in text
    with page.expect_download() as chart_download:
        page.get_by_role("link", name="Chart as PNG").click()
    assert Path(chart_download.value.path()).read_bytes().startswith(b"\x89PNG")
    console.assert_clean()


def test_the_dashboard_fits_a_phone_and_works_by_keyboard(
    page: Page, console: ConsoleLog, coordinator: User, statistics: None
) -> None:
    enter_password(page, coordinator.username)  # a coordinator reads no child's data: no 2FA
    expect(page).to_have_url(HOME)
    page.set_viewport_size(PHONE)
    page.goto("/evidence/")
    _assert_images_loaded(page)
    assert_fits(page, "evidence-dashboard-phone")
    page.get_by_role("search", name="Filters").get_by_label("Year identified").focus()
    page.keyboard.press("ArrowDown")  # from "All" to the first year offered
    apply = button(page, "Apply filters")
    apply.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "year_identified=" in page.url
    console.assert_clean()
