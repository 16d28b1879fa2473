"""The online-safety path in a real browser, as a new user would walk it (issue 11, "done when"):

a public report on a phone with no account; a supervisor imports a hash bank; an analyst finds
the report at the top of the queue, hashes a set of harmless test images against the bank,
assesses, sends a notice, watches its timer escalate (the clock injected into the escalation
task), confirms removal and exports the CyberTipline-style file.

Screenshots go to /tmp/safepath-shots/online-*.png (phone and desktop) for a person to look at.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from safepath.accounts.models import User
from safepath.accounts.roles import AgencyType, Role
from safepath.core.tests.browser.helpers import (
    PHONE,
    ConsoleLog,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    field,
    shot,
    sign_in,
)
from safepath.online import services
from safepath.online.models import HashBank, Notice, OnlineReport, ReportMedia
from safepath.online.reports import validate_cybertip
from safepath.online.tests import images
from safepath.online.tests.app.conftest import KNOWN_SEEDS, SMALL, bank_text
from safepath.testing.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DESKTOP = {"width": 1280, "height": 900}


def _context(browser: Browser, live_server: LiveServer, console: ConsoleLog, size: dict) -> Page:  # type: ignore[type-arg]
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=size)
    context.set_default_timeout(20_000)
    page = context.new_page()
    console.watch(page)
    return page


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer, console: ConsoleLog) -> Iterator[Page]:
    page = _context(browser, live_server, console, PHONE)  # type: ignore[arg-type]
    yield page
    page.context.close()


@pytest.fixture
def desktop(browser: Browser, live_server: LiveServer, console: ConsoleLog) -> Iterator[Page]:
    page = _context(browser, live_server, console, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def people(transactional_db: None, settings: object) -> dict[str, User]:
    hotline = AgencyFactory(name="National Hotline", code="hotline", agency_type=AgencyType.HOTLINE)
    settings.ONLINE_INTAKE_AGENCY = "hotline"  # type: ignore[attr-defined]
    return {
        "analyst": UserFactory(
            username="hotline.analyst", role=Role.HOTLINE_ANALYST, agency=hotline
        ),
        "supervisor": UserFactory(
            username="hotline.supervisor", role=Role.HOTLINE_SUPERVISOR, agency=hotline
        ),
    }


def test_report_assess_match_notice_escalate_remove_export(
    phone: Page, desktop: Page, console: ConsoleLog, people: dict[str, User], tmp_path: Path
) -> None:
    # 1. A member of the public reports on a phone, without an account.
    page = phone
    page.goto("/online/report/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report child sexual abuse")
    page.get_by_label("Image", exact=True).check()
    field(page, "Web address (URL)").fill("https://img.example.org/gallery/42")
    field(page, "Where and what (no names needed)").fill("A gallery page, seen today.")
    page.get_by_label("A child is in danger now").check()
    assert_fits(page, "online-public-report")
    click_and_wait(page, button(page, "Send the report"))
    expect(page).to_have_url(re.compile(r"/online/report/thanks/$"))
    reference = page.get_by_test_id("report-reference").inner_text().strip()
    assert re.fullmatch(r"HR-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", reference)
    assert reference not in page.url
    assert_fits(page, "online-public-thanks")
    click_and_wait(page, page.get_by_role("link", name="Check the status"))
    field(page, "Your report reference").fill(reference)
    click_and_wait(page, button(page, "Check"))
    expect(page.get_by_test_id("report-status")).to_contain_text("Received, waiting for an analyst")
    assert reference not in page.url
    console.assert_clean()

    # 2. The hotline's supervisor imports a bank of known hashes (harmless generated images).
    bank_file = tmp_path / "known-items.txt"
    bank_file.write_bytes(bank_text())
    desk = desktop
    sign_in(desk, people["supervisor"], confirmed_device(people["supervisor"]))
    desk.goto("/online/banks/")
    field(desk, "Hash list").set_input_files(bank_file)
    field(desk, "Bank name").fill("known-items")
    field(desk, "Source").fill("Test suite: generated shapes, noise and text")
    field(desk, "Licence or terms").fill("Test use only")
    desk.get_by_label("Who may match").select_option("sector")
    click_and_wait(desk, button(desk, "Import"))
    expect(desk.get_by_test_id("bank-count")).to_have_text(str(2 * len(KNOWN_SEEDS)))
    shot(desk, "online-desktop-banks")
    console.assert_clean()

    # 3. The analyst, on a phone, finds the report first in the queue.
    sign_in(page, people["analyst"], confirmed_device(people["analyst"]))
    page.goto("/online/")
    queue = page.get_by_test_id("report-queue")
    expect(queue.get_by_role("listitem").first).to_contain_text("Child in danger")
    assert_fits(page, "online-queue")
    click_and_wait(page, queue.get_by_role("link").first)
    expect(page.get_by_test_id("report-status")).to_have_text("Received")

    # 4. Hash the test images against the bank: copies of banked items match, others do not.
    files = []
    for seed in KNOWN_SEEDS[:2]:
        path = tmp_path / f"copy-{seed}.jpg"
        path.write_bytes(images.half_size_jpeg(seed, **SMALL))
        files.append(path)
    unrelated = tmp_path / "unrelated.png"
    unrelated.write_bytes(images.png(4242, **SMALL))
    files.append(unrelated)
    field(page, "Files to hash").set_input_files(files)
    click_and_wait(page, button(page, "Hash and match"))
    table = page.get_by_test_id("media-table")
    expect(table.get_by_text("known-items")).to_have_count(2)
    expect(page.get_by_text("Triage signal, not a finding").first).to_be_visible()
    assert page.locator("main img").count() == 0  # the media is never shown
    assert ReportMedia.objects.count() == 3
    assert_fits(page, "online-hashes")
    console.assert_clean()

    # 5. Assess (ICCAM classification and hosting).
    page.get_by_label("Baseline: illegal internationally (INTERPOL criteria)").check()
    field(page, "Apparent age group").select_option("prepubescent")
    field(page, "Hosting country (ISO code)").fill("NL")
    field(page, "Hosting provider").fill("Example Hosting BV")
    click_and_wait(page, button(page, "Record the assessment"))
    expect(page.get_by_test_id("report-status")).to_have_text("Assessed")
    expect(page.get_by_test_id("assessment")).to_contain_text("Baseline")

    # 6. Send a notice to the hosting country's hotline.
    field(page, "Send to").select_option("hotline")
    field(page, "Recipient (organisation)").fill("Hotline NL")
    click_and_wait(page, button(page, "Send a notice"))
    expect(page.get_by_test_id("notice-status")).to_have_text("Sent, awaiting removal")
    expect(page.get_by_test_id("notice-escalation")).to_contain_text("none")
    assert_fits(page, "online-notice")

    # 7. The timer escalates: the escalation task runs with the clock moved on.
    notice = Notice.objects.get()
    services.notices_escalate_overdue(now=notice.sent_at + datetime.timedelta(hours=25))
    page.reload()
    expect(page.get_by_test_id("notice-escalation")).to_contain_text("level 1")
    services.notices_escalate_overdue(now=notice.sent_at + datetime.timedelta(hours=73))
    page.reload()
    expect(page.get_by_test_id("notice-escalation")).to_contain_text("level 2")
    expect(page.get_by_test_id("timeline")).to_contain_text("Escalated (level 2)")

    # 8. Removal confirmed: the timers stop.
    click_and_wait(page, button(page, "Confirm removal"))
    expect(page.get_by_test_id("notice-status")).to_have_text("Removal confirmed")
    expect(page.get_by_test_id("report-status")).to_have_text("Removal confirmed")

    # 9. Export the CyberTipline-style file and check it against SafePath's schema.
    click_and_wait(page, button(page, "Export a CyberTipline-style file"))
    link = page.get_by_test_id("export-link")
    expect(link).to_have_attribute("download", "")
    download = page.request.get(str(link.get_attribute("href")))
    assert download.status == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert validate_cybertip(download.body()) == []
    text = download.text()
    assert "<fileViewedByEsp>false</fileViewedByEsp>" in text
    assert 'knownMatch bank="known-items"' in text
    assert '<event step="removal_confirmed"' in text
    assert_fits(page, "online-report-done")
    console.assert_clean()

    # 10. The reporter sees that action was taken; the same page on a desktop, for the record.
    desk.goto(f"/online/reports/{OnlineReport.objects.get().id}/")
    shot(desk, "online-desktop-report")
    assert HashBank.objects.get().name == "known-items"
    page.context.clear_cookies()
    page.goto("/online/status/")
    field(page, "Your report reference").fill(reference)
    click_and_wait(page, button(page, "Check"))
    expect(page.get_by_test_id("report-status")).to_contain_text("Action was taken")
    console.assert_clean()
