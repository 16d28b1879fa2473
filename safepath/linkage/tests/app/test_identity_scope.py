"""Linkage shows children's names, so it reads a shared case only where the reader's consent
covers identity (``cases.scopes``), as the case list does: a partner agency whose consent covers
other parts of the record sees no name of that child in the review queue, on a pair, on a
person's page, or in their API, and the pair is only a notice to them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.cases.services import case_share, consent_record
from safepath.linkage.models import CandidatePair, PersonMember
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

pytestmark = pytest.mark.django_db

NAME = "Zainabu"  # the shared child's given name, in no other record


def _shared(case_owner: User, partner: Agency, categories: list[str]) -> Case:
    case = register_case(case_owner, given_name=NAME, family_name="Kilonzo")
    consent = consent_record(
        user=case_owner,
        case=case,
        given_by="guardian",
        purpose="sharing",
        data_scope="what the categories say",
        data_categories=categories,
        recipient_agency=partner,
        given_on=timezone.localdate(),
        expires_on=None,
        channel=Channel.API,
    )
    case_share(user=case_owner, case=case, agency=partner, consent=consent, channel=Channel.API)
    return case


def _everything_supervisor_b_reads(supervisor_b: User, pair: CandidatePair) -> str:
    web = web_client_for(supervisor_b)
    api = api_client_for(supervisor_b)
    pages = [
        web.get("/linkage/"),
        web.get(f"/linkage/pairs/{pair.id}/"),
        api.get("/api/v1/linkage/pairs/?status=pending"),
        api.get(f"/api/v1/linkage/pairs/{pair.id}/"),
    ]
    assert [page.status_code for page in pages] == [200] * 4
    return "".join(page.content.decode() for page in pages)


def test_a_partner_without_identity_consent_sees_no_name_in_the_queue_or_the_pair(
    caseworker_a: User,
    agency_b: Agency,
    supervisor_b: User,
    case_b: Case,
    make_pair: Callable[..., CandidatePair],
) -> None:
    shared = _shared(caseworker_a, agency_b, ["case_facts", "plan"])
    pair = make_pair(shared, case_b)

    seen = _everything_supervisor_b_reads(supervisor_b, pair)

    assert NAME not in seen
    assert "Kilonzo" not in seen
    assert "Amina" in seen  # their own child's name still shows
    body = api_client_for(supervisor_b).get(f"/api/v1/linkage/pairs/{pair.id}/").json()
    assert body["access"] == "notice"
    assert "evidence" not in body  # the explanation would tell the other child's name


def test_a_partner_with_identity_consent_reviews_the_pair_in_full(
    caseworker_a: User,
    agency_b: Agency,
    supervisor_b: User,
    case_b: Case,
    make_pair: Callable[..., CandidatePair],
) -> None:
    shared = _shared(caseworker_a, agency_b, ["identity"])
    pair = make_pair(shared, case_b)

    seen = _everything_supervisor_b_reads(supervisor_b, pair)

    assert NAME in seen
    body = api_client_for(supervisor_b).get(f"/api/v1/linkage/pairs/{pair.id}/").json()
    assert body["access"] == "full"


def test_a_person_shows_a_partner_no_name_their_consent_does_not_cover(
    caseworker_a: User,
    supervisor_a: User,
    agency_b: Agency,
    supervisor_b: User,
    cases_a: tuple[Case, Case],
    make_pair: Callable[..., CandidatePair],
) -> None:
    shared = _shared(caseworker_a, agency_b, ["case_facts"])
    confirmed = api_client_for(supervisor_a).post(
        f"/api/v1/linkage/pairs/{make_pair(shared, cases_a[0]).id}/confirm/",
        {"version": 1, "reason": "Same child"},
        format="json",
    )
    assert confirmed.status_code == 200, confirmed.json()
    person = PersonMember.objects.get(child=shared.child).person

    page = web_client_for(supervisor_b).get(f"/linkage/persons/{person.pk}/")
    api = api_client_for(supervisor_b).get(f"/api/v1/linkage/persons/{person.pk}/")
    of_case = api_client_for(supervisor_b).get(f"/api/v1/linkage/cases/{shared.id}/person/")

    for response in (page, api, of_case):
        assert NAME not in response.content.decode()
        assert response.status_code == 404  # no record of the person is theirs to read by name


def test_the_owner_still_sees_the_names_of_its_shared_case(
    caseworker_a: User,
    supervisor_a: User,
    agency_b: Agency,
    cases_a: tuple[Case, Case],
    make_pair: Callable[..., CandidatePair],
) -> None:
    shared = _shared(caseworker_a, agency_b, ["case_facts"])
    pair = make_pair(shared, cases_a[0])
    assert NAME in web_client_for(supervisor_a).get(f"/linkage/pairs/{pair.id}/").content.decode()
