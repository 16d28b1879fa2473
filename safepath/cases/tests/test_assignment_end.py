"""Ending a case assignment (issue 21): the policy reads only open assignments, and now a
supervisor can end one, through the API or the case page; the end is audited, the assignment is
kept with its end, and the person's access through it stops at once. Nobody else may end it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent, Channel
from safepath.cases.models import Case, CaseAssignment
from safepath.cases.services import case_assign, case_share, consent_record
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(caseworker_a: User) -> Case:
    return register_case(caseworker_a)  # the registrar is assigned


def _assignment(case: Case, user: User) -> CaseAssignment:
    return CaseAssignment.objects.get(case=case, user=user, ended_at__isnull=True)


def _end_url(case: Case, assignment: CaseAssignment) -> str:
    return f"/api/v1/cases/{case.id}/assignments/{assignment.id}/end/"


def test_a_supervisor_ends_an_assignment_through_the_api_and_access_stops(
    case: Case, caseworker_a: User, supervisor_a: User
) -> None:
    worker = api_client_for(caseworker_a)
    assert worker.get(f"/api/v1/cases/{case.id}/").status_code == 200
    boss = api_client_for(supervisor_a)
    listed = boss.get(f"/api/v1/cases/{case.id}/assignments/")
    assert listed.status_code == 200
    assert [row["user"] for row in listed.json()] == [str(caseworker_a.id)]
    assignment = _assignment(case, caseworker_a)
    audit_before = AuditEvent.objects.filter(action="update", object_id=str(case.id)).count()

    ended = boss.post(_end_url(case, assignment))

    assert ended.status_code == 200, ended.json()
    assert ended.json()["ended_at"] is not None
    assignment.refresh_from_db()
    assert assignment.ended_at is not None  # kept, with its end
    assert worker.get(f"/api/v1/cases/{case.id}/").status_code == 404
    assert web_client_for(caseworker_a).get(f"/cases/{case.id}/").status_code == 404
    event = AuditEvent.objects.filter(action="update", object_id=str(case.id)).latest("seq")
    assert AuditEvent.objects.filter(action="update", object_id=str(case.id)).count() == (
        audit_before + 1
    )
    assert event.details == {"assignment_ended": str(caseworker_a.id)}
    assert boss.get(f"/api/v1/cases/{case.id}/assignments/").json() == []
    again = boss.post(_end_url(case, assignment))
    assert again.status_code == 409


def test_a_supervisor_ends_an_assignment_on_the_case_page(
    case: Case, caseworker_a: User, supervisor_a: User
) -> None:
    assignment = _assignment(case, caseworker_a)
    client = web_client_for(supervisor_a)
    page = client.get(f"/cases/{case.id}/").content.decode()
    button = f"/cases/{case.id}/do/end-assignment/{assignment.id}/"
    assert button in page

    done = client.post(button)

    assert done.status_code == 302
    assert done["Location"] == f"/cases/{case.id}/#assignments"
    assert web_client_for(caseworker_a).get(f"/cases/{case.id}/").status_code == 404
    assert button not in client.get(f"/cases/{case.id}/").content.decode()


def test_a_caseworker_sees_no_control_and_cannot_end_an_assignment(
    case: Case, caseworker_a: User, make_user: object
) -> None:
    other = make_user(Role.CASEWORKER, caseworker_a.agency)  # type: ignore[operator]
    case_assign(
        user=make_user(Role.SUPERVISOR, caseworker_a.agency),  # type: ignore[operator]
        case=case,
        assignee=other,
        channel=Channel.API,
    )
    assignment = _assignment(case, other)
    page = web_client_for(caseworker_a).get(f"/cases/{case.id}/").content.decode()
    assert "end-assignment" not in page
    api = api_client_for(caseworker_a).post(_end_url(case, assignment))
    web = web_client_for(caseworker_a).post(f"/cases/{case.id}/do/end-assignment/{assignment.id}/")
    assert (api.status_code, web.status_code) == (403, 403)
    assert _assignment(case, other).ended_at is None


def test_a_partner_supervisor_ends_only_their_own_staff_assignments(
    case: Case, caseworker_a: User, agency_b: Agency, make_user: object
) -> None:
    consent = consent_record(
        user=caseworker_a,
        case=case,
        given_by="guardian",
        purpose="sharing",
        data_scope="all",
        recipient_agency=agency_b,
        given_on=timezone.localdate(),
        expires_on=None,
        channel=Channel.API,
    )
    case_share(user=caseworker_a, case=case, agency=agency_b, consent=consent, channel=Channel.API)
    supervisor_b = make_user(Role.SUPERVISOR, agency_b)  # type: ignore[operator]
    worker_b = make_user(Role.CASEWORKER, agency_b)  # type: ignore[operator]
    case_assign(user=supervisor_b, case=case, assignee=worker_b, channel=Channel.API)
    client = api_client_for(supervisor_b)

    refused = client.post(_end_url(case, _assignment(case, caseworker_a)))
    listed = client.get(f"/api/v1/cases/{case.id}/assignments/").json()
    ended = client.post(_end_url(case, _assignment(case, worker_b)))

    assert refused.status_code == 403
    assert _assignment(case, caseworker_a).ended_at is None
    assert [row["user"] for row in listed] == [str(worker_b.id)]
    assert ended.status_code == 200
    assert api_client_for(worker_b).get(f"/api/v1/cases/{case.id}/").status_code == 404
