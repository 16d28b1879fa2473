"""The service directory: import all-or-nothing from CSV and YAML, list as JSON, search by API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.referrals.models import Service, ServiceProvider
from safepath.testing.fixtures import api_client_for, call_cli

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_import_csv_then_list_json(agency_b: Agency) -> None:
    code, out, _ = call_cli("services", "import", str(DATA / "services_ok.csv"), "--format", "json")
    assert code == 0
    assert json.loads(out) == {"providers_created": 2, "services_created": 2, "services_updated": 0}
    shelter = Service.objects.get(name="Girls' shelter Mombasa")
    assert shelter.provider.agency == agency_b
    assert shelter.languages == ["sw", "en"]
    assert shelter.gender_served == "female"
    assert shelter.capacity == 8
    assert ServiceProvider.objects.get(name="Clinic Example").is_external
    code, out, _ = call_cli("services", "list", "--format", "json")
    names = sorted(row["name"] for row in json.loads(out))
    assert names == ["Girls' shelter Mombasa", "Youth clinic"]
    # a second import updates instead of duplicating
    code, out, _ = call_cli("services", "import", str(DATA / "services_ok.csv"), "--format", "json")
    assert json.loads(out)["services_updated"] == 2
    assert Service.objects.count() == 2
    assert AuditEvent.objects.filter(object_type="service_directory").count() == 2


def test_import_yaml(db: None) -> None:
    code, out, _ = call_cli("services", "import", str(DATA / "services_ok.yaml"))
    assert code == 0
    assert "1 services created" in out
    assert Service.objects.get().languages == ["sw", "so"]


def test_bad_import_names_row_and_field_and_stores_nothing(agency_b: Agency) -> None:
    with pytest.raises(CommandError) as refused:
        call_cli("services", "import", str(DATA / "services_bad.csv"))
    assert refused.value.returncode == 2
    err = str(refused.value)
    for expected in (
        "services_bad.csv: row 2, field service_type: unknown type 'shelter.castle'",
        "services_bad.csv: row 3, field country",
        "services_bad.csv: row 3, field languages",
        "services_bad.csv: row 3, field capacity",
        "services_bad.csv: row 3, field age_max",
        "services_bad.csv: row 3, field agency_code",
    ):
        assert expected in err
    assert not Service.objects.exists()
    assert not ServiceProvider.objects.exists()


def test_missing_file_exits_2(db: None) -> None:
    with pytest.raises(CommandError, match="no such file") as refused:
        call_cli("services", "import", "/nonexistent/services.csv")
    assert refused.value.returncode == 2


@pytest.fixture
def directory(agency_b: Agency) -> None:
    assert call_cli("services", "import", str(DATA / "services_ok.csv"))[0] == 0
    assert call_cli("services", "import", str(DATA / "services_ok.yaml"))[0] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Girls' shelter Mombasa", "Swahili and Somali interpretation", "Youth clinic"]),
        ("?service_type=health", ["Youth clinic"]),
        ("?service_type=shelter.emergency", ["Girls' shelter Mombasa"]),
        ("?admin_area=mombasa", ["Girls' shelter Mombasa"]),
        ("?language=so", ["Swahili and Somali interpretation"]),
        ("?age=20", ["Youth clinic"]),
        ("?gender=male", ["Swahili and Somali interpretation", "Youth clinic"]),
        ("?country=UG", []),
    ],
)
def test_service_search_api(
    query: str, expected: list[str], directory: None, caseworker_a: User
) -> None:
    response = api_client_for(caseworker_a).get(f"/api/v1/services/{query}")
    assert response.status_code == 200
    assert sorted(row["name"] for row in response.json()["results"]) == expected


def test_service_directory_hidden_from_roles_without_casework(
    directory: None, make_user: object, agency_a: Agency
) -> None:
    from safepath.testing.factories import UserFactory

    analyst = UserFactory(role=Role.ANALYST, agency=agency_a)
    assert api_client_for(analyst).get("/api/v1/services/").status_code == 404


def test_service_types_api_lists_taxonomy_with_source(caseworker_a: User) -> None:
    body = api_client_for(caseworker_a).get("/api/v1/services/types/").json()
    codes = {row["code"] for row in body["types"]}
    for family in (
        "care",
        "shelter",
        "documents.birth_registration",
        "education",
        "health.mental",
        "health.sexual_reproductive",
        "legal",
        "social_protection",
        "family_support",
        "interpretation",
    ):
        assert family in codes
    assert body["source"]


def test_service_list_query_count_is_constant(
    directory: None, caseworker_a: User, django_assert_max_num_queries: object
) -> None:
    client = api_client_for(caseworker_a)
    client.get("/api/v1/services/")  # warm the session and token caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/services/")
    for n in range(10):
        Service.objects.create(
            provider=ServiceProvider.objects.first(),
            name=f"Extra {n}",
            service_type="health",
            country="KE",
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/services/")
    assert len(response.json()["results"]) == 13
    assert len(many) == len(few)
