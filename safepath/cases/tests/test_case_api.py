"""The case API: register, list, open, change; and every way a request can be wrong."""

from __future__ import annotations

import datetime
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from safepath.accounts.models import ApiToken, User
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, Child
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

TODAY = timezone.localdate()


def _body(**child: object) -> dict[str, object]:
    return {
        "child": {
            "given_name": "Ахмед",
            "family_name": "Іваненко",
            "other_names": ["Ахмад"],
            "sex": "male",
            "date_of_birth": "2011-03-02",
            "nationality": "ua",
            "address": "Shelter 4, room 2",
            "contact": "+000 000 0000",
            "document_number": "XX000000",
            **child,
        },
        "identified_on": str(TODAY),
        "forms_of_exploitation": ["forced_labour", "begging"],
        "country_of_exploitation": "PL",
        "summary": "Found at a market by labour inspectors.",
    }


@pytest.mark.django_db
def test_register_returns_the_case_and_assigns_the_registrant(caseworker_a: User) -> None:
    response = api_client_for(caseworker_a).post("/api/v1/cases/", _body(), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["child"]["given_name"] == "Ахмед"
    assert data["child"]["nationality"] == "UA"
    assert data["child"]["age_at_identification"] == TODAY.year - 2011 - (
        (TODAY.month, TODAY.day) < (3, 2)
    )
    assert data["forms_of_exploitation"] == ["begging", "forced_labour"]
    assert data["owner_agency"]["id"] == str(caseworker_a.agency_id)
    assert data["assigned_to"] == [str(caseworker_a.id)]
    assert data["version"] == 1
    assert data["reference"].startswith("SP-")
    actions = list(AuditEvent.objects.values_list("action", "object_type"))
    # the duplicate check against the agency's register is a run of its own (issue 19)
    assert actions == [
        ("create", "child"),
        ("create", "case"),
        ("create", "linkage.run"),
        ("read", "case"),
    ]


@pytest.mark.django_db
def test_identifying_fields_are_ciphertext_in_the_database(caseworker_a: User) -> None:
    api_client_for(caseworker_a).post("/api/v1/cases/", _body(), format="json")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_name, family_name, other_names, date_of_birth, address, "
            "contact, document_number FROM cases_child"
        )
        row = cursor.fetchone()
        cursor.execute("SELECT summary FROM cases_case")
        summary = cursor.fetchone()[0]
    for stored in [*row, summary]:
        assert stored.startswith("v1:"), stored
    dump = json.dumps([*row, summary], ensure_ascii=False)
    for secret in ["Ахмед", "Іваненко", "2011-03-02", "Shelter", "XX000000", "market"]:
        assert secret not in dump


@pytest.mark.django_db
def test_audit_events_carry_no_identifying_values(caseworker_a: User) -> None:
    client = api_client_for(caseworker_a)
    case_id = client.post("/api/v1/cases/", _body(), format="json").json()["id"]
    client.patch(
        f"/api/v1/cases/{case_id}/", {"version": 1, "summary": "Moved to shelter"}, format="json"
    )
    trail = json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False)
    for secret in ["Ахмед", "Іваненко", "2011-03-02", "Shelter", "shelter", "XX000000"]:
        assert secret not in trail
    assert '"fields": ["summary"]' in trail


@pytest.mark.django_db
def test_list_is_paginated_and_searches_names_exactly(caseworker_a: User) -> None:
    for name in ["Amina", "Baraka", "Chiku"]:
        register_case(caseworker_a, given_name=name, family_name="Wanjiru")
    register_case(caseworker_a, given_name="Fatima", family_name="الزهراء")
    client = api_client_for(caseworker_a)

    page = client.get("/api/v1/cases/?page_size=2").json()
    assert page["count"] == 4
    assert len(page["results"]) == 2
    assert page["next"] is not None

    search = "/api/v1/cases/search/"
    found = client.post(search, {"family_name": "  wanjiru "}, format="json").json()
    assert sorted(r["child"]["given_name"] for r in found["results"]) == [
        "Amina",
        "Baraka",
        "Chiku",
    ]
    arabic = client.post(search, {"family_name": "الزهراء"}, format="json").json()
    assert [r["child"]["given_name"] for r in arabic["results"]] == ["Fatima"]
    assert client.post(search, {"family_name": "Wanjir"}, format="json").json()["count"] == 0
    empty = client.post(search, {}, format="json")
    assert empty.status_code == 400
    assert "at least one" in empty.json()["detail"]
    # a name in the query string is not a filter: names never travel in URLs
    assert client.get("/api/v1/cases/", {"family_name": "wanjiru"}).json()["count"] == 4


@pytest.mark.django_db
def test_every_listed_case_is_audited_as_read(caseworker_a: User) -> None:
    cases = [register_case(caseworker_a) for _ in range(3)]
    before = AuditEvent.objects.count()
    api_client_for(caseworker_a).get("/api/v1/cases/")
    reads = AuditEvent.objects.filter(seq__gt=before, action="read")
    assert sorted(reads.values_list("object_id", flat=True)) == sorted(str(c.id) for c in cases)


@pytest.mark.django_db
def test_open_records_the_purpose(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    response = api_client_for(caseworker_a).get(
        f"/api/v1/cases/{case.id}/", HTTP_X_ACCESS_PURPOSE="court hearing preparation"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_id, event.purpose) == (
        "read",
        str(case.id),
        "court hearing preparation",
    )
    assert event.request_id is not None
    assert str(event.request_id) == response["X-Request-ID"]


@pytest.mark.django_db
def test_concurrent_edit_is_refused_not_overwritten(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    client = api_client_for(caseworker_a)
    first = client.patch(
        f"/api/v1/cases/{case.id}/", {"version": 1, "summary": "First"}, format="json"
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2

    stale = client.patch(
        f"/api/v1/cases/{case.id}/",
        {"version": 1, "summary": "Second", "child": {"given_name": "Zed"}},
        format="json",
    )

    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert stale.json()["current_version"] == 2
    fresh = Case.objects.select_related("child").get(pk=case.pk)
    assert (fresh.summary, fresh.child.given_name, fresh.version) == ("First", "Amina", 2)


@pytest.mark.django_db
def test_edit_updates_child_fields_and_blind_index(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    client = api_client_for(caseworker_a)
    response = client.patch(
        f"/api/v1/cases/{case.id}/",
        {"version": 1, "child": {"family_name": "Otieno"}},
        format="json",
    )
    assert response.status_code == 200, response.content
    search = "/api/v1/cases/search/"
    assert client.post(search, {"family_name": "otieno"}, format="json").json()["count"] == 1
    assert client.post(search, {"family_name": "Testchild"}, format="json").json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"child": {"given_name": ""}}, "child.given_name", "blank"),
        ({"child": {"nationality": "XZ"}}, "child.nationality", "ISO 3166-1"),
        ({"child": {"sex": "robot"}}, "child.sex", "not a valid choice"),
        ({"child": {"date_of_birth": "31/12/2012"}}, "child.date_of_birth", "format"),
        ({"identified_on": "2999-01-01"}, "identified_on", "future"),
        ({"child": {"date_of_birth": str(TODAY + timedelta(days=3))}}, "date_of_birth", "future"),
        ({"forms_of_exploitation": ["sorcery"]}, "forms_of_exploitation.0", "not a valid choice"),
        ({"summary": "x" * 5000}, "summary", "4000"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    caseworker_a: User, change: dict[str, object], field: str, message: str
) -> None:
    body = _body()
    for key, value in change.items():
        if key == "child":
            body["child"].update(value)  # type: ignore[union-attr]
        else:
            body[key] = value
    counts = (Case.objects.count(), Child.objects.count(), AuditEvent.objects.count())

    response = api_client_for(caseworker_a).post("/api/v1/cases/", body, format="json")

    assert response.status_code == 400, response.content
    data = response.json()
    assert field in data["fields"], data
    assert message in " ".join(data["fields"][field])
    assert field in data["detail"] or data["detail"]
    assert (Case.objects.count(), Child.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.django_db
def test_unknown_and_malformed_ids_are_not_found(caseworker_a: User) -> None:
    client = api_client_for(caseworker_a)
    missing = client.get("/api/v1/cases/6a1f1d9e-0000-4000-8000-000000000000/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No such case.", "code": "not_found"}
    garbage = client.get("/api/v1/cases/not-a-uuid/")
    assert garbage.status_code == 404
    assert garbage.json()["code"] == "not_found"


@pytest.mark.django_db
def test_authentication_errors_are_clear(caseworker_a: User) -> None:
    from rest_framework.test import APIClient

    anonymous = APIClient().get("/api/v1/cases/")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"

    for header, detail in [("Token not!a!token", "malformed"), ("Token abcdef", "not valid")]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/cases/")
        assert response.status_code == 401
        assert detail in response.json()["detail"]

    client = api_client_for(caseworker_a)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.get("/api/v1/cases/")
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]


@pytest.mark.django_db
def test_token_without_two_factor_is_refused_for_identifying_roles(caseworker_a: User) -> None:
    response = api_client_for(caseworker_a, two_factor=False).get("/api/v1/cases/")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


@pytest.mark.django_db
def test_wrong_content_type_malformed_json_and_oversized_bodies(
    caseworker_a: User, settings: object
) -> None:
    client = api_client_for(caseworker_a)
    counts = Case.objects.count()
    wrong_type = client.post("/api/v1/cases/", "given_name=x", content_type="text/plain")
    assert wrong_type.status_code == 415
    malformed = client.post("/api/v1/cases/", "{not json", content_type="application/json")
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "parse_error"
    huge = json.dumps({"summary": "x" * 1_100_000})
    too_big = client.post("/api/v1/cases/", huge, content_type="application/json")
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "too_large"
    not_a_dict = client.post("/api/v1/cases/", "[1, 2]", content_type="application/json")
    assert not_a_dict.status_code == 400
    assert Case.objects.count() == counts


@pytest.mark.django_db
def test_dates_of_birth_round_trip_as_dates(caseworker_a: User) -> None:
    case = register_case(caseworker_a, date_of_birth=datetime.date(2010, 2, 28))
    child = Child.objects.get(pk=case.child_id)
    assert child.date_of_birth == datetime.date(2010, 2, 28)


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_page(
    caseworker_a: User, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(caseworker_a)
    register_case(caseworker_a)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/cases/")
    for _ in range(24):
        register_case(caseworker_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/cases/")
    assert len(response.json()["results"]) == 25
