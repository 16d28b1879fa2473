"""The linkage app in the web shell: its menu links (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink
from safepath.linkage.policies import LinkageAction, linkage_policy


def nav_links(user: User) -> list[NavLink]:
    links = []
    if linkage_policy.user_has_permission(user, LinkageAction.REVIEW):
        links.append(NavLink("matches", _("Possible matches"), reverse("linkage:queue"), order=40))
    if linkage_policy.user_has_permission(user, LinkageAction.TRACE):
        links.append(NavLink("tracing", _("Family tracing"), reverse("linkage:tracing"), order=41))
    return links
