"""The finance pages, without a browser: who gets them, forms, errors, the nav link."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent
from safepath.finance.home import nav_links
from safepath.finance.models import AlertDisposition, FinancialAlert, ScreeningRun
from safepath.finance.tests.app.conftest import DATA, engine_alert, hit
from safepath.testing.fixtures import web_client_for

Store = Callable[..., list[FinancialAlert]]


@pytest.mark.django_db
def test_analyst_sees_the_nav_link_queue_and_evidence(
    fiu_analyst: User, store_alerts: Store
) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert("C-0001"))
    client = web_client_for(fiu_analyst)

    home = client.get("/")
    assert 'href="/finance/"' in home.content.decode()
    queue = client.get("/finance/")
    assert queue.status_code == 200
    assert f'href="/finance/alerts/{alert.id}/"' in queue.content.decode()
    page = client.get(f"/finance/alerts/{alert.id}/").content.decode()
    for shown in ["HT-15 synthetic rule", "T-2", "window_days", "A third party speaks"]:
        assert shown in page
    assert AuditEvent.objects.filter(action="read", object_id=str(alert.id)).count() == 2


@pytest.mark.django_db
def test_alert_page_lists_each_transaction_once_with_its_rules(
    fiu_analyst: User, store_alerts: Store
) -> None:
    """Two rules sharing transactions: each shows once, in one table, naming both rules."""
    both = engine_alert(hits=(hit("HT-15", ("T-1", "T-2", "T-3")), hit("HT-22", ("T-3", "T-2"))))
    (alert,) = store_alerts(fiu_analyst, both)
    page = web_client_for(fiu_analyst).get(f"/finance/alerts/{alert.id}/").content.decode()
    assert page.count('data-testid="transaction"') == 3
    assert page.count('id="txn-t-2"') == 1
    rules = re.findall(r'data-testid="transaction-rules">([^<]*)<', page)
    assert rules == ["HT-15", "HT-15, HT-22", "HT-15, HT-22"]  # oldest first
    assert "1 Mar 2025, 23:10" in page  # the time as every page shows one
    assert 'href="#txn-t-3"' in page


@pytest.mark.django_db
def test_caseworker_has_no_link_and_every_page_is_404(
    caseworker_a: User, fiu_analyst: User, store_alerts: Store
) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert())
    client = web_client_for(caseworker_a)

    assert nav_links(caseworker_a) == []
    for url in [
        "/finance/",
        "/finance/runs/new/",
        f"/finance/runs/{alert.run_id}/",
        f"/finance/alerts/{alert.id}/",
        "/finance/metrics/",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/finance/alerts/{alert.id}/decide/",
        {"decision": "report", "reason": "x", "version": 1},
    )
    assert response.status_code == 404
    assert not AlertDisposition.objects.exists()
    assert not AuditEvent.objects.filter(actor_id=caseworker_a.id).exclude(action="login").exists()


@pytest.mark.django_db
def test_decision_form_records_and_a_stale_form_is_409(
    fiu_analyst: User, store_alerts: Store
) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert())
    client = web_client_for(fiu_analyst)
    url = f"/finance/alerts/{alert.id}/decide/"

    missing = client.post(url, {"decision": "report", "reason": "", "version": 1})
    assert missing.status_code == 400
    done = client.post(url, {"decision": "escalate", "reason": "Funnel pattern.", "version": 1})
    assert done.status_code == 302
    stale = client.post(url, {"decision": "report", "reason": "Late.", "version": 1})
    assert stale.status_code == 409
    assert "Someone decided on this alert" in stale.content.decode()
    assert list(AlertDisposition.objects.values_list("decision", flat=True)) == ["escalate"]


@pytest.mark.django_db
def test_upload_page_starts_a_run(
    fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    client = web_client_for(fiu_analyst)
    assert client.get("/finance/runs/new/").status_code == 200
    files = {
        name: SimpleUploadedFile(f"{name}.csv", (DATA / f"{name}.csv").read_bytes())
        for name in ("transactions", "customers")
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/finance/runs/new/", {**files, "base_currency": "usd"})

    run = ScreeningRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/finance/runs/{run.id}/"
    page = client.get(response["Location"]).content.decode()
    assert "Done" in page


@pytest.mark.django_db
def test_upload_page_names_the_missing_file(fiu_analyst: User) -> None:
    response = web_client_for(fiu_analyst).post("/finance/runs/new/", {"base_currency": "USD"})
    assert response.status_code == 400
    assert not ScreeningRun.objects.exists()
