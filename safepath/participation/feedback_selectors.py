"""Reads of feedback: a handler's list and one item (audited), figures per service (suppressed
below 11), and the counts the national coordination sees instead of content."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.participation import results
from safepath.participation.models import Feedback, FeedbackKind, FeedbackStatus
from safepath.participation.policies import FeedbackAction, feedback_policy

# The directory shows three figures: safeguarding complaints are counted as complaints, so a
# service's figures never single out a safeguarding concern.
FIGURE_KINDS = ("compliment", "suggestion", "complaint")


def feedback_list(*, user: User, status: str = "open") -> QuerySet[Feedback]:
    if not feedback_policy.user_has_permission(user, FeedbackAction.VIEW):
        raise PermissionDeniedError(_("Your role does not handle feedback."))
    visible = feedback_policy.instances_user_has_permission_for(user, FeedbackAction.VIEW)
    if status == "open":
        visible = visible.exclude(status=FeedbackStatus.CLOSED)
    elif status in FeedbackStatus.values:
        visible = visible.filter(status=status)
    return visible.select_related("service", "agency").order_by("respond_by")


def feedback_get(
    *, user: User, feedback_id: uuid.UUID | str, channel: str = Channel.WEB
) -> Feedback:
    """One item for its handler; audited as a read (its message is a child's words)."""
    visible = feedback_policy.instances_user_has_permission_for(user, FeedbackAction.VIEW)
    try:
        feedback = (
            visible.select_related("service", "agency", "handler", "subject_user")
            .filter(pk=feedback_id)
            .first()
        )
    except (ValueError, TypeError):
        feedback = None
    if feedback is None:
        raise NotFoundError(_("No such feedback."))
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="participation.feedback",
        object_id=feedback.id,
    )
    return feedback


def waiting_counts(*, user: User) -> tuple[int, int]:
    """(open feedback this user may handle, of which past a deadline)."""
    if not feedback_policy.user_has_permission(user, FeedbackAction.HANDLE):
        return 0, 0
    now = timezone.now()
    waiting = feedback_policy.instances_user_has_permission_for(user, FeedbackAction.HANDLE).filter(
        status__in=[FeedbackStatus.RECEIVED, FeedbackStatus.ACKNOWLEDGED]
    )
    late = waiting.filter(
        Q(status=FeedbackStatus.RECEIVED, acknowledge_by__lte=now) | Q(respond_by__lte=now)
    )
    return waiting.count(), late.count()


@dataclass(frozen=True)
class ServiceFigures:
    """A service's feedback figures, protected: None where suppressed (1 to k-1 items)."""

    total: results.Cell
    by_kind: dict[str, results.Cell]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total.count,
            "total_suppressed": self.total.suppressed,
            **{kind: cell.count for kind, cell in self.by_kind.items()},
            **{f"{kind}_suppressed": cell.suppressed for kind, cell in self.by_kind.items()},
        }


def _figures(counts: dict[str, int], k: int) -> ServiceFigures:
    interior = np.array([counts.get(kind, 0) for kind in FIGURE_KINDS], dtype=np.int64)
    values, hidden = results.protect(interior, k)
    cells = [
        results.Cell(None if hidden[i] else int(values[i]), bool(hidden[i]))
        for i in range(len(FIGURE_KINDS) + 1)
    ]
    return ServiceFigures(total=cells[-1], by_kind=dict(zip(FIGURE_KINDS, cells, strict=False)))


def service_feedback_figures(
    service_ids: Iterable[uuid.UUID], *, k: int = results.DEFAULT_K
) -> dict[uuid.UUID, ServiceFigures]:
    """Feedback counts by kind for each service, threshold and secondary suppression applied
    (the evidence engine's rule): a service with 1 to k-1 items of feedback shows no figure."""
    ids = list(service_ids)
    counts: dict[uuid.UUID, dict[str, int]] = {service_id: {} for service_id in ids}
    rows = (
        Feedback.objects.filter(service_id__in=ids)
        .values("service_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        kind = "complaint" if row["kind"] == FeedbackKind.SAFEGUARDING else row["kind"]
        bucket = counts[row["service_id"]]
        bucket[kind] = bucket.get(kind, 0) + row["n"]
    return {service_id: _figures(counts[service_id], k) for service_id in ids}


@dataclass(frozen=True)
class AgencyLateness:
    agency: Agency
    late: int
    unrouted_safeguarding: int


def coordination_overview(*, user: User) -> list[AgencyLateness]:
    """For the national coordinator: per agency, feedback far past its deadline and
    safeguarding complaints with nobody to handle them (no lead named). Counts only."""
    if not (user.is_active and user.role == Role.COORDINATOR):
        raise PermissionDeniedError(_("Only the national coordination sees these figures."))
    rows = (
        Feedback.objects.exclude(status=FeedbackStatus.CLOSED)
        .values("agency_id")
        .annotate(
            late=Count(
                "id",
                filter=Q(coordination_alerted_at__isnull=False)
                & ~Q(status=FeedbackStatus.RESPONDED),
            ),
            unrouted=Count("id", filter=Q(kind=FeedbackKind.SAFEGUARDING, handler__isnull=True)),
        )
        .order_by()
    )
    agencies = Agency.objects.in_bulk([row["agency_id"] for row in rows])
    return sorted(
        (
            AgencyLateness(agencies[row["agency_id"]], row["late"], row["unrouted"])
            for row in rows
            if row["late"] or row["unrouted"]
        ),
        key=lambda item: (-item.late, -item.unrouted_safeguarding, item.agency.name),
    )
