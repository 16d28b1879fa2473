"""The cases app in the web shell: its menu link and a supervisor's home-page items (see
``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.cases.access_trail import TrailAction, case_trail_policy
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.selectors import supervision_overview
from safepath.core.menu import NavLink, WorkItem


def nav_links(user: User) -> list[NavLink]:
    links = []
    if case_policy.user_has_permission(user, CaseAction.VIEW):
        links.append(NavLink("cases", _("Cases"), reverse("cases:list"), order=10))
        if user.role == Role.SUPERVISOR:
            links.append(
                NavLink("supervision", _("Supervision"), reverse("cases:supervision"), order=11)
            )
    if user.role == Role.DATA_PROTECTION_OFFICER and case_trail_policy.user_has_permission(
        user, TrailAction.VIEW
    ):  # supervisors reach a trail from its case; the officer, who sees no case, from here
        links.append(
            NavLink("case_access", _("Access trails"), reverse("cases:trail_lookup"), order=12)
        )
    return links


def work_items(user: User) -> list[WorkItem]:
    """A supervisor's approvals and the agency's overdue tasks, all on the supervision page."""
    if user.role != Role.SUPERVISOR or not case_policy.user_has_permission(user, CaseAction.VIEW):
        return []
    overview = supervision_overview(user=user)
    url = reverse("cases:supervision")
    return [
        WorkItem(
            key="cases-approvals",
            title=_("Plans and determinations waiting for your approval"),
            count=len(overview.plans_awaiting_approval)
            + len(overview.determinations_awaiting_approval),
            url=url + "#approvals",
            order=20,
        ),
        WorkItem(
            key="cases-overdue-tasks",
            title=_("Case tasks past their due date in your agency"),
            count=len(overview.overdue_tasks),
            overdue=len(overview.overdue_tasks),
            url=url + "#overdue",
            order=21,
        ),
    ]
