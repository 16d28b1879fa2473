"""The notifications app in the web shell (see ``core/menu.py``): the administrator's menu
entry for webhooks and API clients, and to-do item for deliveries that failed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink, WorkItem
from safepath.notify.policies import may_manage_deliveries, may_manage_integrations
from safepath.notify.selectors import delivery_failed_count


def nav_links(user: User) -> list[NavLink]:
    if not may_manage_integrations(user):
        return []
    return [NavLink("webhooks", _("Webhooks and API clients"), reverse("webhooks:list"), order=910)]


def work_items(user: User) -> list[WorkItem]:
    if not may_manage_deliveries(user):
        return []
    failed = delivery_failed_count()
    return [
        WorkItem(
            "notification_failures",
            _("Notifications that could not be delivered"),
            failed,
            reverse("notifications:failed"),
            overdue=failed,
            order=90,
        )
    ]
