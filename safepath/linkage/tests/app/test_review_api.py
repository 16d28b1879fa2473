"""The review workflow through the API: queue, explanation, confirm or reject, stale decisions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safepath.accounts.models import User
from safepath.cases.models import Case
from safepath.linkage.models import CandidatePair, PairStatus, Person, PersonChange, PersonMember
from safepath.linkage.tests.app.conftest import audit_head, last_events
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db
PAIRS = "/api/v1/linkage/pairs/"


def test_queue_lists_pairs_most_probable_first_and_audits_each_read(
    supervisor_a: User,
    caseworker_a: User,
    make_pair: Callable[..., CandidatePair],
    cases_a: tuple[Case, Case],
) -> None:
    third = register_case(caseworker_a, given_name="Amina", family_name="Yusef")
    low = make_pair(cases_a[0], third, 0.91)
    high = make_pair(cases_a[0], cases_a[1], 0.99)
    since = audit_head()

    response = api_client_for(supervisor_a).get(PAIRS)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [str(high.id), str(low.id)]
    assert rows[0]["access"] == "full"
    assert rows[0]["match_probability"] == 0.99
    assert {rows[0]["case_1"]["child"]["given_name"], rows[0]["case_2"]["child"]["given_name"]} == {
        "Amina",
        "أمينة",
    }
    reads = [e for e in last_events(since) if e.object_type == "linkage.pair"]
    assert sorted(e.object_id for e in reads) == sorted([str(high.id), str(low.id)])
    assert {e.action for e in reads} == {"read"}


def test_explanation_in_words_for_each_field(
    supervisor_a: User, make_pair: Callable[..., CandidatePair], cases_a: tuple[Case, Case]
) -> None:
    pair = make_pair(*cases_a)
    since = audit_head()

    body = api_client_for(supervisor_a).get(f"{PAIRS}{pair.id}/").json()

    assert [row["field"] for row in body["evidence"]] == ["given_name", "date_of_birth", "sex"]
    assert body["evidence"][0]["sentence"] == (
        "Given name (exact match) makes a match 64.0 times more likely."
    )
    assert body["evidence"][2]["sentence"] == (
        "Sex (different) makes a match 4.0 times less likely."
    )
    assert [(e.object_type, e.object_id, e.details) for e in last_events(since)] == [
        ("linkage.pair", str(pair.id), {"access": "full"})
    ]


def test_confirm_merges_the_two_children_into_one_person(
    supervisor_a: User, make_pair: Callable[..., CandidatePair], cases_a: tuple[Case, Case]
) -> None:
    pair = make_pair(*cases_a)
    since = audit_head()

    response = api_client_for(supervisor_a).post(
        f"{PAIRS}{pair.id}/confirm/",
        {"version": 1, "reason": "Same photo and mother"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "confirmed"
    person_ids = {PersonMember.objects.get(child=case.child).person_id for case in cases_a}
    assert person_ids == {Person.objects.get(merged_into__isnull=True).pk}
    assert response.json()["person"] == str(person_ids.pop())
    change = PersonChange.objects.get()
    assert change.kind == "merge"
    assert change.pair_id == pair.id
    assert change.actor == supervisor_a
    assert change.reason == "Same photo and mother"
    assert len(change.before) == 2
    assert len(change.after) == 1
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by, pair.version) == (PairStatus.CONFIRMED, supervisor_a, 2)
    decision = [e for e in last_events(since) if e.object_type == "linkage.pair"]
    assert [(e.action, e.details["decision"]) for e in decision] == [("update", "confirmed")]


def test_a_stale_decision_is_a_conflict_and_changes_nothing(
    supervisor_a: User,
    make_user: Callable[..., User],
    make_pair: Callable[..., CandidatePair],
    cases_a: tuple[Case, Case],
) -> None:
    other = make_user("supervisor", supervisor_a.agency, "supervisor.a2")
    pair = make_pair(*cases_a)
    first = api_client_for(supervisor_a).post(
        f"{PAIRS}{pair.id}/reject/", {"version": 1, "reason": "Different mothers"}, format="json"
    )
    assert first.status_code == 200

    stale = api_client_for(other).post(
        f"{PAIRS}{pair.id}/confirm/", {"version": 1, "reason": "Looks the same"}, format="json"
    )

    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by, pair.decision_reason) == (
        PairStatus.REJECTED,
        supervisor_a,
        "Different mothers",
    )
    assert not PersonChange.objects.exists()


def test_a_decision_needs_a_reason(
    supervisor_a: User, make_pair: Callable[..., CandidatePair], cases_a: tuple[Case, Case]
) -> None:
    pair = make_pair(*cases_a)
    response = api_client_for(supervisor_a).post(
        f"{PAIRS}{pair.id}/confirm/", {"version": 1, "reason": "  "}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    assert CandidatePair.objects.get().status == PairStatus.PENDING


def test_a_rejected_pair_is_not_proposed_again(
    supervisor_a: User, make_pair: Callable[..., CandidatePair], cases_a: tuple[Case, Case]
) -> None:
    from safepath.linkage.models import MatchRun
    from safepath.linkage.services import ScoredPair, candidate_pairs_store

    pair = make_pair(*cases_a)
    api_client_for(supervisor_a).post(
        f"{PAIRS}{pair.id}/reject/", {"version": 1, "reason": "Different"}, format="json"
    )
    run = MatchRun.objects.create(scope="national", threshold=0.9)
    again = ScoredPair(str(cases_a[1].id), str(cases_a[0].id), 0.99, [])
    assert candidate_pairs_store(run=run, pairs=[again]) == 0


def test_queue_query_count_does_not_grow_with_rows(
    supervisor_a: User, caseworker_a: User, make_pair: Callable[..., CandidatePair]
) -> None:
    client = api_client_for(supervisor_a)

    def queries_for(pairs: int) -> int:
        for index in range(pairs):
            one = register_case(caseworker_a, given_name=f"Child{index}", family_name="One")
            two = register_case(caseworker_a, given_name=f"Child{index}", family_name="Two")
            make_pair(one, two)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAIRS).status_code == 200
        return len(captured)

    few = queries_for(1)
    many = queries_for(5)
    assert many == few
