"""Financial alerts in a real browser, on a 360-px phone: upload synthetic files, the queue,
the evidence, the decision, the goAML report.

Screenshots go to /tmp/safepath-shots/finance-*.png for a person to look at.
"""

from __future__ import annotations

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
    assert_accessible,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    field,
    open_menu,
    shot,
    sign_in,
)
from safepath.finance.models import AlertDisposition, AlertReport, FinancialAlert
from safepath.testing.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[3] / "finance" / "tests" / "app" / "data"


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer, console: ConsoleLog) -> Iterator[Page]:
    """A page in a new phone-sized context, closed afterwards (no connection left open)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    console.watch(page)
    yield page
    context.close()


@pytest.fixture
def fiu_analyst(transactional_db: None) -> User:
    fiu = AgencyFactory(name="FIU", code="fiu", agency_type=AgencyType.FIU)
    user: User = UserFactory(username="fiu.analyst", role=Role.FINANCIAL_ANALYST, agency=fiu)
    return user


def test_upload_queue_evidence_decision_and_report(
    phone: Page, console: ConsoleLog, fiu_analyst: User
) -> None:
    page = phone
    sign_in(page, fiu_analyst, confirmed_device(fiu_analyst))
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    open_menu(page)  # folded on a phone
    click_and_wait(page, nav.get_by_role("link", name="Financial alerts"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Financial alerts")
    expect(page.get_by_text("No alerts to show.")).to_be_visible()
    console.assert_clean()

    # Upload the synthetic files; the run screens them and shows its figures.
    click_and_wait(page, page.get_by_role("link", name="Screen transactions"))
    assert_fits(page, "finance-upload")
    field(page, "Transactions").set_input_files(DATA / "transactions.csv")
    field(page, "Customers").set_input_files(DATA / "customers.csv")
    click_and_wait(page, button(page, "Screen"))
    expect(page).to_have_url(re.compile(r"/finance/runs/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("run-status")).to_have_text("Done")
    expect(page.get_by_test_id("run-alerts")).to_have_text("1")
    assert_fits(page, "finance-run")
    console.assert_clean()

    # The queue, highest score first, leads to the evidence.
    click_and_wait(page, page.get_by_role("link", name="Open the alert queue"))
    rows = page.get_by_test_id("alert-queue").locator("tbody tr")
    expect(rows).to_have_count(1)
    assert_fits(page, "finance-queue")
    assert_accessible(page, "finance-queue")
    click_and_wait(page, rows.first.get_by_role("link", name="C-0001"))
    expect(page.get_by_test_id("alert-customer")).to_have_text("C-0001")
    hits = page.get_by_test_id("rule-hit")
    structuring = hits.filter(has_text="HT-15")
    expect(structuring).to_contain_text("Structuring below reporting thresholds")
    expect(structuring).to_contain_text("band")
    for txn in ("T-1", "T-2", "T-3"):  # named under the rule, listed once in the table
        expect(structuring.get_by_role("link", name=txn, exact=True)).to_be_visible()
        row = page.get_by_test_id("alert-transactions").locator(f"#txn-{txn.lower()}")
        expect(row).to_have_count(1)
        expect(row.get_by_role("cell").first).to_have_text(txn)
        expect(row.get_by_test_id("transaction-rules")).to_contain_text("HT-15")
    expect(page.get_by_test_id("checklist")).to_be_visible()
    assert_fits(page, "finance-evidence")
    assert_accessible(page, "finance-evidence")
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "finance-evidence-desktop")
    assert_accessible(page, "finance-evidence-desktop")
    page.set_viewport_size(PHONE)
    console.assert_clean()

    # A decision needs a reason; then 'report' is recorded and the report can be generated.
    page.get_by_label("Report to the financial intelligence unit").check()
    click_and_wait(page, button(page, "Record the decision"))
    expect(page.get_by_test_id("form-errors")).to_have_text(
        "Please correct the fields marked below."
    )
    assert not AlertDisposition.objects.exists()
    console.assert_clean(bad_request_ok=True)
    page.get_by_label("Report to the financial intelligence unit").check()
    field(page, "Reason").fill("Structured cash in three cities, wired abroad the next day.")
    click_and_wait(page, button(page, "Record the decision"))
    expect(page.get_by_test_id("alert-status")).to_have_text("To report")
    expect(page.get_by_test_id("decisions")).to_contain_text("fiu.analyst")

    click_and_wait(page, button(page, "Generate the goAML report"))
    expect(page.get_by_test_id("reports")).to_contain_text("valid against the schema")
    # Fetched with the page's session rather than clicked: a download aborts the navigation,
    # and the test server then closes its database connection from a second thread.
    link = page.get_by_role("link", name="Download the XML")
    expect(link).to_have_attribute("download", "")
    download = page.request.get(str(link.get_attribute("href")))
    assert download.status == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "<transactionnumber>T-1</transactionnumber>" in download.text()
    assert_fits(page, "finance-reported")
    console.assert_clean()

    # The metrics count the decision: one alert, decided 'report', for each rule that fired.
    click_and_wait(page, page.get_by_role("link", name="Rule metrics"))
    structuring_row = page.get_by_test_id("rule-metrics").locator("tr", has_text="HT-15")
    expect(structuring_row.get_by_role("cell")).to_have_text(
        ["1", "1", "100 %", "333.333", "100 %"]
    )
    assert_fits(page, "finance-metrics")
    console.assert_clean()

    alert = FinancialAlert.objects.get()
    assert alert.status == "reported"
    assert AlertReport.objects.get().valid
