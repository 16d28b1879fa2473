"""The alert queue, evidence, decisions and metrics through the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent
from safepath.finance.models import AlertDisposition, FinancialAlert
from safepath.finance.tests.app.conftest import engine_alert, hit
from safepath.testing.fixtures import api_client_for, web_client_for

Store = Callable[..., list[FinancialAlert]]


def _reads(alert: FinancialAlert) -> int:
    return AuditEvent.objects.filter(
        action="read", object_type="financial_alert", object_id=str(alert.id)
    ).count()


@pytest.mark.django_db
def test_queue_lists_the_agencys_alerts_by_score_and_audits_each(
    fiu_analyst: User, store_alerts: Store
) -> None:
    low, high, mid = store_alerts(
        fiu_analyst,
        engine_alert("C-1", score=40),
        engine_alert("C-2", score=95),
        engine_alert("C-3", score=60),
    )
    response = api_client_for(fiu_analyst).get("/api/v1/finance/alerts/")

    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["customer_id"] for row in rows] == ["C-2", "C-3", "C-1"]
    assert [row["score"] for row in rows] == [95, 60, 40]
    assert rows[0]["rules"] == ["HT-15"]
    assert rows[0]["status"] == "open"
    assert [_reads(a) for a in (low, high, mid)] == [1, 1, 1]


@pytest.mark.django_db
def test_queue_query_count_does_not_grow_with_alerts(
    fiu_analyst: User, store_alerts: Store
) -> None:
    client = api_client_for(fiu_analyst)
    store_alerts(fiu_analyst, engine_alert("C-1"))
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/finance/alerts/").status_code == 200
    store_alerts(
        fiu_analyst,
        *(engine_alert(f"C-{n}", hits=(hit("HT-15"), hit("HT-06"))) for n in range(2, 12)),
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/finance/alerts/")
    assert response.json()["count"] == 11
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
def test_detail_shows_rules_evidence_parameters_and_checklist(
    fiu_analyst: User, store_alerts: Store
) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert("C-0001"))
    response = api_client_for(fiu_analyst).get(f"/api/v1/finance/alerts/{alert.id}/")

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["customer_id"] == "C-0001"
    assert data["customer"] == {"customer_id": "C-0001"}
    (rule,) = data["hits"]
    assert rule["rule_id"] == "HT-15"
    assert rule["parameters"] == {"n": 3, "window_days": 14, "threshold": "10000.00"}
    assert rule["evidence_txn_ids"] == ["T-1", "T-2", "T-3"]
    assert [t["txn_id"] for t in rule["transactions"]] == ["T-1", "T-2", "T-3"]
    assert rule["transactions"][0]["amount"] == "9000.00"
    assert data["checklist"] == ["A third party speaks for the customer."]
    assert data["dispositions"] == []
    assert data["reports"] == []
    assert _reads(alert) == 1


@pytest.mark.django_db
def test_customer_and_evidence_are_ciphertext_in_the_database(
    fiu_analyst: User, store_alerts: Store
) -> None:
    store_alerts(fiu_analyst, engine_alert("C-SECRET-77"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT customer_id, customer_index, customer_record, evidence_transactions "
            "FROM finance_financialalert"
        )
        customer, index, record, evidence = cursor.fetchone()
        cursor.execute("SELECT evidence_txn_ids FROM finance_rulehit")
        (txn_ids,) = cursor.fetchone()
    for stored in (customer, record, evidence, txn_ids):
        assert stored.startswith("v1:"), stored
    assert "SECRET" not in f"{customer}{index}{record}{evidence}"
    assert len(index) == 32


def _dispose(client: Any, alert: FinancialAlert, **body: Any) -> Any:
    payload = {"decision": "report", "reason": "Cash structuring; funnel.", "version": 1, **body}
    return client.post(f"/api/v1/finance/alerts/{alert.id}/dispositions/", payload, format="json")


@pytest.mark.django_db
def test_disposition_is_recorded_with_reason_who_and_when(
    fiu_analyst: User, store_alerts: Store
) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert())
    client = api_client_for(fiu_analyst)

    response = _dispose(client, alert, decision="escalate")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["decision"], body["status"], body["version"]) == ("escalate", "escalated", 2)
    assert body["decided_by"] == "fiu.analyst"
    second = _dispose(client, alert, decision="not_suspicious", reason="Payroll.", version=2)
    assert second.status_code == 201
    history = list(AlertDisposition.objects.filter(alert=alert).values_list("decision", "reason"))
    assert history == [("escalate", "Cash structuring; funnel."), ("not_suspicious", "Payroll.")]
    events = AuditEvent.objects.filter(action="update", object_id=str(alert.id))
    assert [e.details["decision"] for e in events] == ["escalate", "not_suspicious"]
    alert.refresh_from_db()
    assert (alert.status, alert.version) == ("not_suspicious", 3)


@pytest.mark.django_db
def test_stale_version_is_a_409_and_changes_nothing(fiu_analyst: User, store_alerts: Store) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert())
    client = api_client_for(fiu_analyst)
    assert _dispose(client, alert, decision="escalate").status_code == 201

    stale = _dispose(client, alert, decision="not_suspicious", version=1)

    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert stale.json()["current_version"] == 2
    assert AlertDisposition.objects.filter(alert=alert).count() == 1
    alert.refresh_from_db()
    assert (alert.status, alert.version) == ("escalated", 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "   "}, "reason"),
        ({"decision": "ignore"}, "decision"),
        ({"version": 0}, "version"),
    ],
)
def test_a_decision_needs_a_reason_and_a_known_choice(
    fiu_analyst: User, store_alerts: Store, body: dict[str, Any], field: str
) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert())
    response = _dispose(api_client_for(fiu_analyst), alert, **body)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert not AlertDisposition.objects.exists()
    alert.refresh_from_db()
    assert (alert.status, alert.version) == ("open", 1)


@pytest.mark.django_db
def test_repeat_alert_for_the_same_customer_and_period_is_suppressed(
    fiu_analyst: User, bank_analyst: User, store_alerts: Store
) -> None:
    store_alerts(fiu_analyst, engine_alert("C-1"))
    again = store_alerts(
        fiu_analyst,
        engine_alert("C-1", start=date(2025, 3, 15), end=date(2025, 4, 14)),  # overlaps
        engine_alert("C-1", start=date(2025, 4, 1), end=date(2025, 4, 30)),  # next period
    )
    elsewhere = store_alerts(bank_analyst, engine_alert("C-1"))  # another agency's own view

    assert [a.period_start for a in again] == [date(2025, 4, 1)]
    assert len(elsewhere) == 1
    assert FinancialAlert.objects.filter(agency=fiu_analyst.agency).count() == 2


@pytest.mark.django_db
def test_metrics_per_rule_from_decisions(fiu_analyst: User, store_alerts: Store) -> None:
    a, b, c, _d = store_alerts(
        fiu_analyst,
        engine_alert("C-1", hits=(hit("HT-15"), hit("HT-06"))),
        engine_alert("C-2", hits=(hit("HT-15"),)),
        engine_alert("C-3", hits=(hit("HT-15"),)),
        engine_alert("C-4", hits=(hit("HT-06"),)),
    )
    client = api_client_for(fiu_analyst)
    assert _dispose(client, a, decision="report").status_code == 201
    assert _dispose(client, b, decision="not_suspicious").status_code == 201
    assert _dispose(client, c, decision="escalate").status_code == 201

    response = client.get("/api/v1/finance/metrics/")

    assert response.status_code == 200
    by_rule = {row["rule_id"]: row for row in response.json()}
    # store_alerts records one finished run of 200 customers screened.
    assert by_rule["HT-15"] == {
        "rule_id": "HT-15",
        "title": "HT-15 synthetic rule",
        "alerts": 3,
        "disposed": 3,
        "positive": 2,
        "reported": 1,
        "precision": round(2 / 3, 4),
        "alerts_per_1000_customers": round(3 * 1000 / 200, 3),
        "conversion_to_reports": round(1 / 3, 4),
    }
    assert by_rule["HT-06"]["alerts"] == 2
    assert by_rule["HT-06"]["precision"] == 1.0
    assert by_rule["HT-06"]["conversion_to_reports"] == 0.5


@pytest.mark.django_db
def test_report_is_generated_validated_stored_audited_and_downloaded(
    fiu_analyst: User, store_alerts: Store
) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert("C-0001"))
    client = api_client_for(fiu_analyst)
    url = f"/api/v1/finance/alerts/{alert.id}/reports/"
    early = client.post(url, {}, format="json")
    assert early.status_code == 400
    assert early.json()["code"] == "not_reported"
    assert _dispose(client, alert, decision="report").status_code == 201

    response = client.post(url, {}, format="json")

    assert response.status_code == 201, response.content
    report = response.json()
    assert report["valid"] is True, report["validation_errors"]
    assert report["profile"] == "test"
    download = client.get(report["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/xml"
    xml = download.content.decode()
    assert "<transactionnumber>T-1</transactionnumber>" in xml
    assert "C-0001" in xml
    assert str(alert.id) in xml  # the entity reference is our alert id
    assert AuditEvent.objects.filter(
        action="create", object_type="finance_report", object_id=report["id"]
    ).exists()
    assert AuditEvent.objects.filter(
        action="export", object_type="finance_report", object_id=report["id"]
    ).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM finance_alertreport")
        assert cursor.fetchone()[0].startswith("v1:")


@pytest.mark.django_db
def test_report_profile_must_be_a_shipped_one(fiu_analyst: User, store_alerts: Store) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert())
    client = api_client_for(fiu_analyst)
    assert _dispose(client, alert, decision="report").status_code == 201
    for profile in ["/etc/hosts.yaml", "nope"]:
        response = client.post(
            f"/api/v1/finance/alerts/{alert.id}/reports/", {"profile": profile}, format="json"
        )
        assert response.status_code == 400
        assert list(response.json()["fields"]) == ["profile"]


@pytest.mark.django_db
def test_sar_fields_are_the_second_profile(fiu_analyst: User, store_alerts: Store) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert())
    client = api_client_for(fiu_analyst)
    assert _dispose(client, alert, decision="report").status_code == 201

    response = client.post(
        f"/api/v1/finance/alerts/{alert.id}/reports/", {"profile": "fincen_sar"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["report_format"] == "sar_fields"
    download = client.get(response.json()["download"])
    assert download["Content-Type"] == "application/json"
    assert isinstance(json.loads(download.content), dict)


@pytest.mark.django_db
def test_search_by_customer_id_matches_exactly_through_the_blind_index(
    fiu_analyst: User, bank_analyst: User, store_alerts: Store
) -> None:
    (wanted,) = store_alerts(fiu_analyst, engine_alert("C-77"))
    store_alerts(fiu_analyst, engine_alert("C-778"))
    store_alerts(bank_analyst, engine_alert("C-77"))  # another agency's: never found
    client = api_client_for(fiu_analyst)

    response = client.post(
        "/api/v1/finance/alerts/search/", {"customer_id": " c-77 "}, format="json"
    )

    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [str(wanted.id)]
    assert _reads(wanted) == 1
    page = web_client_for(fiu_analyst).post("/finance/", {"customer_id": "C-77"})
    assert page.content.decode().count('href="/finance/alerts/') == 1
