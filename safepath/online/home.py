"""The online app in the web shell: its menu links and the home page's to-do items."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink, WorkItem
from safepath.online.models import CaseLinkStatus, ReportStatus
from safepath.online.policies import OnlineAction, online_policy


def nav_links(user: User) -> list[NavLink]:
    links = []
    if online_policy.user_has_permission(user, OnlineAction.VIEW):
        links.append(NavLink("online", _("Hotline reports"), reverse("online:queue"), order=65))
    elif online_policy.user_has_permission(user, OnlineAction.MATCH):
        links.append(NavLink("online", _("Hash and match"), reverse("online:match"), order=65))
    if online_policy.user_has_permission(user, OnlineAction.LINK_CASE) and (
        online_policy.case_links_user_may_see(user).exists()
    ):
        links.append(
            NavLink("online-handoffs", _("Hotline hand-offs"), reverse("online:handoffs"), 66)
        )
    return links


def work_items(user: User) -> list[WorkItem]:
    from safepath.online.selectors import escalations_open

    items = []
    if online_policy.user_has_permission(user, OnlineAction.VIEW):
        waiting = online_policy.reports_user_has_permission_for(user, OnlineAction.VIEW).filter(
            status=ReportStatus.RECEIVED
        )
        items.append(
            WorkItem(
                "online-queue",
                _("Hotline reports to assess"),
                waiting.count(),
                reverse("online:queue") + "?status=received",
                overdue=waiting.filter(urgency__gte=100).count(),
                order=65,
            )
        )
        escalated = escalations_open(user=user)
        if escalated.exists():
            items.append(
                WorkItem(
                    "online-escalations",
                    _("Takedown notices overdue"),
                    escalated.values("notice").distinct().count(),
                    reverse("online:queue") + "?status=notice_sent",
                    overdue=escalated.values("notice").distinct().count(),
                    order=64,
                )
            )
    if online_policy.user_has_permission(user, OnlineAction.LINK_CASE):
        pending = online_policy.case_links_user_may_see(user).filter(status=CaseLinkStatus.PENDING)
        if pending.exists():
            items.append(
                WorkItem(
                    "online-handoffs",
                    _("Hotline hand-offs to answer"),
                    pending.count(),
                    reverse("online:handoffs"),
                    order=66,
                )
            )
    return items
