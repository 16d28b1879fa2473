"""Who sees and decides which pair: roles x agencies x actions. A denial changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.cases.services import case_share, consent_record
from safepath.linkage.models import CandidatePair, MatchRequest, PairStatus, PersonChange
from safepath.linkage.tests.app.conftest import audit_head, last_events
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db
PAIRS = "/api/v1/linkage/pairs/"
NO_LINKAGE_ROLES = [
    Role.CASEWORKER,
    Role.LAW_ENFORCEMENT,
    Role.SYSTEM_ADMIN,
    Role.COORDINATOR,
    Role.ANALYST,
    Role.DATA_PROTECTION_OFFICER,
    Role.FINANCIAL_ANALYST,
]


@pytest.fixture
def pairs(
    make_pair: Callable[..., CandidatePair], cases_a: tuple[Case, Case], case_b: Case
) -> dict[str, CandidatePair]:
    return {
        "same_agency": make_pair(cases_a[0], cases_a[1], 0.98),
        "cross_agency": make_pair(cases_a[0], case_b, 0.95),
    }


def _decide(user: User, pair: CandidatePair) -> int:
    response = api_client_for(user).post(
        f"{PAIRS}{pair.id}/confirm/", {"version": 1, "reason": "Same child"}, format="json"
    )
    return int(response.status_code)


def _unchanged(pairs: dict[str, CandidatePair]) -> None:
    for pair in pairs.values():
        pair.refresh_from_db()
        assert (pair.status, pair.version, pair.decided_by_id) == (PairStatus.PENDING, 1, None)
    assert not PersonChange.objects.exists()


@pytest.mark.parametrize("role", NO_LINKAGE_ROLES)
@pytest.mark.parametrize("agency_name", ["a", "b"])
def test_other_roles_get_404_everywhere(
    role: str,
    agency_name: str,
    make_user: Callable[..., User],
    agency_a: Agency,
    agency_b: Agency,
    pairs: dict[str, CandidatePair],
) -> None:
    user = make_user(role, agency_a if agency_name == "a" else agency_b)
    client = api_client_for(user)
    since = audit_head()

    assert client.get(PAIRS).status_code == 404
    for pair in pairs.values():
        assert client.get(f"{PAIRS}{pair.id}/").status_code == 404
        assert _decide(user, pair) == 404
        assert client.post(f"{PAIRS}{pair.id}/sharing-request/").status_code == 404
    assert client.post("/api/v1/linkage/runs/", {}, format="json").status_code == 404
    _unchanged(pairs)
    assert not MatchRequest.objects.exists()
    assert not [e for e in last_events(since) if e.object_type.startswith("linkage.")]


def test_supervisor_seeing_both_cases_reviews_and_sees_a_notice_for_the_other_agency(
    supervisor_a: User, pairs: dict[str, CandidatePair], case_b: Case
) -> None:
    client = api_client_for(supervisor_a)
    rows = {row["id"]: row for row in client.get(PAIRS).json()["results"]}

    same = rows[str(pairs["same_agency"].id)]
    cross = rows[str(pairs["cross_agency"].id)]
    assert same["access"] == "full"
    assert cross["access"] == "notice"
    assert cross["other_agency"] == "Agency B"
    assert cross["notice"] == "A possible duplicate is held by Agency B."
    assert set(cross) == {
        "id",
        "access",
        "status",
        "match_probability",
        "your_case",
        "other_agency",
        "notice",
    }
    assert str(case_b.id) not in json.dumps(cross)
    assert case_b.reference not in json.dumps(cross)


@pytest.mark.parametrize("who", ["supervisor_a", "supervisor_b"])
def test_a_cross_agency_pair_is_a_notice_for_both_sides_and_cannot_be_decided(
    who: str,
    request: pytest.FixtureRequest,
    pairs: dict[str, CandidatePair],
    cases_a: tuple[Case, Case],
    case_b: Case,
) -> None:
    user: User = request.getfixturevalue(who)
    pair = pairs["cross_agency"]
    body = api_client_for(user).get(f"{PAIRS}{pair.id}/").json()
    text = json.dumps(body, ensure_ascii=False)

    assert body["access"] == "notice"
    assert "evidence" not in body
    assert "case_1" not in body
    assert "case_2" not in body
    other = cases_a[0] if who == "supervisor_b" else case_b
    mine = case_b if who == "supervisor_b" else cases_a[0]
    assert body["your_case"] == {
        "id": str(mine.id),
        "reference": mine.reference,
        "agency": mine.owner_agency.name,
    }
    assert other.reference not in text
    assert str(other.id) not in text
    assert "Yusuf" not in text
    assert "Amina" not in text
    assert _decide(user, pair) == 403
    _unchanged(pairs)


def test_supervisor_b_does_not_know_agency_a_internal_pair_exists(
    supervisor_b: User, pairs: dict[str, CandidatePair]
) -> None:
    client = api_client_for(supervisor_b)
    listed = [row["id"] for row in client.get(PAIRS).json()["results"]]
    same = pairs["same_agency"]
    assert listed == [str(pairs["cross_agency"].id)]
    assert client.get(f"{PAIRS}{same.id}/").status_code == 404
    assert _decide(supervisor_b, same) == 404
    _unchanged(pairs)


def test_sharing_through_consent_turns_the_notice_into_a_review(
    supervisor_a: User,
    supervisor_b: User,
    caseworker_b: User,
    agency_a: Agency,
    pairs: dict[str, CandidatePair],
    case_b: Case,
) -> None:
    pair = pairs["cross_agency"]
    asked = api_client_for(supervisor_a).post(f"{PAIRS}{pair.id}/sharing-request/")
    assert asked.status_code == 201
    assert asked.json()["holding_agency"] == "Agency B"
    request_id = asked.json()["id"]

    # The requester cannot answer its own request; the holder can.
    answer = f"/api/v1/linkage/requests/{request_id}/answer/"
    assert (
        api_client_for(supervisor_a).post(answer, {"accept": True}, format="json").status_code
        == 403
    )
    assert (
        api_client_for(supervisor_b).post(answer, {"accept": True}, format="json").status_code
        == 200
    )
    assert MatchRequest.objects.get().status == "accepted"
    # Accepting disclosed nothing yet:
    assert api_client_for(supervisor_a).get(f"{PAIRS}{pair.id}/").json()["access"] == "notice"

    consent = consent_record(
        user=caseworker_b,
        case=case_b,
        given_by="child",
        purpose="sharing",
        data_scope="identity",
        recipient_agency=agency_a,
        given_on=timezone.localdate(),
        expires_on=None,
        channel=Channel.API,
    )
    case_share(
        user=caseworker_b, case=case_b, agency=agency_a, consent=consent, channel=Channel.API
    )

    body = api_client_for(supervisor_a).get(f"{PAIRS}{pair.id}/").json()
    assert body["access"] == "full"
    assert len(body["evidence"]) == 3
    assert _decide(supervisor_a, pair) == 200


def test_requests_list_query_count_does_not_grow_with_rows(
    supervisor_a: User,
    make_pair: Callable[..., CandidatePair],
    cases_a: tuple[Case, Case],
    caseworker_b: User,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safepath.testing.factories import register_case

    client = api_client_for(supervisor_a)

    def queries_for(count: int) -> int:
        for index in range(count):
            other = register_case(caseworker_b, given_name=f"Other{index}")
            pair = make_pair(cases_a[0], other)
            assert client.post(f"{PAIRS}{pair.id}/sharing-request/").status_code == 201
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/linkage/requests/").status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(3)
