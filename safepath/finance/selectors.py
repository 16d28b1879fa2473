"""Reads of screening runs and financial alerts, scoped by the finance policy, reads audited.

An alert the caller may not see is "not found", whether or not it exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record, audit_record_many
from safepath.core import crypto
from safepath.core.exceptions import NotFoundError
from safepath.finance.models import (
    CUSTOMER_INDEX_PURPOSE,
    AlertDisposition,
    AlertReport,
    AlertStatus,
    FinancialAlert,
    RuleHit,
    RunStatus,
    ScreeningRun,
)
from safepath.finance.policies import FinanceAction, finance_policy

POSITIVE_STATUSES = (AlertStatus.ESCALATED, AlertStatus.REPORTED)


def finance_access_require(*, user: User, action: FinanceAction = FinanceAction.VIEW) -> None:
    """Outside the finance roles the whole area does not exist: 404, never 403."""
    if not finance_policy.user_has_permission(user, action):
        raise NotFoundError(_("No such page."))


def alert_queryset(
    *, user: User, action: FinanceAction = FinanceAction.VIEW
) -> QuerySet[FinancialAlert]:
    """The alerts ``user`` may do ``action`` to, not audited: for counts and existence checks."""
    return finance_policy.alerts_user_has_permission_for(user, action)


def alert_list(*, user: User, status: str = "", customer_id: str = "") -> QuerySet[FinancialAlert]:
    """The queue: highest score first, then oldest; hits prefetched for the rule column.

    A customer id matches exactly, through its blind index (the column itself is encrypted).
    """
    finance_access_require(user=user)
    alerts = alert_queryset(user=user)
    if status:
        alerts = alerts.filter(status=status)
    if customer_id.strip():
        alerts = alerts.filter(
            customer_index__in=crypto.blind_indexes(
                customer_id.strip(), purpose=CUSTOMER_INDEX_PURPOSE
            )
        )
    return alerts.prefetch_related(
        Prefetch("hits", queryset=RuleHit.objects.only("id", "alert_id", "rule_id", "weight"))
    ).order_by("-score", "created_at", "id")


def audit_alert_reads(
    *, user: User, alerts: Sequence[FinancialAlert], channel: str, purpose: str = ""
) -> None:
    """A queue page shows customer ids: every alert on it counts as read."""
    audit_record_many(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="financial_alert",
        object_ids=[alert.id for alert in alerts],
        purpose=purpose,
    )


def _visible(user: User, alert_id: uuid.UUID | str) -> FinancialAlert:
    try:
        return (
            alert_queryset(user=user)
            .prefetch_related(
                "hits",
                Prefetch(
                    "dispositions",
                    queryset=AlertDisposition.objects.select_related("decided_by").order_by(
                        "decided_at"
                    ),
                ),
                Prefetch(
                    "reports",
                    queryset=AlertReport.objects.defer("content").select_related("generated_by"),
                ),
            )
            .get(pk=alert_id)
        )
    except (FinancialAlert.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such alert.")) from None


def alert_get(
    *, user: User, alert_id: uuid.UUID | str, channel: str, purpose: str = ""
) -> FinancialAlert:
    """One alert with its hits, evidence, decisions and reports; the read is audited."""
    alert = _visible(user, alert_id)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="financial_alert",
        object_id=alert.id,
        purpose=purpose,
    )
    return alert


def alert_for_action(
    *, user: User, alert_id: uuid.UUID | str, action: FinanceAction
) -> FinancialAlert:
    """The alert a service is about to change (the service audits the change)."""
    try:
        return alert_queryset(user=user, action=action).get(pk=alert_id)
    except (FinancialAlert.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such alert.")) from None


def run_list(*, user: User) -> QuerySet[ScreeningRun]:
    finance_access_require(user=user)
    return finance_policy.runs_user_has_permission_for(user, FinanceAction.VIEW).order_by(
        "-created_at", "id"
    )


def run_get(*, user: User, run_id: uuid.UUID | str) -> ScreeningRun:
    """A run holds no customer data (only file hashes, figures and problems): not audited."""
    try:
        return run_list(user=user).get(pk=run_id)
    except (ScreeningRun.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such screening run.")) from None


def report_for_download(*, user: User, report_id: uuid.UUID | str, channel: str) -> AlertReport:
    """The report's XML names the customer: downloading it is audited as an export."""
    try:
        report = finance_policy.reports_user_has_permission_for(user, FinanceAction.REPORT).get(
            pk=report_id
        )
    except (AlertReport.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such report.")) from None
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.EXPORT,
        object_type="finance_report",
        object_id=report.id,
        details={"alert": str(report.alert_id)},
    )
    return report


@dataclass(frozen=True)
class RuleMetric:
    """How one rule performs in the caller's agency, from the analysts' decisions."""

    rule_id: str
    title: str
    alerts: int
    disposed: int
    positive: int  # escalated or reported
    reported: int
    customers_screened: int

    @property
    def precision(self) -> float | None:
        """Share of decided alerts found suspicious (escalated or reported)."""
        return round(self.positive / self.disposed, 4) if self.disposed else None

    @property
    def alerts_per_1000_customers(self) -> float | None:
        if not self.customers_screened:
            return None
        return round(self.alerts * 1000 / self.customers_screened, 3)

    @property
    def conversion_to_reports(self) -> float | None:
        """Share of the rule's alerts decided as 'report'."""
        return round(self.reported / self.alerts, 4) if self.alerts else None


def rule_metrics(*, user: User) -> list[RuleMetric]:
    """Per rule: alerts, precision, alerts per 1,000 customers screened, conversion to reports.

    An alert counts once per rule that fired on it; its current decision is its latest one.
    Customers screened is the sum over the agency's finished runs.
    """
    finance_access_require(user=user, action=FinanceAction.MONITOR)
    screened = (
        finance_policy.runs_user_has_permission_for(user, FinanceAction.MONITOR)
        .filter(status=RunStatus.DONE)
        .aggregate(total=Sum("customers_screened"))["total"]
        or 0
    )
    rows = (
        RuleHit.objects.filter(alert__in=alert_queryset(user=user, action=FinanceAction.MONITOR))
        .values("rule_id")
        .annotate(
            title=Max("title"),
            alerts=Count("alert", distinct=True),
            disposed=Count("alert", filter=~Q(alert__status=AlertStatus.OPEN), distinct=True),
            positive=Count("alert", filter=Q(alert__status__in=POSITIVE_STATUSES), distinct=True),
            reported=Count("alert", filter=Q(alert__status=AlertStatus.REPORTED), distinct=True),
        )
        .order_by("rule_id")
    )
    return [
        RuleMetric(
            rule_id=row["rule_id"],
            title=row["title"],
            alerts=row["alerts"],
            disposed=row["disposed"],
            positive=row["positive"],
            reported=row["reported"],
            customers_screened=screened,
        )
        for row in rows
    ]
