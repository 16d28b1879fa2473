"""Reads of children's cases. Each applies the caller's scope; each read of a record is audited."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import User
from safepath.accounts.roles import AGGREGATE_ONLY, DEIDENTIFIED_ONLY, AgencyType, Role
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record, audit_record_many
from safepath.cases.alerts import OPEN_STATUSES, with_alert_facts
from safepath.cases.models import (
    BestInterestsDetermination,
    Case,
    CasePlan,
    CaseTask,
    JusticeContact,
    PlanStatus,
)
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.scopes import HistoryEntry, history_in_scope, visible_categories
from safepath.cases.vocabulary import CaseStatus, Sex
from safepath.core import crypto
from safepath.core.exceptions import NotFoundError, PermissionDeniedError

CASE_WORKERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.LAW_ENFORCEMENT})

# CTDC publishes no cell below eleven (k = 11); the shell's aggregate figures follow it.
SMALL_CELL_THRESHOLD = 11


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    given_name: str = ""
    family_name: str = ""
    reference: str = ""


def case_queryset(*, user: User, action: CaseAction = CaseAction.VIEW) -> QuerySet[Case]:
    """The cases ``user`` may do ``action`` to, not audited: for counts and existence checks."""
    return case_policy.instances_user_has_permission_for(user, action)


def case_list(*, user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Visible cases, newest first, filtered; names match exactly through their blind index."""
    filters = filters or CaseFilters()
    # the child rows of the page only (a second query), not joined before the sort and limit
    cases = case_queryset(user=user).select_related("owner_agency").prefetch_related("child")
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.reference:
        cases = cases.filter(reference=filters.reference.strip().upper())
    if filters.given_name:
        cases = cases.filter(
            child__given_name_index__in=crypto.blind_indexes(
                filters.given_name, purpose="child.given_name"
            )
        )
    if filters.family_name:
        cases = cases.filter(
            child__family_name_index__in=crypto.blind_indexes(
                filters.family_name, purpose="child.family_name"
            )
        )
    return cases.order_by("-created_at", "id")


def audit_case_reads(*, user: User, cases: Sequence[Case], channel: str, purpose: str = "") -> None:
    """Record that ``user`` saw these cases' identifying data (a list page counts as a read)."""
    audit_record_many(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="case",
        object_ids=[case.id for case in cases],
        purpose=purpose,
    )


def _visible(cases: QuerySet[Case], case_id: uuid.UUID | str) -> Case:
    """The case among ``cases``; any other id is 'not found', whether or not it exists."""
    try:
        return cases.get(pk=case_id)
    except (Case.DoesNotExist, ValueError):
        raise NotFoundError(gettext("No such case.")) from None


def case_get(*, user: User, case_id: uuid.UUID | str, channel: str, purpose: str = "") -> Case:
    """One case the user may see, audited as a read; any other id is 'not found'."""
    visible = (
        case_queryset(user=user)
        .select_related("child", "owner_agency")
        .prefetch_related("assignments")
    )
    case = _visible(with_alert_facts(visible, today=timezone.localdate()), case_id)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="case",
        object_id=case.id,
        purpose=purpose,
    )
    return case


def case_for_action(*, user: User, case_id: uuid.UUID | str, action: CaseAction) -> Case:
    """The case to change, not audited as a read (nothing of it is shown yet).

    A case the user cannot see is 'not found'; one they see but may not change is 'forbidden'.
    """
    case = _visible(case_queryset(user=user), case_id)
    if not case_policy.user_has_permission_for_instance(user, action, case):
        raise PermissionDeniedError(gettext("Your role may read this case but not do this to it."))
    return case


@dataclass(frozen=True)
class Figure:
    label: str
    count: int | None  # None: fewer than SMALL_CELL_THRESHOLD, withheld
    display: str = ""


FIGURE_TITLES = {
    "total": _("All cases"),
    "status": _("By status"),
    "sex": _("By sex"),
    "agency_type": _("By type of identifying agency"),
}


def _named(rows: list[Figure], choices: type[models.TextChoices] | None) -> list[Figure]:
    names = dict(choices.choices) if choices else {"total": _("All cases")}
    return [Figure(row.label, row.count, str(names.get(row.label, row.label))) for row in rows]


def _suppress(rows: list[tuple[str, int]]) -> list[Figure]:
    """Withhold small cells, and one more when a lone withheld cell could be got by subtraction."""
    hidden = {label for label, count in rows if count < SMALL_CELL_THRESHOLD}
    if len(hidden) == 1 and len(rows) > 1:
        shown = sorted((count, label) for label, count in rows if label not in hidden)
        hidden.add(shown[0][1])
    return [Figure(label, None if label in hidden else count) for label, count in rows]


def case_figures(*, user: User) -> dict[str, list[Figure]]:
    """National aggregate figures for coordinators and analysts; small cells are withheld."""
    if user.role not in AGGREGATE_ONLY | DEIDENTIFIED_ONLY:
        return {}
    cases = Case.objects.all()
    by_status = cases.values_list("status").annotate(n=Count("id")).order_by("status")
    by_sex = cases.values_list("child__sex").annotate(n=Count("id")).order_by("child__sex")
    by_agency_type = (
        cases.values_list("owner_agency__agency_type")
        .annotate(n=Count("id"))
        .order_by("owner_agency__agency_type")
    )
    total = cases.count()
    return {
        "total": _named(_suppress([("total", total)]), None),
        "status": _named(_suppress([(str(label), n) for label, n in by_status]), CaseStatus),
        "sex": _named(_suppress([(str(label), n) for label, n in by_sex]), Sex),
        "agency_type": _named(
            _suppress([(str(label), n) for label, n in by_agency_type]), AgencyType
        ),
    }


def case_history(*, user: User, case_id: uuid.UUID | str, channel: str) -> list[HistoryEntry]:
    """Every change to the case, oldest first: for those who may change it or supervise it.
    Read through the consent's categories like the case itself (``scopes.py``): in an agency the
    case is shared with, only the fields those cover, and no change that touches none of them."""
    case = _visible(case_queryset(user=user), case_id)
    may_edit = case_policy.user_has_permission_for_instance(user, CaseAction.EDIT, case)
    if not may_edit and user.role != Role.SUPERVISOR:
        raise PermissionDeniedError(
            gettext("Only the case's workers and supervisors see its history.")
        )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="case_history",
        object_id=case.id,
    )
    changes = case.changes.select_related("changed_by").order_by("version", "changed_at")
    return history_in_scope(changes, visible_categories(user, case))


@dataclass(frozen=True)
class Caseload:
    user_id: uuid.UUID
    username: str
    open_cases: int
    overdue_tasks: int


@dataclass(frozen=True)
class SupervisionOverview:
    caseloads: list[Caseload]
    plans_awaiting_approval: list[CasePlan]
    determinations_awaiting_approval: list[BestInterestsDetermination]
    overdue_tasks: list[CaseTask]


def supervision_overview(*, user: User) -> SupervisionOverview:
    """A supervisor's view of their agency: caseload per worker, approvals waiting, overdue work.
    Cases are named by reference only; opening one is a separate, audited read."""
    if user.role != Role.SUPERVISOR or user.agency_id is None:
        raise NotFoundError(gettext("No such page."))
    today = timezone.localdate()
    open_assignment = Q(
        case_assignments__ended_at__isnull=True,
        case_assignments__case__owner_agency=user.agency_id,
        case_assignments__case__status__in=list(OPEN_STATUSES),
    )
    workers = (
        User.objects.filter(agency=user.agency_id, is_active=True, role__in=list(CASE_WORKERS))
        .annotate(
            open_cases=Count("case_assignments", filter=open_assignment, distinct=True),
            overdue=Count(
                "case_tasks",
                filter=Q(case_tasks__done_at__isnull=True, case_tasks__due_on__lt=today),
                distinct=True,
            ),
        )
        .order_by("username")
    )
    return SupervisionOverview(
        caseloads=[Caseload(w.id, w.username, w.open_cases, w.overdue) for w in workers],
        plans_awaiting_approval=list(
            CasePlan.objects.filter(
                case__owner_agency=user.agency_id, status=PlanStatus.SUBMITTED
            ).select_related("case", "created_by")
        ),
        determinations_awaiting_approval=list(
            BestInterestsDetermination.objects.filter(
                case__owner_agency=user.agency_id, approved_at__isnull=True
            ).select_related("case", "recorded_by")
        ),
        overdue_tasks=list(
            CaseTask.objects.filter(
                case__owner_agency=user.agency_id, done_at__isnull=True, due_on__lt=today
            ).select_related("case", "owner")
        ),
    )


@dataclass(frozen=True)
class NonPunishmentRow:
    reference: str
    agency: str
    kind: str
    occurred_on: Any
    linked_to_exploitation: bool


def non_punishment_report(*, user: User, channel: str) -> list[NonPunishmentRow]:
    """Children in contact with the justice system, by case reference (never a name), for the
    national coordinator; a supervisor sees their own agency's."""
    contacts = JusticeContact.objects.filter(resolved_on__isnull=True).select_related(
        "case__owner_agency"
    )
    if user.role == Role.SUPERVISOR and user.agency_id:
        contacts = contacts.filter(case__owner_agency=user.agency_id)
    elif user.role != Role.COORDINATOR:
        raise NotFoundError(gettext("No such page."))
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="non_punishment_report",
        details={"rows": contacts.count()},
    )
    return [
        NonPunishmentRow(
            c.case.reference,
            c.case.owner_agency.name,
            c.get_kind_display(),
            c.occurred_on,
            c.linked_to_exploitation,
        )
        for c in contacts.order_by("occurred_on")
    ]
