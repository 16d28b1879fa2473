"""The handbook's steps after a tracing match: both sides verify, then reunification, then the
follow-up visits before closure; and the public mass-tracing lists (reference and region)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from safepath.accounts.models import User
from safepath.cases.models import Case, Consent
from safepath.linkage.models import FollowUpVisit, PublicTracingListing, TracingCandidate
from safepath.linkage.tests.app.conftest import TRACING, give_consent
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db
TRACING_URL = "/api/v1/linkage/tracing/"
SOUGHT = {
    "sought_given_name": "Amina",
    "sought_family_name": "Yusuf",
    "sought_sex": "female",
    "sought_birth_year": 2012,
    "requester_name": "Halima Yusuf",
    "requester_relation": "mother",
}


@pytest.fixture
def matched(caseworker_a: User) -> tuple[APIClient, str, Case]:
    case = register_case(
        caseworker_a,
        given_name="Amina",
        family_name="Yusuf",
        date_of_birth=datetime.date(2012, 5, 17),
    )
    give_consent(case, TRACING)
    client = api_client_for(caseworker_a)
    request = client.post(TRACING_URL, SOUGHT, format="json").json()
    candidate = client.post(f"{TRACING_URL}{request['id']}/search/").json()["candidates"][0]
    url = f"{TRACING_URL}candidates/{candidate['id']}/"
    assert client.post(url, {"version": 1, "status": "verifying"}, format="json").status_code == 200
    return client, url, case


def _verify(
    client: APIClient, url: str, party: str, *, confirmed: bool = True, consents: bool = True
) -> Any:
    return client.post(
        f"{url}verifications/",
        {
            "party": party,
            "relationship_confirmed": confirmed,
            "consents": consents,
            "method": "interview",
        },
        format="json",
    )


def _step(client: APIClient, url: str, status: str, **extra: Any) -> Any:
    version = TracingCandidate.objects.get(pk=url.rstrip("/").rsplit("/", 1)[1]).version
    return client.post(url, {"version": version, "status": status, **extra}, format="json")


def test_verified_needs_the_family_and_the_child_each_to_confirm_and_consent(
    matched: tuple[APIClient, str, Case],
) -> None:
    client, url, _ = matched
    assert _step(client, url, "verified").status_code == 400  # nobody asked yet
    assert _verify(client, url, "family").json()["both_sides_confirmed"] is False
    refused = _verify(client, url, "child", consents=False)
    assert refused.json()["both_sides_confirmed"] is False
    answer = _step(client, url, "verified")
    assert answer.status_code == 400
    assert "both the family and the child" in answer.json()["fields"]["status"][0]
    assert _verify(client, url, "child").json()["both_sides_confirmed"] is True
    assert _step(client, url, "verified").status_code == 200


def test_reunification_then_follow_up_visits_before_closure(
    matched: tuple[APIClient, str, Case],
) -> None:
    client, url, _ = matched
    _verify(client, url, "family")
    _verify(client, url, "child")
    visit = {"visited_on": timezone.localdate().isoformat(), "outcome": "settled"}
    assert _step(client, url, "closed").status_code == 400  # not a move from verifying
    assert _step(client, url, "verified").status_code == 200
    early = client.post(f"{url}follow-ups/", visit, format="json")
    assert early.status_code == 400
    assert "after reunification" in json.dumps(early.json())
    reunified = _step(client, url, "reunified", reunified_on=timezone.localdate().isoformat())
    assert reunified.status_code == 200
    assert reunified.json()["reunified_on"]
    closing = _step(client, url, "closed")
    assert closing.status_code == 400
    assert "follow-up visit" in closing.json()["fields"]["status"][0]
    assert client.post(f"{url}follow-ups/", visit, format="json").status_code == 201
    assert _step(client, url, "closed").status_code == 200
    candidate = TracingCandidate.objects.get()
    assert candidate.status == "closed"
    assert candidate.request.status == "resolved"
    assert FollowUpVisit.objects.count() == 1


def test_the_public_list_shows_a_reference_and_a_region_never_a_name(
    matched: tuple[APIClient, str, Case], caseworker_a: User
) -> None:
    client, _, case = matched
    other = register_case(caseworker_a, given_name="Baraka", family_name="Otieno")
    refused = client.post(
        f"{TRACING_URL}listings/", {"case": str(other.id), "region": "Turkana"}, format="json"
    )
    assert refused.status_code == 400
    assert "consent" in json.dumps(refused.json())
    listed = client.post(
        f"{TRACING_URL}listings/", {"case": str(case.id), "region": " Turkana "}, format="json"
    )
    assert listed.status_code == 201
    reference = listed.json()["public_reference"]
    assert reference.startswith("T-")
    assert reference != case.reference

    public = Client().get("/tracing-lists/?region=Turkana")  # nobody signed in
    assert public.status_code == 200
    text = public.content.decode()
    assert reference in text
    assert "Turkana" in text
    for secret in ("Amina", "Yusuf", case.reference, "<img"):
        assert secret not in text
    api = Client().get(f"{TRACING_URL}public/").json()
    assert api == {"results": [{"reference": reference, "region": "Turkana"}]}

    Consent.objects.filter(case=case).update(withdrawn_at=timezone.now())
    assert reference not in Client().get("/tracing-lists/").content.decode()
    assert PublicTracingListing.objects.count() == 1  # kept, but no longer shown


def test_other_agencies_cannot_list_a_case(
    matched: tuple[APIClient, str, Case], caseworker_b: User
) -> None:
    _, _, case = matched
    answer = api_client_for(caseworker_b).post(
        f"{TRACING_URL}listings/", {"case": str(case.id), "region": "Turkana"}, format="json"
    )
    assert answer.status_code == 404
    assert not PublicTracingListing.objects.exists()
