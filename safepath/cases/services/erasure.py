"""Retention in practice: legal holds, and erasing what a closed case's retention periods say is
due (rules in ``cases/retention.py``). Erasure empties the encrypted values and removes notes
and documents; it keeps the case, its stages and the structured facts statistics need, and
records what was erased by category and count, never by value."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.cases import documents, name_keys
from safepath.cases.models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
    Case,
    CaseChange,
    CaseDocument,
    CaseErasure,
    CaseNote,
    CasePlan,
    CaseReview,
    CaseTask,
    Child,
    ChildViews,
    FamilyMember,
    GuardianAppointment,
    JusticeContact,
    LegalHold,
    TransitionPlan,
)
from safepath.cases.policies import CaseAction
from safepath.cases.retention import CHILD_CATEGORIES, categories_due, parse_periods
from safepath.cases.services.checks import require
from safepath.cases.vocabulary import CaseStatus, DataCategory
from safepath.core.exceptions import ConflictError, FieldValidationError

MAX_REASON = 500


@transaction.atomic
def legal_hold_place(*, user: User, case: Case, reason: str, channel: str) -> LegalHold:
    """Stop every erasure of the case (and of its child) until the hold is released."""
    require(
        user, CaseAction.APPROVE, case, _("Only a supervisor of the owning agency may hold a case.")
    )
    reason = reason.strip()
    if not reason:
        raise FieldValidationError({"reason": [_("Say why the record must be kept.")]})
    if len(reason) > MAX_REASON:
        raise FieldValidationError({"reason": [_("At most %(n)s characters.") % {"n": MAX_REASON}]})
    hold = LegalHold.objects.create(case=case, reason=reason, placed_by=user)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.CREATE,
        object_type="legal_hold",
        object_id=hold.id,
        details={"case": str(case.id)},
    )
    return hold


@transaction.atomic
def legal_hold_release(*, user: User, hold: LegalHold, channel: str) -> LegalHold:
    require(
        user,
        CaseAction.APPROVE,
        hold.case,
        _("Only a supervisor of the owning agency may release a hold."),
    )
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.released_at is not None:
        raise ConflictError(_("This hold was already released."))
    locked.released_at = timezone.now()
    locked.released_by = user
    locked.save(update_fields=["released_at", "released_by"])
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="legal_hold",
        object_id=locked.id,
        details={"case": str(locked.case_id), "change": "released"},
    )
    return locked


# -- erasure -------------------------------------------------------------------------------


def _child_fields(category: str) -> dict[str, Any]:
    if category == DataCategory.IDENTITY:
        return {
            "given_name": "",
            "family_name": "",
            "other_names": [],
            "given_name_index": "",
            "family_name_index": "",
            "date_of_birth": None,
            "gender_identity": "",
            "document_number": "",
        }
    if category == DataCategory.CONTACT:
        return {"address": "", "contact": ""}
    if category == DataCategory.HEALTH:
        return {"disability_details": ""}
    return {}


def _erase_case_category(case: Case, category: str) -> dict[str, int]:
    """Empty one category's values on one case; how many rows each kind lost or had emptied."""
    counts: dict[str, int] = {}
    if category in CHILD_CATEGORIES:
        counts["child"] = Child.objects.filter(pk=case.child_id).update(**_child_fields(category))
        if category == DataCategory.IDENTITY:  # the names' search keys go with the names
            counts["name_keys"] = name_keys.remove([case.child_id])
    if category == DataCategory.CONTACT:
        counts["case"] = Case.objects.filter(pk=case.pk).update(placement_location="")
        counts["family_members"] = FamilyMember.objects.filter(case=case).update(
            name="", contact=""
        )
        counts["guardians"] = GuardianAppointment.objects.filter(case=case).update(guardian_name="")
    elif category == DataCategory.CASE_FACTS:
        counts["case"] = Case.objects.filter(pk=case.pk).update(summary="")
    elif category == DataCategory.PLAN:
        counts["plans"] = CasePlan.objects.filter(case=case).update(goals=[])
        counts["tasks"] = CaseTask.objects.filter(case=case).update(title="")
        counts["reviews"] = CaseReview.objects.filter(case=case).update(summary="")
        counts["assessments"] = BestInterestsAssessment.objects.filter(case=case).update(
            findings="", recommendation=""
        )
        counts["determinations"] = BestInterestsDetermination.objects.filter(case=case).update(
            panel=[], reasons="", dissent=""
        )
        counts["child_views"] = ChildViews.objects.filter(case=case).update(
            views="", weight_given=""
        )
        counts["transition_plans"] = TransitionPlan.objects.filter(case=case).update(content="")
    elif category == DataCategory.JUSTICE:
        counts["justice_contacts"] = JusticeContact.objects.filter(case=case).update(details="")
    elif category == DataCategory.NOTES:
        counts["notes"] = CaseNote.objects.filter(case=case).delete()[0]
        document_ids = list(CaseDocument.objects.filter(case=case).values_list("id", flat=True))
        CaseDocument.objects.filter(pk__in=document_ids).delete()
        counts["documents"] = len(document_ids)
        # The sealed files go once the rows are gone for good (a rollback keeps both).
        transaction.on_commit(lambda: _remove_files(document_ids))
    return {kind: n for kind, n in counts.items() if n}


def _remove_files(document_ids: list[Any]) -> None:
    for document_id in document_ids:
        documents.remove(document_id)


@dataclass
class RetentionReport:
    """What a retention run erased (or, in a dry run, would erase), by case and category."""

    today: datetime.date
    periods: dict[str, int]
    dry_run: bool
    erased: list[dict[str, Any]] = field(default_factory=list)
    held: int = 0  # closed cases with something due, kept by a legal hold
    waiting: int = 0  # child categories due on this case, not yet on another case of the child

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "periods": self.periods,
            "dry_run": self.dry_run,
            "erased": self.erased,
            "cases_held": self.held,
            "categories_waiting_for_another_case": self.waiting,
        }


def _hold_in_force() -> Exists:
    return Exists(LegalHold.objects.filter(case=OuterRef("pk"), released_at__isnull=True))


def _due_by_case(today: datetime.date, periods: dict[str, int]) -> tuple[dict[Any, list[str]], int]:
    """Each closed case's due categories, and how many held cases had something due."""
    erased: dict[Any, set[str]] = defaultdict(set)
    for case_id, category in CaseErasure.objects.values_list("case_id", "category"):
        erased[case_id].add(category)
    due: dict[Any, list[str]] = {}
    held = 0
    closed = Case.objects.filter(status=CaseStatus.CLOSED).annotate(held=_hold_in_force())
    for case in closed.only("id", "status_changed_at"):
        closed_on = timezone.localdate(case.status_changed_at)
        categories = categories_due(
            closed_on=closed_on, today=today, periods=periods, erased=erased[case.id]
        )
        if categories and case.held:
            held += 1
        elif categories:
            due[case.id] = categories
    return due, held


def _child_ready(case: Case, category: str, due: dict[Any, list[str]]) -> bool:
    """A child category goes only when every case of the child has it due or already erased."""
    for other in Case.objects.filter(child=case.child_id).exclude(pk=case.pk):
        already = CaseErasure.objects.filter(case=other, category=category).exists()
        if not already and category not in due.get(other.id, ()):
            return False
    return True


def retention_run(
    *,
    today: datetime.date | None = None,
    dry_run: bool = False,
    channel: str = Channel.SYSTEM,
) -> RetentionReport:
    """Erase what is due on every closed case; each case in its own transaction, re-checked
    under a lock (a case reopened or held meanwhile is left alone)."""
    today = today or timezone.localdate()
    periods = parse_periods(settings.RETENTION_PERIODS)
    report = RetentionReport(today=today, periods=periods, dry_run=dry_run)
    if not periods:
        return report
    due, report.held = _due_by_case(today, periods)
    for case_id, categories in due.items():
        case = Case.objects.get(pk=case_id)
        ready = [c for c in categories if c not in CHILD_CATEGORIES or _child_ready(case, c, due)]
        report.waiting += len(categories) - len(ready)
        if not ready:
            continue
        if dry_run:
            report.erased.append(
                {"case": str(case.id), "reference": case.reference, "categories": ready}
            )
            continue
        done = _erase_case(case_id, ready, periods, today, channel)
        if done:
            report.erased.append(done)
    return report


@transaction.atomic
def _erase_case(
    case_id: Any, categories: list[str], periods: dict[str, int], today: datetime.date, channel: str
) -> dict[str, Any] | None:
    case = Case.objects.select_for_update().annotate(held=_hold_in_force()).get(pk=case_id)
    closed_on = timezone.localdate(case.status_changed_at)
    erased = CaseErasure.objects.filter(case=case).values_list("category", flat=True)
    still_due = set(
        categories_due(
            closed_on=closed_on if case.status == CaseStatus.CLOSED else None,
            today=today,
            periods=periods,
            erased=erased,
            held=case.held,
        )
    )
    categories = [c for c in categories if c in still_due]
    if not categories:
        return None
    first = not erased.exists()
    counts: dict[str, dict[str, int]] = {
        category: _erase_case_category(case, category) for category in categories
    }
    if first:
        # The history's before-and-after values would keep what is erased: they go with the
        # first erasure (who changed which fields, and when, stays).
        changes = CaseChange.objects.filter(case=case).update(before={}, after={})
        if changes:
            counts["history"] = {"changes": changes}
    CaseErasure.objects.bulk_create(
        CaseErasure(
            case=case, category=category, period_days=periods[category], counts=counts[category]
        )
        for category in categories
    )
    audit_record(
        actor=Actor.system(channel),
        action=Action.DELETE,
        object_type="case",
        object_id=case.id,
        purpose="retention",
        details={"erased": categories, "counts": counts},
    )
    return {
        "case": str(case.id),
        "reference": case.reference,
        "categories": categories,
        "counts": counts,
    }
