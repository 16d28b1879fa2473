"""What needs attention on a case, worked out from its records when it is read: a guardian not
appointed in time, a transition plan due, aftercare consent missing, overdue tasks and reviews,
and the non-punishment notice. Nothing here is stored, so nothing here can go stale."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safepath.cases.lifecycle import ADULT_AGE
from safepath.cases.models import (
    AgeAssessment,
    Case,
    CaseReview,
    CaseTask,
    Consent,
    GuardianAppointment,
    JusticeContact,
    TransitionPlan,
    consent_in_force,
)
from safepath.cases.services.records import age_on
from safepath.cases.vocabulary import NEEDS_GUARDIAN, CaseStatus, ConsentGiver, ConsentPurpose

OPEN_STATUSES = frozenset(CaseStatus.values) - {CaseStatus.CLOSED}


@dataclass(frozen=True)
class CaseAlert:
    code: str
    message: str | Promise
    severity: str  # "high" | "medium"

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": str(self.message), "severity": self.severity}


def with_alert_facts(cases: QuerySet[Case], *, today: datetime.date) -> QuerySet[Case]:
    """``cases`` with what the alerts need, as columns of the one query that reads them."""
    of_case = {"case": OuterRef("pk")}
    overdue = (
        CaseTask.objects.filter(**of_case, done_at__isnull=True, due_on__lt=today)
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return cases.annotate(
        alert_justice_open=Exists(
            JusticeContact.objects.filter(**of_case, resolved_on__isnull=True)
        ),
        alert_guardian_active=Exists(
            GuardianAppointment.objects.filter(**of_case, ended_on__isnull=True)
        ),
        alert_transition_plan=Exists(TransitionPlan.objects.filter(**of_case)),
        alert_age_disputed=Exists(AgeAssessment.objects.filter(**of_case, disputed=True)),
        alert_aftercare_consent=Exists(
            Consent.objects.filter(
                consent_in_force(),
                **of_case,
                purpose=ConsentPurpose.AFTERCARE,
                given_by=ConsentGiver.CHILD,
            )
        ),
        alert_tasks_overdue=Coalesce(Subquery(overdue), 0),
        alert_next_review=Subquery(
            CaseReview.objects.filter(**of_case)
            .order_by("-reviewed_on", "-recorded_at")
            .values("next_review_on")[:1]
        ),
    )


def case_alerts(case: Case, *, today: datetime.date | None = None) -> list[CaseAlert]:
    """Every alert on ``case``, from the facts ``with_alert_facts`` read with it (a case read
    without them is read again, once, with them)."""
    today = today or timezone.localdate()
    if not hasattr(case, "alert_justice_open"):
        case = with_alert_facts(Case.objects.select_related("child"), today=today).get(pk=case.pk)
    facts: Any = case
    alerts: list[CaseAlert] = []
    if facts.alert_justice_open:
        alerts.append(
            CaseAlert(
                "non_punishment",
                _(
                    "Non-punishment: this child is in contact with the justice system. A child "
                    "victim of trafficking must not be punished for offences they were compelled "
                    "to commit as a result of being trafficked."
                ),
                "high",
            )
        )
    if case.status not in OPEN_STATUSES:
        return alerts
    if case.child.care_arrangement in NEEDS_GUARDIAN and not facts.alert_guardian_active:
        due = case.identified_on + datetime.timedelta(days=settings.CASE_GUARDIAN_DUE_DAYS)
        if today > due:
            alerts.append(
                CaseAlert(
                    "guardian_overdue",
                    _(
                        "No guardian appointed for this unaccompanied or separated child; "
                        "one was due by %(due)s."
                    )
                    % {"due": due.isoformat()},
                    "high",
                )
            )
    age = age_on(case.child.date_of_birth, today)
    if age is not None and age >= settings.CASE_TRANSITION_PLAN_AGE:
        if not facts.alert_transition_plan:
            alerts.append(
                CaseAlert(
                    "transition_plan_due",
                    _("The young person is %(age)s: a transition plan to adulthood is required.")
                    % {"age": age},
                    "medium",
                )
            )
        if age >= ADULT_AGE and not facts.alert_age_disputed and not facts.alert_aftercare_consent:
            alerts.append(
                CaseAlert(
                    "aftercare_consent_needed",
                    _(
                        "The person is an adult: ask for their consent to aftercare, or close "
                        "the case with their decision."
                    ),
                    "high",
                )
            )
    if facts.alert_tasks_overdue:
        alerts.append(
            CaseAlert(
                "tasks_overdue",
                _("%(n)s task(s) overdue.") % {"n": facts.alert_tasks_overdue},
                "medium",
            )
        )
    next_review = facts.alert_next_review
    if next_review is not None and next_review < today:
        alerts.append(
            CaseAlert(
                "review_overdue",
                _("The review due on %(day)s has not been recorded.")
                % {"day": next_review.isoformat()},
                "medium",
            )
        )
    return alerts
