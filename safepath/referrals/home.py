"""The referrals app in the web shell: its menu links (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink
from safepath.referrals.policies import ReferralAction, referral_policy, service_directory_policy


def nav_links(user: User) -> list[NavLink]:
    links = []
    if service_directory_policy.user_may_list(user):
        links.append(NavLink("services", _("Services"), reverse("referrals:services"), order=30))
    if referral_policy.user_has_permission(user, ReferralAction.VIEW):
        links.append(NavLink("referrals", _("Referrals"), reverse("referrals:list"), order=31))
    return links
