"""The periodic scan for overdue work on cases (``cases.tasks.cases_notify_overdue``): the
alerts of ``alerts.py`` that must reach people who are not signed in, through the
notifications app. A case number and a link only."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from safepath.accounts.models import User
from safepath.cases.alerts import OPEN_STATUSES, case_alerts, with_alert_facts
from safepath.cases.models import Case, CaseTask
from safepath.cases.notices import supervisors
from safepath.cases.policies import CaseAction
from safepath.cases.scopes import alert_visible, visible_categories
from safepath.notify.services import notify


def _assignees(case: Case) -> list[User]:
    return list(
        User.objects.filter(
            case_assignments__case=case, case_assignments__ended_at__isnull=True, is_active=True
        ).distinct()
    )


def _told(users: list[User], case: Case, code: str) -> list[User]:
    """Those of ``users`` who may see the alert ``code`` on ``case``: the notice's kind says
    what the alert says, so it reaches a partner agency only under a consent covering it."""
    return [user for user in users if alert_visible(code, visible_categories(user, case))]


def overdue_notify(*, today: datetime.date | None = None) -> dict[str, int]:
    """The periodic scan (``cases.tasks.cases_notify_overdue``): each overdue task to its owner,
    an overdue review to the case's workers, a guardian overdue to them and the owning agency's
    supervisors. Idempotent: each task, review date and case is told once (``dedupe_key``)."""
    today = today or timezone.localdate()
    told = {"task_overdue": 0, "review_overdue": 0, "guardian_overdue": 0}
    tasks = CaseTask.objects.filter(
        done_at__isnull=True, due_on__lt=today, case__status__in=list(OPEN_STATUSES)
    ).select_related("case", "owner")
    for task in tasks:
        told["task_overdue"] += len(
            notify(
                recipients=_told([task.owner], task.case, "tasks_overdue"),
                kind="task_overdue",
                reference=task.case.reference,
                link=reverse("cases:plan", args=[task.case_id]),
                dedupe_key=f"task_overdue:{task.id}",
            )
        )
    cases = with_alert_facts(
        Case.objects.filter(status__in=list(OPEN_STATUSES)).select_related("child"), today=today
    )
    for case in cases.iterator(chunk_size=500):
        codes = {alert.code for alert in case_alerts(case, today=today)}
        facts: Any = case
        if "review_overdue" in codes:
            told["review_overdue"] += len(
                notify(
                    recipients=_told(_assignees(case), case, "review_overdue"),
                    kind="review_overdue",
                    reference=case.reference,
                    link=reverse("cases:plan", args=[case.id]),
                    dedupe_key=f"review_overdue:{case.id}:{facts.alert_next_review}",
                )
            )
        if "guardian_overdue" in codes:
            bosses = supervisors(case.owner_agency_id, case, CaseAction.VIEW)
            told["guardian_overdue"] += len(
                notify(
                    recipients=_told(_assignees(case) + bosses, case, "guardian_overdue"),
                    kind="guardian_overdue",
                    reference=case.reference,
                    link=reverse("cases:care", args=[case.id]),
                    dedupe_key=f"guardian_overdue:{case.id}",
                )
            )
    return told
