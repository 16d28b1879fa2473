"""The cases app in the web shell: its menu link (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.cases.access_trail import TrailAction, case_trail_policy
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.menu import NavLink


def nav_links(user: User) -> list[NavLink]:
    links = []
    if case_policy.user_has_permission(user, CaseAction.VIEW):
        links.append(NavLink("cases", _("Cases"), reverse("cases:list"), order=10))
    if user.role == Role.DATA_PROTECTION_OFFICER and case_trail_policy.user_has_permission(
        user, TrailAction.VIEW
    ):  # supervisors reach a trail from its case; the officer, who sees no case, from here
        links.append(
            NavLink("case_access", _("Access trails"), reverse("cases:trail_lookup"), order=12)
        )
    return links
