"""The evidence app in the web shell: its menu link (see ``core/menu.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink, WorkItem
from safepath.evidence.models import ReleaseStatus
from safepath.evidence.policies import EvidenceAction, evidence_policy
from safepath.evidence.views.access import may_see_releases


def nav_links(user: User) -> list[NavLink]:
    """Coordinators, analysts and data-protection officers (who review releases)."""
    if not may_see_releases(user):
        return []
    return [NavLink("statistics", _("Statistics"), reverse("evidence:dashboard"), order=50)]


def work_items(user: User) -> list[WorkItem]:
    """For the data-protection officer: releases in review that someone else drafted (the
    "Waiting for review" list of the releases page)."""
    if not evidence_policy.user_has_permission(user, EvidenceAction.REVIEW):
        return []
    waiting = evidence_policy.instances_user_has_permission_for(user, EvidenceAction.REVIEW)
    return [
        WorkItem(
            key="releases-review",
            title=_("Statistical releases waiting for your review or publication"),
            count=waiting.filter(status=ReleaseStatus.IN_REVIEW).count(),
            url=reverse("evidence:releases") + "#waiting-review",
            order=30,
        )
    ]
