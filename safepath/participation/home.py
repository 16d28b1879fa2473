"""The participation app in the web shell: its menu links and home-page to-do items."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.core.menu import NavLink, WorkItem
from safepath.participation.feedback_selectors import coordination_overview, waiting_counts
from safepath.participation.models import Answer, ReviewStatus
from safepath.participation.policies import (
    ConsultationAction,
    FeedbackAction,
    SafeguardingAction,
    consultation_policy,
    feedback_policy,
    safeguarding_policy,
)


def _handles_feedback(user: User) -> bool:
    """Supervisors always; others only when something was routed or escalated to them."""
    if not feedback_policy.user_has_permission(user, FeedbackAction.VIEW):
        return False
    if user.role == Role.SUPERVISOR:
        return True
    return feedback_policy.instances_user_has_permission_for(user, FeedbackAction.VIEW).exists()


def nav_links(user: User) -> list[NavLink]:
    links = []
    if consultation_policy.user_has_permission(user, ConsultationAction.VIEW):
        links.append(
            NavLink("consultations", _("Consultations"), reverse("participation:consultations"), 70)
        )
    if _handles_feedback(user) or feedback_policy.user_has_permission(
        user, FeedbackAction.RECORD_FOR_CHILD
    ):
        links.append(
            NavLink("feedback", _("Comments and complaints"), reverse("participation:feedback"), 71)
        )
    if user.role == Role.COORDINATOR:
        links.append(
            NavLink(
                "feedback-late", _("Late complaints"), reverse("participation:coordination"), 72
            )
        )
    if safeguarding_policy.user_has_permission(user, SafeguardingAction.SET):
        links.append(
            NavLink(
                "safeguarding", _("Safeguarding lead"), reverse("participation:safeguarding"), 73
            )
        )
    return links


def work_items(user: User) -> list[WorkItem]:
    items = []
    waiting, late = waiting_counts(user=user)
    if waiting:
        items.append(
            WorkItem(
                "feedback",
                _("Comments and complaints to answer"),
                waiting,
                reverse("participation:feedback"),
                overdue=late,
                order=40,
            )
        )
    if consultation_policy.user_has_permission(user, ConsultationAction.REVIEW_TEXT):
        visible = consultation_policy.instances_user_has_permission_for(
            user, ConsultationAction.REVIEW_TEXT
        )
        pending = Answer.objects.filter(
            Q(review_status=ReviewStatus.PENDING),
            participant__consultation__in=visible.values("pk"),
        ).count()
        if pending:
            items.append(
                WorkItem(
                    "written-answers",
                    _("Written answers from children to review"),
                    pending,
                    reverse("participation:consultations"),
                    order=41,
                )
            )
    if user.role == Role.COORDINATOR:
        rows = coordination_overview(user=user)
        late_total = sum(row.late + row.unrouted_safeguarding for row in rows)
        if late_total:
            items.append(
                WorkItem(
                    "feedback-late",
                    _("Late comments and complaints at agencies (counts only)"),
                    late_total,
                    reverse("participation:coordination"),
                    overdue=late_total,
                    order=42,
                )
            )
    return items
