"""Referral lists: direction filters, constant query counts, pathway suggestions for a case."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safepath.accounts.models import Agency, User
from safepath.cases.models import Case, Consent
from safepath.referrals.models import Service
from safepath.referrals.tests.conftest import give_consent, referral_payload
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db


def _refer(user: User, case: Case, agency: Agency, consent: Consent) -> str:
    response = api_client_for(user).post(
        "/api/v1/referrals/", referral_payload(case, agency, consent=str(consent.id)), format="json"
    )
    assert response.status_code == 201, response.json()
    return str(response.json()["id"])


def test_list_directions_and_constant_queries(
    caseworker_a: User, caseworker_b: User, agency_b: Agency, case_a: Case, consent_a_to_b: Consent
) -> None:
    first = _refer(caseworker_a, case_a, agency_b, consent_a_to_b)
    client_b = api_client_for(caseworker_b)
    incoming = client_b.get("/api/v1/referrals/?direction=incoming").json()["results"]
    assert [row["id"] for row in incoming] == [first]
    assert client_b.get("/api/v1/referrals/?direction=outgoing").json()["results"] == []
    client_a = api_client_for(caseworker_a)
    client_a.get("/api/v1/referrals/")  # warm up
    with CaptureQueriesContext(connection) as one:
        client_a.get("/api/v1/referrals/")
    for _ in range(4):
        case = register_case(caseworker_a)
        _refer(caseworker_a, case, agency_b, give_consent(caseworker_a, case, agency_b))
    with CaptureQueriesContext(connection) as five:
        response = client_a.get("/api/v1/referrals/?direction=outgoing")
    assert len(response.json()["results"]) == 5
    assert len(five) == len(one)


def test_pathway_suggestions_for_the_case(
    caseworker_a: User, caseworker_b: User, case_a: Case, service_b: Service
) -> None:
    response = api_client_for(caseworker_a).get(f"/api/v1/referrals/suggestions/{case_a.id}/")
    assert response.status_code == 200
    suggested = [(row["service_type"], row["urgency"]) for row in response.json()]
    # case_a: forced labour, agency country KE, no country of exploitation: the KE pathway
    assert suggested[0] == ("shelter.emergency", "high")
    assert ("care.guardianship", "high") in suggested
    shelter = response.json()[0]
    assert shelter["services"] == [
        {"id": str(service_b.id), "name": service_b.name, "provider": service_b.provider.name}
    ]
    other = api_client_for(caseworker_b).get(f"/api/v1/referrals/suggestions/{case_a.id}/")
    assert other.status_code == 404
