"""Moving a case through its stages: the service gathers the facts, ``lifecycle.py`` judges."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.cases import notices
from safepath.cases.lifecycle import CaseFacts, Refusal, check_transition
from safepath.cases.models import Case, ChildViews, Consent, PlanStatus, consent_in_force
from safepath.cases.policies import CaseAction
from safepath.cases.services.checks import require
from safepath.cases.services.records import age_on
from safepath.cases.services.versioning import case_version_bump, change_record
from safepath.cases.vocabulary import CaseStatus, ConsentGiver, ConsentPurpose, DurableSolution
from safepath.core.exceptions import ApplicationError


class TransitionRefusedError(ApplicationError):
    """The move is not allowed now; ``reasons`` says every rule that stands in the way."""

    code = "transition_refused"

    def __init__(self, refusals: list[Refusal]):
        super().__init__(
            " ".join(str(refusal) for refusal in refusals),
            extra={"reasons": [{"code": r.code, "message": str(r)} for r in refusals]},
        )
        self.refusals = refusals


def case_facts(*, case: Case, user: User | None = None) -> CaseFacts:
    """What the lifecycle rules need to know about ``case``, read in a few queries."""
    age = age_on(case.child.date_of_birth, timezone.localdate())
    disputed = case.age_assessments.filter(disputed=True).exists()
    determinations = case.determinations.filter(approved_at__isnull=False)
    return CaseFacts(
        status=case.status,
        actor_is_supervisor=bool(
            user and user.role == Role.SUPERVISOR and user.agency_id == case.owner_agency_id
        ),
        has_assessment=case.assessments.exists(),
        plan_approved=case.plans.filter(status=PlanStatus.APPROVED).exists(),
        views_recorded=frozenset(
            ChildViews.objects.filter(
                case=case, recorded_at__gte=case.status_changed_at
            ).values_list("decision", flat=True)
        ),
        durable_solution=case.durable_solution,
        determined_solutions=frozenset(determinations.values_list("decision", flat=True)),
        return_checks_done=determinations.filter(
            decision=DurableSolution.RETURN,
            risk_assessment_done=True,
            non_refoulement_checked=True,
        ).exists(),
        age=age,
        presumed_child=disputed or age is None or age < 18,
        transition_plan=case.transition_plans.exists(),
        aftercare_consent=Consent.objects.filter(
            consent_in_force(),
            case=case,
            purpose=ConsentPurpose.AFTERCARE,
            given_by=ConsentGiver.CHILD,
        ).exists(),
        transition_plan_age=settings.CASE_TRANSITION_PLAN_AGE,
    )


@transaction.atomic
def case_transition(
    *,
    user: User,
    case: Case,
    expected_version: int,
    target: str,
    channel: str,
    closure_reason: str = "",
) -> Case:
    """Move the case to ``target``, or refuse with every reason in words (and no change)."""
    require(user, CaseAction.EDIT, case, _("You may read this case but not move it on."))
    fresh = case_version_bump(case=case, expected_version=expected_version)
    refusals = check_transition(
        case_facts(case=fresh, user=user), target, closure_reason=closure_reason
    )
    if refusals:
        raise TransitionRefusedError(refusals)
    before = {"status": fresh.status}
    fresh.status = target
    fresh.status_changed_at = timezone.now()
    fresh.closure_reason = closure_reason if target == CaseStatus.CLOSED else ""
    fresh.save(update_fields=["status", "status_changed_at", "closure_reason"])
    after = {"status": target}
    if closure_reason and target == CaseStatus.CLOSED:
        after["closure_reason"] = closure_reason
    change_record(case=fresh, user=user, kind="transition", before=before, after=after)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="case",
        object_id=fresh.id,
        details={"transition": f"{before['status']}->{target}"},
    )
    notices.case_status_changed(fresh, before["status"])
    return fresh
