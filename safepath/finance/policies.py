"""Who may screen transactions and work financial alerts. The one place; tested as a matrix.

Financial alerts are worked by financial analysts inside a financial intelligence unit or a
bank, and only on their own agency's alerts. Nobody else sees an alert, not even a system
administrator or a national coordinator: to them an alert does not exist (404).
"""

from __future__ import annotations

from django.db.models import QuerySet

from safepath.accounts.models import User
from safepath.accounts.roles import WORKS_FINANCIAL_ALERTS, AgencyType
from safepath.core.policies import PolicyAction
from safepath.finance.models import AlertReport, FinancialAlert, ScreeningRun

FINANCIAL_AGENCIES = frozenset({AgencyType.FIU, AgencyType.FINANCIAL_INSTITUTION})


class FinanceAction(PolicyAction):
    SCREEN = "screen"  # upload files and start a screening run
    VIEW = "view"  # open the queue, an alert, a run
    DISPOSE = "dispose"
    REPORT = "report"  # generate and download a suspicious transaction report
    MONITOR = "monitor"  # per-rule metrics of the agency's own alerts


class FinancePolicy:
    """One interface: general permission, the visible set, per instance."""

    def user_has_permission(self, user: User, action: FinanceAction) -> bool:
        agency = user.agency
        return bool(
            user.is_active
            and user.role in WORKS_FINANCIAL_ALERTS
            and agency is not None
            and agency.is_active
            and agency.agency_type in FINANCIAL_AGENCIES
        )

    def alerts_user_has_permission_for(
        self, user: User, action: FinanceAction
    ) -> QuerySet[FinancialAlert]:
        if not self.user_has_permission(user, action):
            return FinancialAlert.objects.none()
        return FinancialAlert.objects.filter(agency=user.agency_id)

    def runs_user_has_permission_for(
        self, user: User, action: FinanceAction
    ) -> QuerySet[ScreeningRun]:
        if not self.user_has_permission(user, action):
            return ScreeningRun.objects.none()
        return ScreeningRun.objects.filter(agency=user.agency_id)

    def reports_user_has_permission_for(
        self, user: User, action: FinanceAction
    ) -> QuerySet[AlertReport]:
        if not self.user_has_permission(user, action):
            return AlertReport.objects.none()
        return AlertReport.objects.filter(alert__agency=user.agency_id)

    def user_has_permission_for_instance(
        self, user: User, action: FinanceAction, alert: FinancialAlert
    ) -> bool:
        return self.user_has_permission(user, action) and alert.agency_id == user.agency_id


finance_policy = FinancePolicy()
