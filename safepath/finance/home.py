"""The finance app in the web shell: its menu link (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink, WorkItem
from safepath.finance.models import AlertStatus
from safepath.finance.policies import FinanceAction, finance_policy
from safepath.finance.selectors import alert_queryset


def nav_links(user: User) -> list[NavLink]:
    if not finance_policy.user_has_permission(user, FinanceAction.VIEW):
        return []
    return [NavLink("finance", _("Financial alerts"), reverse("finance:queue"), order=60)]


def work_items(user: User) -> list[WorkItem]:
    """Open alerts of the agency: the queue's default list, same count."""
    if not finance_policy.user_has_permission(user, FinanceAction.DISPOSE):
        return []
    open_alerts = alert_queryset(user=user, action=FinanceAction.DISPOSE).filter(
        status=AlertStatus.OPEN
    )
    return [
        WorkItem(
            key="finance-open-alerts",
            title=_("Financial alerts waiting for a decision"),
            count=open_alerts.count(),
            url=reverse("finance:queue") + "?status=open",
            order=40,
        )
    ]
