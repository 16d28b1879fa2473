"""The referrals app in the web shell: its menu links and home-page items (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink, WorkItem
from safepath.referrals.models import ReferralStatus
from safepath.referrals.policies import ReferralAction, referral_policy, service_directory_policy
from safepath.referrals.selectors import ReferralFilters, referral_list, referral_overdue_list


def nav_links(user: User) -> list[NavLink]:
    links = []
    if service_directory_policy.user_may_list(user):
        links.append(NavLink("services", _("Services"), reverse("referrals:services"), order=30))
    if referral_policy.user_has_permission(user, ReferralAction.VIEW):
        links.append(NavLink("referrals", _("Referrals"), reverse("referrals:list"), order=31))
    return links


def work_items(user: User) -> list[WorkItem]:
    """Referrals waiting for this agency's answer (the overdue among them), and for a
    supervisor every unanswered referral past its deadline; each count is its list's length."""
    items = []
    if referral_policy.user_has_permission(user, ReferralAction.ACCEPT):
        waiting = referral_list(
            user=user,
            filters=ReferralFilters(direction="incoming", status=ReferralStatus.PENDING),
        )
        items.append(
            WorkItem(
                key="referrals-waiting",
                title=_("Referrals waiting for your agency's answer"),
                count=waiting.count(),
                overdue=waiting.filter(due_at__lte=timezone.now()).count(),
                url=reverse("referrals:list") + "?direction=incoming&status=pending",
                order=10,
            )
        )
    if referral_policy.user_has_permission(user, ReferralAction.VIEW_OVERDUE):
        overdue = referral_overdue_list(user=user).count()
        items.append(
            WorkItem(
                key="referrals-overdue",
                title=_("Referrals past their answer deadline"),
                count=overdue,
                overdue=overdue,
                url=reverse("referrals:overdue"),
                order=11,
            )
        )
    return items
