"""The cases app in the web shell: its menu link (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.menu import NavLink


def nav_links(user: User) -> list[NavLink]:
    if not case_policy.user_has_permission(user, CaseAction.VIEW):
        return []
    return [NavLink("cases", _("Cases"), reverse("cases:list"), order=10)]
