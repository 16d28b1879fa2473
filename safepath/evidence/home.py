"""The evidence app in the web shell: its menu link (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink
from safepath.evidence.views.access import may_see_releases


def nav_links(user: User) -> list[NavLink]:
    """Coordinators, analysts and data-protection officers (who review releases)."""
    if not may_see_releases(user):
        return []
    return [NavLink("statistics", _("Statistics"), reverse("evidence:dashboard"), order=50)]
