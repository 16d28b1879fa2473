"""Family tracing: only children whose consent to tracing is in force are ever compared."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from safepath.accounts.models import Agency, User
from safepath.cases.models import Case
from safepath.linkage.models import TracingCandidate, TracingRequest
from safepath.linkage.records import tracing_compare
from safepath.linkage.tests.app.conftest import (
    MATCHING,
    TRACING,
    audit_head,
    expired,
    give_consent,
    last_events,
    withdrawn,
)
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db
TRACING_URL = "/api/v1/linkage/tracing/"
SOUGHT = {
    "sought_given_name": "Amina",
    "sought_family_name": "Yusuf",
    "sought_sex": "female",
    "sought_birth_year": 2012,
    "sought_nationality": "KE",
    "requester_name": "Halima Yusuf",
    "requester_relation": "mother",
    "requester_contact": "+254 700 000 000",
}


@pytest.fixture
def children(caseworker_a: User, caseworker_b: User, agency_a: Agency) -> dict[str, Case]:
    born = datetime.date(2012, 5, 17)
    cases = {
        "consenting": register_case(
            caseworker_a, given_name="Amina", family_name="Yusuf", date_of_birth=born
        ),
        "consenting_other": register_case(
            caseworker_a, given_name="Baraka", family_name="Otieno", sex="male"
        ),
        "expired": register_case(
            caseworker_a, given_name="Amina", family_name="Yusuf", date_of_birth=born
        ),
        "withdrawn": register_case(
            caseworker_a, given_name="Amina", family_name="Yusuf", date_of_birth=born
        ),
        "matching_only": register_case(
            caseworker_a, given_name="Amina", family_name="Yusuf", date_of_birth=born
        ),
        "no_consent": register_case(
            caseworker_a, given_name="Amina", family_name="Yusuf", date_of_birth=born
        ),
        "agency_b_to_a": register_case(
            caseworker_b, given_name="Aminah", family_name="Yusuf", date_of_birth=born
        ),
        "agency_b_own": register_case(
            caseworker_b, given_name="Amina", family_name="Yusuf", date_of_birth=born
        ),
    }
    give_consent(cases["consenting"], TRACING)
    give_consent(cases["consenting_other"], TRACING)
    expired(cases["expired"], TRACING)
    withdrawn(cases["withdrawn"], TRACING)
    give_consent(cases["matching_only"], MATCHING)
    give_consent(cases["agency_b_to_a"], TRACING, recipient=agency_a)
    give_consent(cases["agency_b_own"], TRACING)  # to agency B's own tracing only
    return cases


def _create(user: User, **changes: Any) -> dict[str, Any]:
    response = api_client_for(user).post(TRACING_URL, {**SOUGHT, **changes}, format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_search_ranks_only_children_whose_tracing_consent_is_in_force(
    caseworker_a: User, children: dict[str, Case]
) -> None:
    created = _create(caseworker_a)
    since = audit_head()

    response = api_client_for(caseworker_a).post(f"{TRACING_URL}{created['id']}/search/")

    assert response.status_code == 200
    body = response.json()
    references = [c["case_reference"] for c in body["candidates"]]
    assert set(references) == {
        children["consenting"].reference,
        children["agency_b_to_a"].reference,
    }
    assert references[0] == children["consenting"].reference  # exact spelling ranks first
    assert body["status"] == "possible_match"
    assert body["candidates"][0]["evidence"][0]["field"] == "given_name"
    # Candidates show the case and its agency, never the child's data.
    assert "Yusuf" not in json.dumps(body["candidates"], ensure_ascii=False)
    event = next(e for e in last_events(since) if e.purpose == "tracing search")
    assert event.details == {"compared": 3, "new_candidates": 2}


def test_a_request_written_in_arabic_finds_the_latin_records(
    caseworker_a: User, children: dict[str, Case]
) -> None:
    created = _create(caseworker_a, sought_given_name="أمينة", sought_family_name="يوسف")
    body = api_client_for(caseworker_a).post(f"{TRACING_URL}{created['id']}/search/").json()
    assert {c["case_reference"] for c in body["candidates"]} == {
        children["consenting"].reference,
        children["agency_b_to_a"].reference,
    }


def test_the_workflow_records_verification_and_reunification(
    caseworker_a: User, children: dict[str, Case]
) -> None:
    created = _create(caseworker_a)
    client = api_client_for(caseworker_a)
    best = client.post(f"{TRACING_URL}{created['id']}/search/").json()["candidates"][0]
    url = f"{TRACING_URL}candidates/{best['id']}/"

    skipping = client.post(url, {"version": 1, "status": "reunification"}, format="json")
    assert skipping.status_code == 400
    steps = ["verifying", "verified", "reunification"]
    for version, step in enumerate(steps, start=1):
        if step == "verified":  # the handbook's gate: family and child each confirm, apart
            for party in ("family", "child"):
                confirmed = client.post(
                    f"{url}verifications/",
                    {"party": party, "relationship_confirmed": True, "consents": True,
                     "method": "interview"},
                    format="json",
                )  # fmt: skip
                assert confirmed.status_code == 201, confirmed.json()
        answer = client.post(url, {"version": version, "status": step, "note": "ok"}, format="json")
        assert answer.status_code == 200, answer.json()
    stale = client.post(url, {"version": 1, "status": "ruled_out"}, format="json")
    assert stale.status_code == 409
    assert TracingCandidate.objects.get(pk=best["id"]).status == "reunification"
    assert TracingRequest.objects.get(pk=created["id"]).status == "verified"


def test_identifying_fields_are_encrypted_at_rest(caseworker_a: User) -> None:
    from django.db import connection

    created = _create(caseworker_a)
    with connection.cursor() as cursor:
        cursor.execute(
            "select sought_given_name, requester_name, requester_contact "
            "from linkage_tracingrequest where id = %s",
            [created["id"].replace("-", "") if connection.vendor == "sqlite" else created["id"]],
        )
        row = cursor.fetchone()
    assert row is not None
    assert "Amina" not in row[0]
    assert "Halima" not in row[1]
    assert "+254 700 000 000" not in row[2]  # a short digit run may occur in a ciphertext


def test_tracing_requests_belong_to_their_agency_and_creator(
    caseworker_a: User,
    supervisor_a: User,
    caseworker_b: User,
    make_user: Any,
    agency_a: Agency,
) -> None:
    created = _create(caseworker_a)
    colleague = make_user("caseworker", agency_a, "caseworker.a2")
    url = f"{TRACING_URL}{created['id']}/"
    assert api_client_for(supervisor_a).get(url).status_code == 200
    assert api_client_for(colleague).get(url).status_code == 404
    assert api_client_for(caseworker_b).get(url).status_code == 404
    before = TracingCandidate.objects.count()
    assert api_client_for(caseworker_b).post(f"{url}search/").status_code == 404
    assert TracingCandidate.objects.count() == before
    police = make_user("law_enforcement", agency_a)
    assert api_client_for(police).get(TRACING_URL).status_code == 404
    assert api_client_for(police).post(TRACING_URL, SOUGHT, format="json").status_code == 404
    assert TracingRequest.objects.count() == 1


def test_a_request_without_names_is_refused(caseworker_a: User) -> None:
    response = api_client_for(caseworker_a).post(
        TRACING_URL,
        {**SOUGHT, "sought_given_name": " ", "sought_birth_year": 1700},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"sought_given_name"}
    assert not TracingRequest.objects.exists()


def _record(**values: Any) -> dict[str, Any]:
    base = dict.fromkeys(
        [
            "given_name",
            "family_name",
            "other_names",
            "sex",
            "date_of_birth",
            "birth_year_estimate",
            "place_of_birth",
            "nationality",
            "mother_given_name",
            "father_given_name",
            "location",
        ]
    )
    return {**base, **values}


def test_compare_bridges_scripts_and_tolerates_an_estimated_year() -> None:
    arabic = _record(given_name="محمد", family_name="علي", birth_year_estimate=2010, sex="m")
    latin = _record(given_name="Mohammed", family_name="Ali", birth_year_estimate=2011, sex="m")
    stranger = _record(given_name="Baraka", family_name="Otieno", birth_year_estimate=2004, sex="m")
    same, evidence = tracing_compare(arabic, latin)
    different, _ = tracing_compare(arabic, stranger)
    assert same > 0.5 > different
    levels = {item["field"]: item["level"] for item in evidence}
    assert levels == {
        "given_name": "variant",
        "family_name": "variant",
        "date_of_birth": "within 1 year",
        "sex": "same",
    }


def test_tracing_list_query_count_does_not_grow_with_rows(caseworker_a: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client_for(caseworker_a)

    def queries_for(count: int) -> int:
        for _ in range(count):
            _create(caseworker_a)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(TRACING_URL).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(4)
