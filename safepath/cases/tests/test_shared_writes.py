"""Only the owning agency writes to a case; an agency it is shared with reads it (within the
consent) and writes nothing to it: no note, no child's views, no justice contact, no record of any
kind, no decision. Every write endpoint of a case x everyone who can see the case; a denied
cell proves that nothing at all changed (no row, no history line, no audit event, no alert)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from safepath.accounts.models import User
from safepath.accounts.roles import AgencyType, Role
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, CaseTask
from safepath.cases.services import case_assign, case_share, consent_record, task_create
from safepath.testing.factories import AgencyFactory, UserFactory, register_case
from safepath.testing.fixtures import api_client_for, web_client_for

TODAY = str(timezone.localdate())
VIEWS: dict[str, Any] = {
    "views": "I would like to go back to school.",
    "informed_language": "en",
    "informed_in_understandable_manner": True,
    "weight_given": "Given weight.",
    "heard_on": TODAY,
}
PANEL = [{"name": "Panel One"}, {"name": "Panel Two"}, {"name": "Panel Three"}]

# Every way to write to a case through the API: the path under the case and the body; the
# body's "version" is filled in with the case's current version.
WRITES: dict[str, tuple[str, dict[str, Any]]] = {
    "update": ("", {"version": 0, "summary": "Changed by the writer."}),
    "child_views": ("child-views/", {**VIEWS, "decision": "plan"}),
    "note": ("notes/", {"body": "A note from the writer."}),
    "justice_contact": ("justice-contacts/", {"kind": "arrested", "occurred_on": TODAY}),
    "assessment": (
        "assessments/",
        {"kind": "short", "assessed_on": TODAY, "findings": "Safe."},
    ),
    "determination": (
        "determinations/",
        {"decided_on": TODAY, "panel": PANEL, "decision": "return", "reasons": "Safe return."},
    ),
    "plan": ("plans/", {"goals": ["School"]}),
    "review": ("reviews/", {"reviewed_on": TODAY, "summary": "On track."}),
    "guardian": ("guardians/", {"guardian_name": "G. Guardian", "appointed_on": TODAY}),
    "transition_plan": (
        "transition-plans/",
        {"agreed_on": TODAY, "content": "Housing.", "aftercare_wanted": True},
    ),
    "age_assessment": (
        "age-assessments/",
        {"method": "interview", "assessed_on": TODAY, "minimum_age": 13, "maximum_age": 15},
    ),
    "family": ("family/", {"relation": "aunt", "name": "A. Aunt"}),
    "transition": ("transitions/", {"version": 0, "target": "assessment"}),
    "placement": ("placement/", {"version": 0, "placement": "shelter", "views": VIEWS}),
    "solution": ("durable-solution/", {"version": 0, "solution": "return", "views": VIEWS}),
}

# who can see the case (everyone else gets 404 from every write: test_access_matrix.py)
WRITERS = ("supervisor@owner", "caseworker@owner+assigned", "police@owner+assigned")
READERS = ("supervisor@shared", "caseworker@shared+assigned", "police@shared+assigned")


def _solution_allowed(status: int) -> bool:
    return status in (200, 400)  # 400: a business rule (no determination), not a permission


@pytest.fixture
def world(db: None) -> tuple[Case, dict[str, User]]:
    owner = AgencyFactory(name="Owner", code="own")
    shared = AgencyFactory(name="Shared", code="shr", agency_type=AgencyType.NGO)
    registrar = UserFactory(role=Role.CASEWORKER, agency=owner)
    case = register_case(registrar)
    consent = consent_record(
        user=registrar,
        case=case,
        given_by="child",
        purpose="sharing",
        data_scope="all",
        data_categories=["identity", "contact", "case_facts", "plan", "health", "justice", "notes"],
        recipient_agency=shared,
        given_on=timezone.localdate(),
        expires_on=None,
        channel="api",
    )
    case_share(user=registrar, case=case, agency=shared, consent=consent, channel="api")
    people = {
        "supervisor@owner": UserFactory(role=Role.SUPERVISOR, agency=owner),
        "caseworker@owner+assigned": registrar,
        "police@owner+assigned": UserFactory(role=Role.LAW_ENFORCEMENT, agency=owner),
        "supervisor@shared": UserFactory(role=Role.SUPERVISOR, agency=shared),
        "caseworker@shared+assigned": UserFactory(role=Role.CASEWORKER, agency=shared),
        "police@shared+assigned": UserFactory(role=Role.LAW_ENFORCEMENT, agency=shared),
    }
    for label in ("police@owner+assigned",):
        case_assign(user=people["supervisor@owner"], case=case, assignee=people[label], channel="t")
    for label in ("caseworker@shared+assigned", "police@shared+assigned"):
        boss = people["supervisor@shared"]
        case_assign(user=boss, case=case, assignee=people[label], channel="t")
    return case, people


RELATED = (
    "changes",
    "child_views",
    "notes",
    "justice_contacts",
    "assessments",
    "determinations",
    "plans",
    "tasks",
    "reviews",
    "guardians",
    "transition_plans",
    "age_assessments",
    "family",
    "documents",
)


def snapshot(case: Case) -> dict[str, Any]:
    """Everything a write could change: the case row, each list on it, the audit trail."""
    fresh = Case.objects.select_related("child").get(pk=case.pk)
    return {
        "case": (fresh.version, fresh.status, fresh.summary, fresh.placement),
        "child": fresh.child.updated_at,
        "done": sorted(str(t) for t in CaseTask.objects.filter(case=case, done_at__isnull=False)),
        "audit": AuditEvent.objects.count(),
        **{name: getattr(fresh, name).count() for name in RELATED},
    }


def _send(case: Case, user: User, name: str) -> int:
    tail, body = WRITES[name]
    body = dict(body)
    if "version" in body:
        body["version"] = Case.objects.values_list("version", flat=True).get(pk=case.pk)
    client = api_client_for(user)
    path = f"/api/v1/cases/{case.id}/{tail}"
    send: Callable[..., Any] = client.patch if name == "update" else client.post
    return int(send(path, body, format="json").status_code)


@pytest.mark.parametrize("label", WRITERS + READERS)
@pytest.mark.parametrize("name", list(WRITES))
def test_only_the_owning_agency_writes_to_a_case(
    world: tuple[Case, dict[str, User]], label: str, name: str
) -> None:
    case, people = world
    before = snapshot(case)

    status = _send(case, people[label], name)

    if label in READERS:
        assert status == 403
        assert snapshot(case) == before
    elif name == "solution":
        assert _solution_allowed(status)
    else:
        assert status in (200, 201)
        assert snapshot(case) != before


@pytest.mark.parametrize("label", WRITERS + READERS)
def test_completing_a_task_is_a_write_of_the_owning_agency(
    world: tuple[Case, dict[str, User]], label: str
) -> None:
    case, people = world
    owner = people["supervisor@owner"]
    task = task_create(
        user=owner, case=case, title="Visit", due_on=timezone.localdate(), owner=owner, channel="t"
    )
    before = snapshot(case)

    response = api_client_for(people[label]).post(
        f"/api/v1/cases/{case.id}/tasks/{task.id}/completion/"
    )

    if label in READERS:
        assert response.status_code == 403
        assert snapshot(case) == before
    else:
        assert response.status_code == 200
        assert snapshot(case)["done"] == [str(task)]


@pytest.mark.django_db
def test_a_task_is_given_only_to_someone_of_the_owning_agency(
    world: tuple[Case, dict[str, User]],
) -> None:
    case, people = world
    before = snapshot(case)
    body = {
        "title": "Visit",
        "due_on": TODAY,
        "owner": str(people["caseworker@shared+assigned"].id),
    }

    response = api_client_for(people["supervisor@owner"]).post(
        f"/api/v1/cases/{case.id}/tasks/", body, format="json"
    )

    assert response.status_code == 400
    assert "owner" in response.json()["fields"]
    assert snapshot(case) == before


WEB_WRITES: dict[str, dict[str, str]] = {
    "note": {"note-body": "A note from the partner."},
    "views": {
        "views-decision": "plan",
        "views-views": "Heard by the partner.",
        "views-informed_language": "en",
        "views-informed_in_understandable_manner": "on",
        "views-weight_given": "Some.",
        "views-heard_on": TODAY,
    },
    "justice": {"justice-kind": "arrested", "justice-occurred_on": TODAY},
}


@pytest.mark.parametrize("action", list(WEB_WRITES))
def test_a_partner_gets_no_write_form_and_its_posted_write_changes_nothing(
    world: tuple[Case, dict[str, User]], action: str
) -> None:
    case, people = world
    client = web_client_for(people["caseworker@shared+assigned"])
    before = snapshot(case)

    for page in ("", "plan/", "care/"):
        html = client.get(f"/cases/{case.id}/{page}").content.decode()
        assert f"/do/{action}/" not in html
    last_event = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[0]
    response = client.post(f"/cases/{case.id}/do/{action}/", WEB_WRITES[action])

    assert response.status_code == 403
    # the page drawn again with the refusal is a read, and the only event written
    after = snapshot(case)
    written = AuditEvent.objects.filter(seq__gt=last_event).values_list("action", flat=True)
    assert set(written) == {"read"}
    assert {**after, "audit": 0} == {**before, "audit": 0}
    # the owner's worker gets the form, and the same post is saved
    owner = web_client_for(people["caseworker@owner+assigned"])
    page = {"note": "plan/", "views": "", "justice": "care/"}[action]
    assert f"/do/{action}/" in owner.get(f"/cases/{case.id}/{page}").content.decode()
    assert owner.post(f"/cases/{case.id}/do/{action}/", WEB_WRITES[action]).status_code == 302
    assert snapshot(case) != before
