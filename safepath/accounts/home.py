"""The accounts app in the web shell: the administrators' menu link (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink


def nav_links(user: User) -> list[NavLink]:
    if not user.is_staff:
        return []
    return [NavLink("admin", _("Users and agencies"), reverse("admin:index"), order=900)]
