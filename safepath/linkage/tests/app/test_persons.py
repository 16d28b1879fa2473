"""Persons: merge by confirmation, split, and revert of either; every step reversible."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safepath.accounts.models import User
from safepath.cases.models import Case
from safepath.linkage.models import CandidatePair, PairStatus, Person, PersonChange, PersonMember
from safepath.linkage.services import memberships
from safepath.linkage.tests.app.conftest import audit_head, last_events
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db


def _confirm(user: User, pair: CandidatePair) -> str:
    response = api_client_for(user).post(
        f"/api/v1/linkage/pairs/{pair.id}/confirm/",
        {"version": pair.version, "reason": "Same child"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return str(response.json()["person"])


def _state() -> dict[str, object]:
    return {
        "members": sorted(PersonMember.objects.values_list("child_id", "person_id")),
        "retired": sorted(Person.objects.values_list("pk", "merged_into_id")),
    }


@pytest.fixture
def three(caseworker_a: User) -> list[Case]:
    return [
        register_case(caseworker_a, given_name=name, family_name="Yusuf")
        for name in ("Amina", "Aminah", "Amena")
    ]


def test_merge_then_revert_restores_two_persons(
    supervisor_a: User, make_pair: Callable[..., CandidatePair], three: list[Case]
) -> None:
    pair = make_pair(three[0], three[1])
    person_id = _confirm(supervisor_a, pair)
    merged = _state()
    change = PersonChange.objects.get(kind="merge")
    client = api_client_for(supervisor_a)

    for case in three[:2]:
        found = client.get(f"/api/v1/linkage/cases/{case.id}/person/").json()
        assert found == {"case": str(case.id), "person": person_id}
    history = client.get(f"/api/v1/linkage/persons/{person_id}/").json()
    assert [item["kind"] for item in history["history"]] == ["merge"]
    assert len(history["records"]) == 2

    response = client.post(
        f"/api/v1/linkage/changes/{change.id}/revert/", {"reason": "Wrong child"}, format="json"
    )

    assert response.status_code == 201, response.json()
    survivors = Person.objects.filter(merged_into__isnull=True)
    assert survivors.count() == 2
    owners = {PersonMember.objects.get(child=c.child).person_id for c in three[:2]}
    assert owners == set(survivors.values_list("pk", flat=True))
    assert memberships(owners) == change.before
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED
    assert pair.decision_reason == "Wrong child"
    # A second revert of the same change is refused and changes nothing.
    after_revert = _state()
    again = client.post(
        f"/api/v1/linkage/changes/{change.id}/revert/", {"reason": "again"}, format="json"
    )
    assert again.status_code == 409
    assert _state() == after_revert != merged


def test_split_moves_records_to_a_new_person_and_revert_puts_them_back(
    supervisor_a: User, make_pair: Callable[..., CandidatePair], three: list[Case]
) -> None:
    _confirm(supervisor_a, make_pair(three[0], three[1]))
    person_id = _confirm(supervisor_a, make_pair(three[1], three[2]))
    person = Person.objects.get(pk=person_id)
    assert PersonMember.objects.filter(person=person).count() == 3
    before_split = _state()
    client = api_client_for(supervisor_a)
    since = audit_head()

    split = client.post(
        f"/api/v1/linkage/persons/{person_id}/split/",
        {"version": person.version, "children": [str(three[2].child_id)], "reason": "Twin"},
        format="json",
    )

    assert split.status_code == 201, split.json()
    new_person = PersonMember.objects.get(child=three[2].child).person
    assert new_person.pk != person.pk
    assert PersonMember.objects.filter(person=person).count() == 2
    events = [e for e in last_events(since) if e.object_type == "linkage.person"]
    assert [e.details["kind"] for e in events if e.action == "update"] == ["split"]

    revert = client.post(
        f"/api/v1/linkage/changes/{split.json()['id']}/revert/",
        {"reason": "Not twins"},
        format="json",
    )
    assert revert.status_code == 201, revert.json()
    state = _state()
    assert state["members"] == before_split["members"]
    new_person.refresh_from_db()
    assert new_person.merged_into_id == person.pk


def test_split_with_a_stale_version_is_a_conflict(
    supervisor_a: User, make_pair: Callable[..., CandidatePair], three: list[Case]
) -> None:
    person_id = _confirm(supervisor_a, make_pair(three[0], three[1]))
    before = _state()
    response = api_client_for(supervisor_a).post(
        f"/api/v1/linkage/persons/{person_id}/split/",
        {"version": 99, "children": [str(three[1].child_id)], "reason": "Twin"},
        format="json",
    )
    assert response.status_code == 409
    assert _state() == before


def test_a_revert_after_later_changes_is_refused(
    supervisor_a: User, make_pair: Callable[..., CandidatePair], three: list[Case]
) -> None:
    _confirm(supervisor_a, make_pair(three[0], three[1]))
    first = PersonChange.objects.get()
    _confirm(supervisor_a, make_pair(three[1], three[2]))
    before = _state()
    response = api_client_for(supervisor_a).post(
        f"/api/v1/linkage/changes/{first.id}/revert/", {"reason": "undo"}, format="json"
    )
    assert response.status_code == 409
    assert _state() == before


def test_another_agencys_supervisor_cannot_see_or_split_the_person(
    supervisor_a: User,
    supervisor_b: User,
    make_pair: Callable[..., CandidatePair],
    three: list[Case],
) -> None:
    person_id = _confirm(supervisor_a, make_pair(three[0], three[1]))
    before = _state()
    client = api_client_for(supervisor_b)
    assert client.get(f"/api/v1/linkage/persons/{person_id}/").status_code == 404
    response = client.post(
        f"/api/v1/linkage/persons/{person_id}/split/",
        {"version": 2, "children": [str(three[1].child_id)], "reason": "x"},
        format="json",
    )
    assert response.status_code == 404
    assert _state() == before


def test_a_reader_of_part_of_a_person_sees_the_rest_as_held_elsewhere_and_cannot_change_it(
    supervisor_a: User,
    supervisor_b: User,
    caseworker_b: User,
    make_pair: Callable[..., CandidatePair],
    cases_a: tuple[Case, Case],
    case_b: Case,
) -> None:
    from django.utils import timezone

    from safepath.audit.models import Channel
    from safepath.cases.services import case_share, consent_record

    consent = consent_record(
        user=caseworker_b,
        case=case_b,
        given_by="child",
        purpose="sharing",
        data_scope="identity",
        recipient_agency=supervisor_a.agency,
        given_on=timezone.localdate(),
        expires_on=None,
        channel=Channel.API,
    )
    case_share(
        user=caseworker_b,
        case=case_b,
        agency=supervisor_a.agency,
        consent=consent,
        channel=Channel.API,
    )
    person_id = _confirm(supervisor_a, make_pair(cases_a[0], case_b))
    change = PersonChange.objects.get()
    before = _state()
    client = api_client_for(supervisor_b)

    seen = client.get(f"/api/v1/linkage/persons/{person_id}/").json()
    assert {"agency": "Agency A", "held_elsewhere": True} in seen["records"]
    assert "Amina" in str(seen["records"])  # case_b's child, which agency B holds
    assert str(cases_a[0].id) not in str(seen)
    assert [item["reason"] for item in seen["history"]] == [None]
    split = client.post(
        f"/api/v1/linkage/persons/{person_id}/split/",
        {"version": 2, "children": [str(case_b.child_id)], "reason": "x"},
        format="json",
    )
    revert = client.post(
        f"/api/v1/linkage/changes/{change.id}/revert/", {"reason": "x"}, format="json"
    )
    assert (split.status_code, revert.status_code) == (403, 403)
    assert _state() == before
