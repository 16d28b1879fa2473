"""What needs attention on a case, worked out from its records when it is read: a guardian not
appointed in time, a transition plan due, aftercare consent missing, overdue tasks and reviews,
and the non-punishment notice. Nothing here is stored, so nothing here can go stale."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safepath.cases.lifecycle import ADULT_AGE
from safepath.cases.models import Case
from safepath.cases.vocabulary import NEEDS_GUARDIAN, CaseStatus, ConsentGiver, ConsentPurpose

OPEN_STATUSES = frozenset(CaseStatus.values) - {CaseStatus.CLOSED}


@dataclass(frozen=True)
class CaseAlert:
    code: str
    message: str | Promise
    severity: str  # "high" | "medium"

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": str(self.message), "severity": self.severity}


def _age(case: Case, today: datetime.date) -> int | None:
    born: datetime.date | None = case.child.date_of_birth
    if born is None:
        return None
    return today.year - born.year - int((today.month, today.day) < (born.month, born.day))


def case_alerts(case: Case, *, today: datetime.date | None = None) -> list[CaseAlert]:
    """Every alert on ``case``. Reads related rows: prefetch them for lists."""
    today = today or timezone.localdate()
    alerts: list[CaseAlert] = []
    if any(c.resolved_on is None for c in case.justice_contacts.all()):
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
    if case.child.care_arrangement in NEEDS_GUARDIAN and not any(
        g.ended_on is None for g in case.guardians.all()
    ):
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
    age = _age(case, today)
    if age is not None and age >= settings.CASE_TRANSITION_PLAN_AGE:
        if not case.transition_plans.all():
            alerts.append(
                CaseAlert(
                    "transition_plan_due",
                    _("The young person is %(age)s: a transition plan to adulthood is required.")
                    % {"age": age},
                    "medium",
                )
            )
        disputed = any(a.disputed for a in case.age_assessments.all())
        aftercare = any(
            c.purpose == ConsentPurpose.AFTERCARE
            and c.given_by == ConsentGiver.CHILD
            and c.withdrawn_at is None
            and (c.expires_on is None or c.expires_on >= today)
            for c in case.consents.all()
        )
        if age >= ADULT_AGE and not disputed and not aftercare:
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
    overdue = [t for t in case.tasks.all() if t.done_at is None and t.due_on < today]
    if overdue:
        alerts.append(
            CaseAlert(
                "tasks_overdue",
                _("%(n)s task(s) overdue.") % {"n": len(overdue)},
                "medium",
            )
        )
    reviews = list(case.reviews.all())
    if reviews and reviews[0].next_review_on and reviews[0].next_review_on < today:
        alerts.append(
            CaseAlert(
                "review_overdue",
                _("The review due on %(day)s has not been recorded.")
                % {"day": reviews[0].next_review_on.isoformat()},
                "medium",
            )
        )
    return alerts


ALERT_PREFETCH = (
    "justice_contacts",
    "guardians",
    "transition_plans",
    "age_assessments",
    "consents",
    "tasks",
    "reviews",
)
