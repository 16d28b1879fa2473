"""Decisions about the child, each with the child's views: the best-interests procedure, the
placement and the durable solution (UNHCR BIP Guidelines 2021; ICAT actions 2 and 3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.cases import notices
from safepath.cases.models import (
    MINIMUM_PANEL,
    BestInterestsAssessment,
    BestInterestsDetermination,
    Case,
    ChildViews,
)
from safepath.cases.policies import CaseAction
from safepath.cases.services.checks import refuse_future_date, require
from safepath.cases.services.versioning import (
    case_version_bump,
    change_record,
    item_audited,
    item_logged,
)
from safepath.cases.vocabulary import AssessmentKind, DecisionKind, DurableSolution, Placement
from safepath.core.exceptions import FieldValidationError
from safepath.core.languages import language_code


@dataclass(frozen=True)
class ChildViewsInput:
    informed_language: str
    informed_in_understandable_manner: bool
    weight_given: str
    heard_on: datetime.date
    views: str = ""
    declined_to_express: bool = False
    interpreter_language: str = ""


def _language_known(typed: str) -> bool:
    return language_code(typed) is not None


def _unknown_language() -> str:
    return _("Give the language's name or its ISO 639 code, such as Arabic or ar.")


def _check_views(views: ChildViewsInput) -> None:
    errors: dict[str, list[str]] = {}
    if not views.views.strip() and not views.declined_to_express:
        errors["views"] = [
            _("Write the child's views in their words, or record that they chose not to.")
        ]
    if not _language_known(views.informed_language):
        errors["informed_language"] = [_unknown_language()]
    if views.interpreter_language and not _language_known(views.interpreter_language):
        errors["interpreter_language"] = [_unknown_language()]
    if not views.informed_in_understandable_manner:
        errors["informed_in_understandable_manner"] = [
            _("Inform the child in a language and manner they understand before deciding.")
        ]
    if not views.weight_given.strip():
        errors["weight_given"] = [_("Say how the child's views were weighed in the decision.")]
    if views.heard_on > timezone.localdate():
        errors["heard_on"] = [_("This date cannot be in the future.")]
    if errors:
        raise FieldValidationError(errors)


def _views_create(
    *, user: User, case: Case, decision: str, views: ChildViewsInput, decision_ref: str
) -> ChildViews:
    _check_views(views)
    return ChildViews.objects.create(
        case=case,
        decision=decision,
        decision_ref=decision_ref,
        views=views.views.strip(),
        declined_to_express=views.declined_to_express,
        informed_language=language_code(views.informed_language) or "",
        interpreter_language=language_code(views.interpreter_language) or ""
        if views.interpreter_language.strip()
        else "",
        informed_in_understandable_manner=views.informed_in_understandable_manner,
        weight_given=views.weight_given.strip(),
        heard_on=views.heard_on,
        recorded_by=user,
    )


@transaction.atomic
def child_views_record(
    *,
    user: User,
    case: Case,
    decision: str,
    views: ChildViewsInput,
    channel: str,
    decision_ref: str = "",
) -> ChildViews:
    """The child's views on one decision, recorded by the owning agency (like every write)."""
    require(user, CaseAction.EDIT, case, _("You may not record views on this case."))
    if decision not in DecisionKind.values:
        raise FieldValidationError({"decision": [_("Unknown kind of decision.")]})
    record = _views_create(
        user=user, case=case, decision=decision, views=views, decision_ref=decision_ref
    )
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=record,
        object_type="child_views",
        after={"decision": decision},
    )
    return record


@transaction.atomic
def assessment_record(
    *,
    user: User,
    case: Case,
    kind: str,
    assessed_on: datetime.date,
    findings: str,
    recommendation: str,
    channel: str,
) -> BestInterestsAssessment:
    require(user, CaseAction.EDIT, case, _("You may not assess this case."))
    if kind not in AssessmentKind.values:
        raise FieldValidationError({"kind": [_("Choose a short or comprehensive assessment.")]})
    if not findings.strip():
        raise FieldValidationError({"findings": [_("Write what the assessment found.")]})
    refuse_future_date(assessed_on, "assessed_on")
    record = BestInterestsAssessment.objects.create(
        case=case,
        kind=kind,
        assessed_on=assessed_on,
        findings=findings.strip(),
        recommendation=recommendation.strip(),
        assessed_by=user,
    )
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=record,
        object_type="best_interests_assessment",
        kind="assessment",
        after={"kind": kind},
    )
    return record


@transaction.atomic
def determination_record(
    *,
    user: User,
    case: Case,
    decided_on: datetime.date,
    panel: list[dict[str, str]],
    decision: str,
    reasons: str,
    dissent: str = "",
    risk_assessment_done: bool = False,
    non_refoulement_checked: bool = False,
    channel: str,
) -> BestInterestsDetermination:
    """A panel's determination; it counts once a supervisor approves it."""
    require(user, CaseAction.EDIT, case, _("You may not record a determination on this case."))
    errors: dict[str, list[str]] = {}
    members = [
        {"name": str(m.get("name", "")).strip(), "role": str(m.get("role", "")).strip()}
        for m in panel
    ]
    if len([m for m in members if m["name"]]) < MINIMUM_PANEL:
        errors["panel"] = [
            _("A determination panel has at least %(n)s named members.") % {"n": MINIMUM_PANEL}
        ]
    if decision not in DurableSolution.values:
        errors["decision"] = [_("Choose the durable solution the panel decided.")]
    if not reasons.strip():
        errors["reasons"] = [_("Write the panel's reasons.")]
    if decided_on > timezone.localdate():
        errors["decided_on"] = [_("This date cannot be in the future.")]
    if errors:
        raise FieldValidationError(errors)
    record = BestInterestsDetermination.objects.create(
        case=case,
        decided_on=decided_on,
        panel=members,
        decision=decision,
        reasons=reasons.strip(),
        dissent=dissent.strip(),
        risk_assessment_done=risk_assessment_done,
        non_refoulement_checked=non_refoulement_checked,
        recorded_by=user,
    )
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=record,
        object_type="best_interests_determination",
        kind="determination",
        after={"decision": decision},
    )
    notices.awaiting_approval(
        case, kind="determination_awaiting_approval", record_id=record.id, page="procedure"
    )
    return record


@transaction.atomic
def determination_approve(
    *, user: User, determination: BestInterestsDetermination, channel: str
) -> BestInterestsDetermination:
    case = determination.case
    require(user, CaseAction.APPROVE, case, _("Only a supervisor approves a determination."))
    if determination.approved_at is not None:
        raise FieldValidationError({"determination": [_("This determination is approved.")]})
    determination.approved_by = user
    determination.approved_at = timezone.now()
    determination.save(update_fields=["approved_by", "approved_at"])
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=determination,
        object_type="best_interests_determination",
        action=Action.UPDATE,
        kind="determination_approved",
        after={"approved": True},
    )
    return determination


@transaction.atomic
def solution_choose(
    *,
    user: User,
    case: Case,
    expected_version: int,
    solution: str,
    views: ChildViewsInput,
    channel: str,
) -> Case:
    """Choose the durable solution, with the child's views on it, in one step."""
    require(user, CaseAction.EDIT, case, _("You may not decide on this case."))
    if solution not in DurableSolution.values:
        raise FieldValidationError({"solution": [_("Choose a durable solution.")]})
    return _decide(
        user=user,
        case=case,
        expected_version=expected_version,
        decision=DecisionKind.DURABLE_SOLUTION,
        changes={"durable_solution": solution},
        views=views,
        channel=channel,
    )


@transaction.atomic
def placement_change(
    *,
    user: User,
    case: Case,
    expected_version: int,
    placement: str,
    location: str,
    views: ChildViewsInput,
    channel: str,
) -> Case:
    """Move the child to a placement, with the child's views on it, in one step."""
    require(user, CaseAction.EDIT, case, _("You may not decide on this case."))
    if placement not in Placement.values:
        raise FieldValidationError({"placement": [_("Choose a placement.")]})
    return _decide(
        user=user,
        case=case,
        expected_version=expected_version,
        decision=DecisionKind.PLACEMENT,
        changes={"placement": placement, "placement_location": location.strip()},
        views=views,
        channel=channel,
    )


def _decide(
    *,
    user: User,
    case: Case,
    expected_version: int,
    decision: str,
    changes: dict[str, Any],
    views: ChildViewsInput,
    channel: str,
) -> Case:
    """A decision that changes the case itself: the new values, the child's views on them, the
    history line and the audit events, under the version its author read."""
    fresh = case_version_bump(case=case, expected_version=expected_version)
    before = {name: getattr(fresh, name) for name in changes}
    for name, value in changes.items():
        setattr(fresh, name, value)
    fresh.save(update_fields=list(changes))
    heard = _views_create(user=user, case=fresh, decision=decision, views=views, decision_ref="")
    change_record(case=fresh, user=user, kind=decision, before=before, after=changes)
    item_audited(
        user=user, channel=channel, case=fresh, item=fresh, object_type="case", action=Action.UPDATE
    )
    item_audited(
        user=user,
        channel=channel,
        case=fresh,
        item=heard,
        object_type="child_views",
        action=Action.CREATE,
    )
    return fresh
