"""The finance app in the web shell: its menu link (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink
from safepath.finance.policies import FinanceAction, finance_policy


def nav_links(user: User) -> list[NavLink]:
    if not finance_policy.user_has_permission(user, FinanceAction.VIEW):
        return []
    return [NavLink("finance", _("Financial alerts"), reverse("finance:queue"), order=60)]
