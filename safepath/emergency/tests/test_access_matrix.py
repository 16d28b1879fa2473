"""Who may do what in the emergency app, as a matrix of roles x agencies x actions; a denied
action changes nothing (the counts of registrations, emergencies and audit events stay)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent, Channel
from safepath.emergency.models import Emergency, Registration
from safepath.emergency.services.emergencies import emergency_declare
from safepath.emergency.services.registration import registration_create
from safepath.emergency.tests.helpers import batch, clean, create_op, update_op, values
from safepath.testing.fixtures import api_client_for, web_client_for

pytestmark = pytest.mark.django_db
ROLES = [
    ("caseworker_a", Role.CASEWORKER, "a"),
    ("supervisor_a", Role.SUPERVISOR, "a"),
    ("police_a", Role.LAW_ENFORCEMENT, "a"),
    ("caseworker_b", Role.CASEWORKER, "b"),
    ("coordinator", Role.COORDINATOR, "nrm"),
    ("analyst", Role.ANALYST, "nrm"),
    ("dpo", Role.DATA_PROTECTION_OFFICER, "nrm"),
    ("admin", Role.SYSTEM_ADMIN, None),
    ("fiu", Role.FINANCIAL_ANALYST, "nrm"),
]
# action -> the roles allowed
ALLOWED = {
    "sync": {"caseworker_a", "supervisor_a", "police_a", "caseworker_b"},
    "field_page": {"caseworker_a", "supervisor_a", "police_a", "caseworker_b"},
    "declare": {"coordinator"},
    "board": {"coordinator", "supervisor_a"},
    "risk": {"coordinator", "analyst", "dpo", "supervisor_a"},
    "import_page": {"caseworker_a", "supervisor_a", "caseworker_b"},
}


@pytest.fixture
def people(
    agency_a: Agency, agency_b: Agency, coordination: Agency, make_user: Callable[..., User]
) -> dict[str, User]:
    homes = {"a": agency_a, "b": agency_b, "nrm": coordination, None: None}
    return {name: make_user(role, homes[home], name) for name, role, home in ROLES}


@pytest.fixture
def world(people: dict[str, User]) -> dict[str, Any]:
    registration = registration_create(
        user=people["caseworker_a"],
        record_id=uuid.uuid4(),
        values=clean(values()),
        channel=Channel.WEB,
    )
    emergency = emergency_declare(
        user=people["coordinator"],
        name="Floods",
        hazard="flood",
        country="KE",
        admin_areas=[],
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        ends_on=None,
        channel=Channel.WEB,
    )
    return {"registration": registration, "emergency": emergency}


def _counts() -> tuple[int, int, int]:
    return (Registration.objects.count(), Emergency.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize(("name", "role", "home"), ROLES)
def test_the_matrix(
    name: str, role: str, home: str | None, people: dict[str, User], world: dict[str, Any]
) -> None:
    user = people[name]
    api = api_client_for(user)
    web = web_client_for(user)
    emergency = world["emergency"]

    before = _counts()
    synced = api.post("/api/v1/emergency/sync/", batch(create_op()), format="json")
    if name in ALLOWED["sync"]:
        assert synced.status_code == 200
        assert synced.json()["results"][0]["status"] == 201
    else:
        assert synced.status_code == 404
        assert _counts()[:2] == before[:2]

    assert web.get("/emergency/field/").status_code == (
        200 if name in ALLOWED["field_page"] else 404
    )
    assert web.get("/emergency/import/").status_code == (
        200 if name in ALLOWED["import_page"] else 404
    )
    assert web.get("/emergency/risk/").status_code == (200 if name in ALLOWED["risk"] else 404)
    board = api.get(f"/api/v1/emergency/emergencies/{emergency.id}/board/")
    assert board.status_code == (200 if name in ALLOWED["board"] else 404)

    before = _counts()
    declared = api.post(
        "/api/v1/emergency/emergencies/",
        {
            "name": "Drought",
            "hazard": "drought",
            "country": "KE",
            "starts_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    if name in ALLOWED["declare"]:
        assert declared.status_code == 201
    else:
        assert declared.status_code == 404
        assert _counts() == before


@pytest.mark.parametrize("name", ["supervisor_a", "caseworker_b", "police_a"])
def test_a_registration_is_changed_only_by_who_may_change_its_case(
    name: str, people: dict[str, User], world: dict[str, Any]
) -> None:
    registration = world["registration"]
    op = update_op(
        str(registration.record_id), 1, {"site": "Elsewhere"}, {"site": registration.site}
    )
    result = (
        api_client_for(people[name])
        .post("/api/v1/emergency/sync/", batch(op), format="json")
        .json()
    )
    status = result["results"][0]["status"]
    registration.refresh_from_db()
    if name == "supervisor_a":  # the owning agency's supervisor edits its cases
        assert status == 200
        assert registration.site == "Elsewhere"
    else:  # another agency, or police not assigned: the record does not exist for them
        assert status == 404
        assert registration.site == "Reception centre gate"


def test_an_agency_the_case_is_shared_with_reads_the_case_not_the_field_registration(
    people: dict[str, User], world: dict[str, Any], agency_b: Agency, make_user: Callable[..., User]
) -> None:
    """The registration holds the whole field form (no consent category): shared or not, only
    the owning agency reads it (issue 21: no output that bypasses the category map)."""
    from safepath.cases.services import case_assign, case_share, consent_record

    registration = world["registration"]
    case, owner = registration.case, people["caseworker_a"]
    consent = consent_record(
        user=owner,
        case=case,
        given_by="guardian",
        purpose="sharing",
        data_scope="case facts only",
        data_categories=["case_facts"],
        recipient_agency=agency_b,
        given_on=timezone.localdate(),
        expires_on=None,
        channel=Channel.API,
    )
    case_share(user=owner, case=case, agency=agency_b, consent=consent, channel=Channel.API)
    supervisor_b = make_user(Role.SUPERVISOR, agency_b, "supervisor_b")
    worker_b = people["caseworker_b"]
    case_assign(user=supervisor_b, case=case, assignee=worker_b, channel=Channel.API)
    url = f"/api/v1/emergency/registrations/{registration.record_id}/"

    assert api_client_for(worker_b).get(f"/api/v1/cases/{case.id}/").status_code == 200
    for reader in (worker_b, supervisor_b):
        response = api_client_for(reader).get(url)
        assert response.status_code == 404
        assert registration.site not in response.content.decode()
        mine = api_client_for(reader).get("/api/v1/emergency/registrations/mine/").json()
        assert str(registration.record_id) not in str(mine)
    assert api_client_for(owner).get(url).status_code == 200
