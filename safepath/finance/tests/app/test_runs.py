"""Screening runs through the API: upload, the engine in the task, alerts stored, files gone."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent
from safepath.finance.models import FinancialAlert, RuleHit, ScreeningRun
from safepath.finance.tests.app.conftest import DATA
from safepath.finance.uploads import upload_dir
from safepath.notify.models import Notification
from safepath.testing.fixtures import api_client_for


def _files(**replace: bytes) -> dict[str, Any]:
    contents = {
        "transactions": (DATA / "transactions.csv").read_bytes(),
        "customers": (DATA / "customers.csv").read_bytes(),
        **replace,
    }
    return {
        name: SimpleUploadedFile(f"{name}.csv", body, content_type="text/csv")
        for name, body in contents.items()
    }


def _upload(user: User, capture: Callable[..., Any], files: dict[str, Any] | None = None) -> Any:
    with capture(execute=True):
        return api_client_for(user).post(
            "/api/v1/finance/runs/",
            {**(files or _files()), "base_currency": "USD"},
            format="multipart",
        )


@pytest.mark.django_db
def test_upload_screens_stores_explained_alerts_and_forgets_the_files(
    fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    response = _upload(fiu_analyst, django_capture_on_commit_callbacks)

    assert response.status_code == 201, response.content
    run = ScreeningRun.objects.get()
    assert response.json()["id"] == str(run.id)
    assert run.status == "done", run.problems
    assert (run.customers_screened, run.transactions_screened) == (3, 6)
    transactions = (DATA / "transactions.csv").read_bytes()
    assert run.files["transactions"] == {
        "sha256": hashlib.sha256(transactions).hexdigest(),
        "size": len(transactions),
        "format": "csv",
    }
    assert not upload_dir(run.id).exists()
    alert = FinancialAlert.objects.get()
    assert (alert.customer_id, alert.agency_id, alert.run_id) == (
        "C-0001",
        fiu_analyst.agency_id,
        run.id,
    )
    assert run.alerts_raised == 1
    [note] = Notification.objects.filter(recipient=fiu_analyst)  # the analysts are told
    assert (note.kind, note.link) == ("finance_alert", f"/finance/runs/{run.id}/")
    hits = {h.rule_id: h for h in RuleHit.objects.filter(alert=alert)}
    assert "HT-15" in hits
    assert set(hits["HT-15"].evidence_txn_ids) == {"T-1", "T-2", "T-3"}
    kept = {row["txn_id"] for row in alert.evidence_transactions}
    assert kept == {t for h in hits.values() for t in h.evidence_txn_ids}
    assert "T-4" not in kept
    assert "T-5" not in kept
    assert alert.customer_record["residence_city"] == "Nairobi"
    audit = set(AuditEvent.objects.values_list("action", "object_type"))
    assert {
        ("create", "finance_run"),
        ("update", "finance_run"),
        ("create", "financial_alert"),
    } <= audit


@pytest.mark.slow
@pytest.mark.django_db
def test_the_same_files_again_raise_no_repeat_alert(
    fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _upload(fiu_analyst, django_capture_on_commit_callbacks)
    second = _upload(fiu_analyst, django_capture_on_commit_callbacks)

    assert second.status_code == 201
    run = ScreeningRun.objects.get(pk=second.json()["id"])
    assert (run.status, run.alerts_raised, run.alerts_suppressed) == ("done", 0, 1)
    assert FinancialAlert.objects.count() == 1


@pytest.mark.django_db
def test_bad_input_names_file_row_and_field_and_stores_no_alert(
    fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    lines = (DATA / "transactions.csv").read_text().splitlines()
    lines[2] = lines[2].replace("9200.00", "nine thousand")
    response = _upload(
        fiu_analyst,
        django_capture_on_commit_callbacks,
        _files(transactions="\n".join(lines).encode()),
    )

    assert response.status_code == 201
    run = ScreeningRun.objects.get()
    assert run.status == "failed"
    assert any(p["row"] == 3 and p["field"] == "amount" for p in run.problems), run.problems
    assert {p["file"] for p in run.problems} == {"transactions.csv"}
    shown = api_client_for(fiu_analyst).get(f"/api/v1/finance/runs/{run.id}/").json()
    assert shown["problems"] == run.problems
    assert not FinancialAlert.objects.exists()
    assert not upload_dir(ScreeningRun.objects.get().id).exists()


@pytest.mark.django_db
def test_wrong_file_types_are_refused_before_anything_is_kept(
    fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    files = _files()
    files["customers"] = SimpleUploadedFile("customers.exe", b"MZ", content_type="text/plain")
    response = _upload(fiu_analyst, django_capture_on_commit_callbacks, files)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["customers"]
    assert not ScreeningRun.objects.exists()
    assert not AuditEvent.objects.filter(object_type="finance_run").exists()


@pytest.mark.django_db
def test_a_run_waits_for_the_worker_until_the_upload_commits(
    fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_client_for(fiu_analyst).post(
            "/api/v1/finance/runs/", _files(), format="multipart"
        )
    assert response.json()["status"] == "queued"
    assert len(callbacks) == 1
    run = ScreeningRun.objects.get()
    assert sorted(p.name for p in upload_dir(run.id).iterdir()) == [
        "customers.csv.sealed",
        "transactions.csv.sealed",
    ]
    # waiting for the worker, the bank's rows are not on disk in the clear
    kept = (upload_dir(run.id) / "transactions.csv.sealed").read_bytes()
    first_row = (DATA / "transactions.csv").read_bytes().splitlines()[1]
    assert first_row not in kept
    assert b"txn_id" not in kept
    callbacks[0]()
    run.refresh_from_db()
    assert run.status == "done"
    assert Path(upload_dir(run.id)).exists() is False


@pytest.mark.django_db
def test_a_camt053_statement_is_screened_without_a_customers_file(
    fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    statement = SimpleUploadedFile(
        "statement.xml", (DATA / "camt053_sample.xml").read_bytes(), content_type="text/xml"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(fiu_analyst).post(
            "/api/v1/finance/runs/", {"transactions": statement}, format="multipart"
        )

    assert response.status_code == 201, response.content
    run = ScreeningRun.objects.get()
    assert run.status == "done", run.problems
    assert run.transactions_screened > 0
    assert run.customers_screened > 0
    assert run.files["transactions"]["format"] == "xml"


@pytest.mark.django_db
def test_a_broken_statement_fails_with_its_problems(
    fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    statement = SimpleUploadedFile("statement.xml", b"<Document>not camt</Document>")
    with django_capture_on_commit_callbacks(execute=True):
        api_client_for(fiu_analyst).post(
            "/api/v1/finance/runs/", {"transactions": statement}, format="multipart"
        )

    run = ScreeningRun.objects.get()
    assert run.status == "failed"
    assert run.problems[0]["file"] == "transactions.xml"
    assert not FinancialAlert.objects.exists()


@pytest.mark.django_db
def test_a_banks_own_column_names_are_read_through_the_mapping(
    fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    text = (DATA / "transactions.csv").read_text()
    header, rest = text.split("\n", 1)
    header = header.replace("txn_id", "Reference").replace(",amount,", ",Amt,")
    mapping = b"transactions:\n  columns:\n    txn_id: Reference\n    amount: Amt\n"
    files = _files(transactions=f"{header}\n{rest}".encode())
    files["mapping"] = SimpleUploadedFile("mapping.yaml", mapping)

    response = _upload(fiu_analyst, django_capture_on_commit_callbacks, files)

    assert response.status_code == 201, response.content
    run = ScreeningRun.objects.get()
    assert run.status == "done", run.problems
    assert sorted(run.files) == ["customers", "mapping", "transactions"]
    alert = FinancialAlert.objects.get()
    rows = {row["txn_id"]: row for row in alert.evidence_transactions}
    assert (rows["T-1"]["amount"], rows["T-1"]["currency"]) == ("9000.00", "USD")
