"""The work on a case: plans (approved by a supervisor after the child is heard), tasks,
reviews, notes and documents."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.cases import documents, notices
from safepath.cases.models import (
    Case,
    CaseDocument,
    CaseNote,
    CasePlan,
    CaseReview,
    CaseTask,
    ChildViews,
    PlanStatus,
)
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.services.checks import refuse_future_date, require
from safepath.cases.services.versioning import item_logged
from safepath.cases.vocabulary import DecisionKind
from safepath.core.exceptions import ConflictError, FieldValidationError

MAX_GOALS = 30


def _clean_goals(goals: list[str]) -> list[str]:
    clean = [goal.strip() for goal in goals if goal.strip()]
    if not clean:
        raise FieldValidationError({"goals": [_("A plan needs at least one goal.")]})
    if len(clean) > MAX_GOALS:
        raise FieldValidationError(
            {"goals": [_("A plan has at most %(n)s goals.") % {"n": MAX_GOALS}]}
        )
    return clean


@transaction.atomic
def plan_create(*, user: User, case: Case, goals: list[str], channel: str) -> CasePlan:
    """A new draft plan; an earlier draft or submitted plan is superseded by it."""
    require(user, CaseAction.EDIT, case, _("You may not plan this case."))
    clean = _clean_goals(goals)
    case.plans.filter(status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED]).update(
        status=PlanStatus.SUPERSEDED
    )
    plan = CasePlan.objects.create(case=case, goals=clean, created_by=user)
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=plan,
        object_type="case_plan",
        kind="plan",
        after={"goals": len(clean)},
    )
    return plan


@transaction.atomic
def plan_submit(*, user: User, plan: CasePlan, channel: str) -> CasePlan:
    require(user, CaseAction.EDIT, plan.case, _("You may not plan this case."))
    if plan.status != PlanStatus.DRAFT:
        raise ConflictError(_("Only a draft plan can be submitted for approval."))
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at"])
    item_logged(
        user=user,
        channel=channel,
        case=plan.case,
        item=plan,
        object_type="case_plan",
        action=Action.UPDATE,
        kind="plan_submitted",
        after={"plan": str(plan.id)},
    )
    notices.awaiting_approval(
        plan.case, kind="plan_awaiting_approval", record_id=plan.id, page="plan"
    )
    return plan


@transaction.atomic
def plan_approve(*, user: User, plan: CasePlan, channel: str) -> CasePlan:
    """A supervisor approves a submitted plan, once the child has been heard on it."""
    case = plan.case
    require(user, CaseAction.APPROVE, case, _("Only a supervisor approves a plan."))
    if plan.status != PlanStatus.SUBMITTED:
        raise ConflictError(_("Only a plan awaiting approval can be approved."))
    heard = ChildViews.objects.filter(
        case=case, decision=DecisionKind.PLAN, recorded_at__gte=plan.created_at
    ).exists()
    if not heard:
        raise FieldValidationError(
            {"child_views": [_("Record the child's views on this plan before approving it.")]}
        )
    case.plans.filter(status=PlanStatus.APPROVED).update(status=PlanStatus.SUPERSEDED)
    plan.status = PlanStatus.APPROVED
    plan.approved_by = user
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=plan,
        object_type="case_plan",
        action=Action.UPDATE,
        kind="plan_approved",
        after={"plan": str(plan.id)},
    )
    return plan


@transaction.atomic
def task_create(
    *,
    user: User,
    case: Case,
    title: str,
    due_on: datetime.date,
    owner: User,
    channel: str,
    plan: CasePlan | None = None,
) -> CaseTask:
    require(user, CaseAction.EDIT, case, _("You may not add tasks to this case."))
    if not title.strip():
        raise FieldValidationError({"title": [_("Say what the task is.")]})
    if not case_policy.user_has_permission_for_instance(owner, CaseAction.EDIT, case):
        raise FieldValidationError(
            {"owner": [_("The task's owner must work on this case in the agency that owns it.")]}
        )
    task = CaseTask.objects.create(
        case=case, plan=plan, title=title.strip(), due_on=due_on, owner=owner, created_by=user
    )
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=task,
        object_type="case_task",
        kind="task",
        after={"due_on": due_on},
    )
    return task


@transaction.atomic
def task_complete(*, user: User, task: CaseTask, channel: str) -> CaseTask:
    require(user, CaseAction.EDIT, task.case, _("You may not change this task."))
    if task.done_at is not None:
        raise ConflictError(_("This task is already done."))
    task.done_at = timezone.now()
    task.save(update_fields=["done_at"])
    item_logged(
        user=user,
        channel=channel,
        case=task.case,
        item=task,
        object_type="case_task",
        action=Action.UPDATE,
        kind="task_done",
        after={"task": str(task.id)},
    )
    return task


@transaction.atomic
def review_record(
    *,
    user: User,
    case: Case,
    reviewed_on: datetime.date,
    summary: str,
    next_review_on: datetime.date | None,
    channel: str,
) -> CaseReview:
    require(user, CaseAction.EDIT, case, _("You may not review this case."))
    if not summary.strip():
        raise FieldValidationError({"summary": [_("Write what the review found.")]})
    refuse_future_date(reviewed_on, "reviewed_on")
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise FieldValidationError({"next_review_on": [_("The next review comes after this one.")]})
    review = CaseReview.objects.create(
        case=case,
        reviewed_on=reviewed_on,
        summary=summary.strip(),
        next_review_on=next_review_on,
        reviewed_by=user,
    )
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=review,
        object_type="case_review",
        kind="review",
        after={"reviewed_on": reviewed_on},
    )
    return review


@transaction.atomic
def note_add(*, user: User, case: Case, body: str, channel: str) -> CaseNote:
    require(user, CaseAction.EDIT, case, _("You may not write on this case."))
    if not body.strip():
        raise FieldValidationError({"body": [_("The note is empty.")]})
    note = CaseNote.objects.create(case=case, body=body.strip(), author=user)
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=note,
        object_type="case_note",
        kind="note",
        after={"note": str(note.id)},
    )
    return note


@transaction.atomic
def document_upload(
    *, user: User, case: Case, title: str, filename: str, content: bytes, channel: str
) -> CaseDocument:
    """Check the bytes, encrypt them to a file, and record the document; all or nothing."""
    require(user, CaseAction.EDIT, case, _("You may not add documents to this case."))
    if not title.strip():
        raise FieldValidationError({"title": [_("Give the document a title.")]})
    checked = documents.check_upload(content)
    document = CaseDocument(
        case=case,
        title=title.strip(),
        filename=filename.strip()[:200] or "document",
        content_type=checked.content_type,
        size=len(content),
        sha256=checked.sha256,
        uploaded_by=user,
    )
    # The sealed file is written first and removed if the row cannot be saved; a file left by
    # a rollback further out is unreadable without its row and is swept by its id.
    documents.store(document.id, content)
    try:
        document.save(force_insert=True)
        item_logged(
            user=user,
            channel=channel,
            case=case,
            item=document,
            object_type="case_document",
            kind="document",
            after={"document": str(document.id)},
        )
    except Exception:
        documents.remove(document.id)
        raise
    return document
