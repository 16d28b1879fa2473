"""API clients: a system's credential, scoped to agencies and purposes, rotatable, revocable,
audited, rate-limited per client with Retry-After; never accepted where a person's token is."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.notify.models import ApiClient
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Any) -> User:
    user: User = make_user(Role.SYSTEM_ADMIN, None, "admin")
    return user


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def _make(admin: User, agency: Agency, purposes: list[str]) -> tuple[str, dict[str, Any]]:
    answer = api_client_for(admin).post(
        "/api/v1/api-clients/",
        {"name": "OpenFn job", "agencies": [str(agency.id)], "purposes": purposes},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    return body["key"], body


def _as(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_client_reads_the_status_of_its_agencies_cases_and_each_read_is_audited(
    admin: User, agency_a: Agency, caseworker_a: User
) -> None:
    key, made = _make(admin, agency_a, ["case_status"])
    assert key.startswith("spk_")
    assert made["key_prefix"] in key
    assert ApiClient.objects.get().key_hash not in key  # only a digest is stored
    case = register_case(caseworker_a)
    answer = _as(key).get(f"/api/v1/integrations/cases/{case.reference}/")
    assert answer.status_code == 200
    assert answer.json() == {
        "case_id": str(case.id),
        "reference": case.reference,
        "owner_agency": str(agency_a.id),
        "status": case.status,
        "status_changed_at": answer.json()["status_changed_at"],
    }
    read = AuditEvent.objects.get(object_type="case", action="read", object_id=str(case.id))
    assert read.details == {"api_client": made["id"]}
    assert read.purpose == "case_status"


def test_a_client_sees_nothing_outside_its_agencies_or_purposes(
    admin: User, agency_a: Agency, agency_b: Agency, caseworker_a: User
) -> None:
    case = register_case(caseworker_a)
    other_agency, _ = _make(admin, agency_b, ["case_status"])
    other_purpose, _ = _make(admin, agency_a, ["referral_tracking"])
    for key in (other_agency, other_purpose):
        assert _as(key).get(f"/api/v1/integrations/cases/{case.reference}/").status_code == 404
    assert not AuditEvent.objects.filter(object_type="case", action="read").exists()


def test_a_clients_key_opens_no_persons_endpoint_and_a_persons_token_no_clients(
    admin: User, agency_a: Agency, caseworker_a: User
) -> None:
    key, _ = _make(admin, agency_a, ["case_status"])
    for path in ("/api/v1/cases/", "/api/v1/notifications/", "/api/v1/webhooks/"):
        assert _as(key).get(path).status_code in {401, 403}
    assert api_client_for(caseworker_a).get("/api/v1/integrations/whoami/").status_code in {
        401,
        403,
    }


def test_rotating_stops_the_old_key_at_once_and_revoking_stops_the_client(
    admin: User, agency_a: Agency
) -> None:
    old, made = _make(admin, agency_a, ["case_status"])
    assert _as(old).get("/api/v1/integrations/whoami/").json()["name"] == "OpenFn job"
    rotated = api_client_for(admin).post(f"/api/v1/api-clients/{made['id']}/rotate/").json()
    new = rotated["key"]
    assert _as(old).get("/api/v1/integrations/whoami/").status_code == 401
    assert _as(new).get("/api/v1/integrations/whoami/").status_code == 200
    api_client_for(admin).post(f"/api/v1/api-clients/{made['id']}/revoke/")
    assert _as(new).get("/api/v1/integrations/whoami/").status_code == 401
    kinds = list(
        AuditEvent.objects.filter(object_type="api_client").values_list("action", flat=True)
    )
    assert sorted(kinds) == ["admin", "admin", "key_rotation"]


@pytest.mark.parametrize("key", ["spk_nothing", "spk_abc_def", "Token x", "spk_" + "a" * 200])
def test_a_malformed_or_unknown_key_is_refused(key: str) -> None:
    assert _as(key).get("/api/v1/integrations/whoami/").status_code == 401


def test_each_client_has_its_own_rate_limit_with_retry_after(
    admin: User, agency_a: Agency, settings: Any
) -> None:
    settings.API_CLIENT_RATE = "3/minute"
    first, _ = _make(admin, agency_a, ["case_status"])
    second, _ = _make(admin, agency_a, ["case_status"])
    for _n in range(3):
        assert _as(first).get("/api/v1/integrations/whoami/").status_code == 200
    over = _as(first).get("/api/v1/integrations/whoami/")
    assert over.status_code == 429
    assert 0 < int(over["Retry-After"]) <= 60
    assert over.json()["detail"]
    assert _as(second).get("/api/v1/integrations/whoami/").status_code == 200


def test_only_the_system_administrator_makes_clients(
    caseworker_a: User, supervisor_a: User, agency_a: Agency
) -> None:
    for user in (caseworker_a, supervisor_a):
        answer = api_client_for(user).post(
            "/api/v1/api-clients/",
            {"name": "x", "agencies": [str(agency_a.id)], "purposes": ["case_status"]},
            format="json",
        )
        assert answer.status_code == 404
    assert ApiClient.objects.count() == 0
