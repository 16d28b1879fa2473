"""Deadlines by urgency and the escalation of overdue referrals, with an injected clock."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, Consent
from safepath.cases.services import ChildViewsInput
from safepath.referrals import catalogue
from safepath.referrals.models import Escalation, Referral
from safepath.referrals.services import (
    ReferralInput,
    referral_accept,
    referral_create,
    referrals_escalate_overdue,
)
from safepath.testing.fixtures import api_client_for, call_cli

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def _refer(user: User, case: Case, agency: Agency, consent: Consent, urgency: str) -> Referral:
    return referral_create(
        user=user,
        case=case,
        data=ReferralInput(
            receiving_agency=agency,
            service_type="shelter.emergency",
            urgency=urgency,
            reason="Needs shelter.",
            consent=consent,
            child_views=ChildViewsInput(
                informed_language="sw",
                informed_in_understandable_manner=True,
                weight_given="Agreed with the child.",
                heard_on=timezone.localdate(),
                views="Yes.",
            ),
        ),
        channel="api",
        now=T0,
    )


@pytest.mark.parametrize(("urgency", "hours"), [("high", 24), ("medium", 72), ("low", 168)])
def test_deadline_follows_the_data_file(
    urgency: str,
    hours: int,
    caseworker_a: User,
    case_a: Case,
    agency_b: Agency,
    consent_a_to_b: Consent,
) -> None:
    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b, urgency)
    assert referral.due_at == T0 + datetime.timedelta(hours=hours)
    assert catalogue.deadlines()[urgency].respond_within == datetime.timedelta(hours=hours)


def test_overdue_escalates_to_the_worker_then_the_supervisors(
    make_user: Callable[..., User],
    caseworker_a: User,
    supervisor_a: User,
    case_a: Case,
    agency_b: Agency,
    consent_a_to_b: Consent,
) -> None:
    supervisor_b = make_user(Role.SUPERVISOR, agency_b)
    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b, "high")

    early = referrals_escalate_overdue(now=T0 + 23 * HOUR)
    assert early.marked_overdue == []
    assert not Escalation.objects.exists()

    first = referrals_escalate_overdue(now=T0 + 25 * HOUR)
    assert first.marked_overdue == [str(referral.id)]
    assert first.to_worker == 1
    assert first.to_supervisor == 0
    assert list(Escalation.objects.values_list("level", "recipient")) == [
        (Escalation.WORKER, caseworker_a.id)
    ]
    referral.refresh_from_db()
    assert referral.overdue_at == T0 + 25 * HOUR
    assert referral.version == 2

    again = referrals_escalate_overdue(now=T0 + 26 * HOUR)  # idempotent
    assert again.marked_overdue == []
    assert again.to_worker == 0
    assert again.to_supervisor == 0

    second = referrals_escalate_overdue(now=T0 + 36 * HOUR)  # 24 h + 12 h supervisor step
    assert second.to_supervisor == 2
    supervisors = set(
        Escalation.objects.filter(level=Escalation.SUPERVISOR).values_list("recipient", flat=True)
    )
    assert supervisors == {supervisor_a.id, supervisor_b.id}
    assert AuditEvent.objects.filter(object_type="referral_escalation").count() == 3
    assert (
        AuditEvent.objects.filter(
            object_type="referral", object_id=str(referral.id), details__transition="overdue"
        ).count()
        == 1
    )

    # the escalations show on the recipients' referral pages and in the overdue list
    overdue = api_client_for(supervisor_a).get("/api/v1/referrals/?overdue=1").json()
    assert [row["id"] for row in overdue["results"]] == [str(referral.id)]

    # answering resolves them
    referral_accept(
        user=supervisor_b, referral=referral, expected_version=2, channel="api", now=T0 + 40 * HOUR
    )
    assert not Escalation.objects.filter(resolved_at__isnull=True).exists()


def test_answered_referrals_never_escalate(
    caseworker_a: User, caseworker_b: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b, "high")
    referral_accept(user=caseworker_b, referral=referral, expected_version=1, channel="api", now=T0)
    run = referrals_escalate_overdue(now=T0 + 100 * HOUR)
    assert run.marked_overdue == []
    assert not Escalation.objects.exists()


def test_cli_escalate_prints_json(
    caseworker_a: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b, "high")
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - HOUR)
    code, out, _ = call_cli("referrals", "escalate", "--format", "json")
    assert code == 0
    import json

    assert json.loads(out) == {
        "marked_overdue": [str(referral.id)],
        "to_worker": 1,
        "to_supervisor": 0,
    }


def test_periodic_task_runs_the_same_escalation(
    caseworker_a: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    from safepath.referrals.tasks import referrals_escalate_overdue as task

    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b, "low")
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - HOUR)
    result = task.enqueue()
    assert result.return_value["marked_overdue"] == [str(referral.id)]


def test_cli_validate_reports_the_data_files(db: None) -> None:
    code, out, _ = call_cli("referrals", "validate", "--format", "json")
    assert code == 0
    import json

    report = json.loads(out)
    assert report["urgencies"] == ["high", "low", "medium"]
    assert report["regions"] == ["*", "KE"]
    assert report["service_types"] == len(catalogue.taxonomy().types)


def test_escalations_api_lists_open_escalations(
    caseworker_a: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b, "high")
    referrals_escalate_overdue(now=T0 + 25 * HOUR)
    rows = api_client_for(caseworker_a).get("/api/v1/referrals/escalations/").json()["results"]
    assert [(row["referral"], row["level"]) for row in rows] == [(str(referral.id), 1)]
