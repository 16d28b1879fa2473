"""Deduplication runs: the task reads the scope's cases, the engine proposes, the queue fills."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case
from safepath.linkage import engine
from safepath.linkage.models import CandidatePair, MatchRun
from safepath.linkage.services import pairs as pairs_module
from safepath.notify.models import Notification
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db


@dataclass
class Evidence:
    field: str
    level: str
    bayes_factor: float
    log2_bayes_factor: float
    sentence: str


class FakeResult:
    """The engine's LinkResult contract: ``pairs`` and ``explain``."""

    def __init__(self, pairs: pd.DataFrame) -> None:
        self.pairs = pairs

    def explain(self, id_1: str, id_2: str) -> list[Evidence]:
        return [Evidence("given_name", "exact match", 64.0, 6.0, "quotes Amina: dropped")]


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    calls: dict[str, Any] = {}

    def fake_dedupe(records: pd.DataFrame, *, threshold: float) -> FakeResult:
        calls["records"], calls["threshold"] = records.copy(), threshold
        ids = sorted(records["record_id"])
        return FakeResult(
            pd.DataFrame({"id_1": [ids[0]], "id_2": [ids[1]], "match_probability": [0.93]})
        )

    monkeypatch.setattr(engine, "dedupe", fake_dedupe)
    monkeypatch.setattr(pairs_module, "SPLINK_MINIMUM_RECORDS", 2)
    return calls


def test_a_run_over_the_supervisors_cases_fills_the_queue(
    supervisor_a: User,
    cases_a: tuple[Case, Case],
    case_b: Case,
    seen: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(supervisor_a).post(
            "/api/v1/linkage/runs/", {"threshold": 0.8}, format="json"
        )

    assert response.status_code == 202
    run = MatchRun.objects.get()
    assert (run.status, run.record_count, run.pair_count) == ("finished", 2, 1)
    # the agency's supervisors are told that pairs wait for review (a run number, no name)
    [note] = Notification.objects.filter(recipient=supervisor_a)
    assert (note.kind, note.link) == ("match_to_review", "/linkage/")
    # Only agency A's cases were read, decrypted in memory, in canonical columns:
    records = seen["records"]
    assert sorted(records["record_id"]) == sorted(str(c.id) for c in cases_a)
    assert set(records["given_name"]) == {"Amina", "أمينة"}
    assert seen["threshold"] == 0.8
    pair = CandidatePair.objects.get()
    assert pair.evidence == [
        {
            "field": "given_name",
            "level": "exact match",
            "bayes_factor": 64.0,
            "log2_bayes_factor": 6.0,
        }
    ]
    status = api_client_for(supervisor_a).get(f"/api/v1/linkage/runs/{run.id}/").json()
    assert status["status"] == "finished"
    audit = AuditEvent.objects.filter(object_type="linkage.run").order_by("seq")
    assert [e.details for e in audit][-1] == {"records": 2, "pairs": 1}


def test_a_failing_engine_marks_the_run_failed_without_data(
    supervisor_a: User,
    cases_a: tuple[Case, Case],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broken(records: pd.DataFrame, *, threshold: float) -> None:
        raise ValueError("Amina Yusuf broke it")

    monkeypatch.setattr(engine, "dedupe", broken)
    monkeypatch.setattr(pairs_module, "SPLINK_MINIMUM_RECORDS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        api_client_for(supervisor_a).post("/api/v1/linkage/runs/", {}, format="json")

    run = MatchRun.objects.get()
    assert (run.status, run.failure) == ("failed", "ValueError")
    assert not CandidatePair.objects.exists()


def test_a_threshold_outside_the_range_is_refused(supervisor_a: User) -> None:
    response = api_client_for(supervisor_a).post(
        "/api/v1/linkage/runs/", {"threshold": 0.2}, format="json"
    )
    assert response.status_code == 400
    assert "threshold" in response.json()["fields"]
    assert not MatchRun.objects.exists()


def test_a_national_run_routes_pairs_by_policy(
    supervisor_a: User,
    supervisor_b: User,
    cases_a: tuple[Case, Case],
    case_b: Case,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from safepath.linkage.tasks import linkage_national_run

    def all_pairs(records: pd.DataFrame, *, threshold: float) -> FakeResult:
        ids = sorted(records["record_id"])
        rows = [(a, b, 0.95) for i, a in enumerate(ids) for b in ids[i + 1 :]]
        return FakeResult(pd.DataFrame(rows, columns=["id_1", "id_2", "match_probability"]))

    monkeypatch.setattr(engine, "dedupe", all_pairs)
    monkeypatch.setattr(pairs_module, "SPLINK_MINIMUM_RECORDS", 2)
    monkeypatch.setattr(pairs_module, "STORE_CHUNK", 2)  # three pairs stored in two chunks
    with django_capture_on_commit_callbacks(execute=True):
        linkage_national_run.call(0.9)

    assert CandidatePair.objects.count() == 3
    seen_a = api_client_for(supervisor_a).get("/api/v1/linkage/pairs/").json()["results"]
    seen_b = api_client_for(supervisor_b).get("/api/v1/linkage/pairs/").json()["results"]
    assert sorted(row["access"] for row in seen_a) == ["full", "notice", "notice"]
    assert sorted(row["access"] for row in seen_b) == ["notice", "notice"]


def test_a_small_register_is_compared_pair_by_pair_with_fixed_weights(
    supervisor_a: User,
    caseworker_a: User,
    cases_a: tuple[Case, Case],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Too few records to train the model: every pair is compared, across scripts."""
    from safepath.testing.factories import register_case

    register_case(caseworker_a, given_name="Baraka", family_name="Otieno", sex="male")
    with django_capture_on_commit_callbacks(execute=True):
        api_client_for(supervisor_a).post("/api/v1/linkage/runs/", {}, format="json")

    run = MatchRun.objects.get()
    assert (run.status, run.record_count, run.pair_count) == ("finished", 3, 1)
    pair = CandidatePair.objects.get()
    assert {pair.case_1_id, pair.case_2_id} == {c.id for c in cases_a}
    assert pair.match_probability > 0.9
    levels = {item["field"]: item["level"] for item in pair.evidence}
    assert levels["given_name"] == "variant"
    assert levels["date_of_birth"] == "same date"
