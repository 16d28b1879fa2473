"""The screening app in the web shell: its menu link (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink
from safepath.screening.policies import ScreeningAction, screening_policy


def nav_links(user: User) -> list[NavLink]:
    if not screening_policy.user_has_permission(user, ScreeningAction.RUN):
        return []
    return [NavLink("screening", _("Screen a child"), reverse("screening:choose"), order=20)]
