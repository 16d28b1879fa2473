"""Move some demo cases along their lifecycle through the real services, so that every stage,
the child's views, a plan awaiting approval, a non-punishment notice and a guardian alert can
be seen in the demo."""

from __future__ import annotations

import datetime

from django.utils import timezone

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.cases.services import (
    ChildViewsInput,
    assessment_record,
    case_transition,
    case_update,
    child_views_record,
    justice_contact_record,
    plan_approve,
    plan_create,
    plan_submit,
    task_create,
)
from safepath.cases.services.records import age_on

CLI = Channel.CLI


def _views(language: str = "sw") -> ChildViewsInput:
    return ChildViewsInput(
        views="(synthetic) I feel safe here and want to go back to school.",
        informed_language=language,
        interpreter_language=language,
        informed_in_understandable_manner=True,
        weight_given="(synthetic) Given significant weight; consistent with the assessment.",
        heard_on=timezone.localdate(),
    )


def _move(user: User, case: Case, target: str) -> Case:
    return case_transition(
        user=user, case=case, expected_version=case.version, target=target, channel=CLI
    )


def _to_plan(worker: User, case: Case) -> Case:
    case = _move(worker, case, "assessment")
    assessment_record(
        user=worker,
        case=case,
        kind="short",
        assessed_on=timezone.localdate(),
        findings="(synthetic) Safe placement; needs schooling and health check.",
        recommendation="(synthetic) Case plan with education and health goals.",
        channel=CLI,
    )
    return _move(worker, case, "case_plan")


def advance_demo_cases(*, worker: User, supervisor: User) -> None:
    """Idempotent: only cases still at registration are moved."""
    today = timezone.localdate()
    candidates = (
        Case.objects.filter(owner_agency=worker.agency_id, status="registered")
        .filter(assignments__user=worker, assignments__ended_at__isnull=True)
        .select_related("child")
        .order_by("created_at")
    )
    # children well under the transition age, so that no adulthood rule stands in the way
    cases = [c for c in candidates if (age_on(c.child.date_of_birth, today) or 0) < 16][:6]
    if len(cases) < 6:
        return
    in_assessment, plan_waiting, implementing, unaccompanied, urgent, _ = cases
    _move(worker, in_assessment, "assessment")

    case = _to_plan(worker, plan_waiting)
    plan = plan_create(
        user=worker, case=case, goals=["Enrol in school", "Health check"], channel=CLI
    )
    child_views_record(user=worker, case=case, decision="plan", views=_views(), channel=CLI)
    plan_submit(user=worker, plan=plan, channel=CLI)

    case = _to_plan(worker, implementing)
    plan = plan_create(user=worker, case=case, goals=["Family tracing", "School"], channel=CLI)
    child_views_record(user=worker, case=case, decision="plan", views=_views(), channel=CLI)
    plan_submit(user=worker, plan=plan, channel=CLI)
    plan_approve(user=supervisor, plan=plan, channel=CLI)
    case = _move(worker, Case.objects.get(pk=case.pk), "implementation")
    task_create(
        user=worker,
        case=case,
        title="(synthetic) Visit the school with the child",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
        owner=worker,
        plan=plan,
        channel=CLI,
    )

    case_update(
        user=worker,
        case=unaccompanied,
        expected_version=unaccompanied.version,
        changes={
            "care_arrangement": "unaccompanied",
            "identified_on": timezone.localdate() - datetime.timedelta(days=10),
        },
        channel=CLI,
    )
    case = _move(worker, urgent, "urgent_protection")
    justice_contact_record(
        user=worker,
        case=case,
        kind="arrested",
        occurred_on=timezone.localdate(),
        authority="(synthetic) Central police station",
        details="(synthetic) Held for a petty offence committed under the exploiter's control.",
        channel=CLI,
    )
