"""What the pages ask of the app's policy (``policies.py`` decides; nothing is decided here)."""

from __future__ import annotations

from safepath.accounts.models import User
from safepath.evidence.policies import EvidenceAction, evidence_policy


def may_view_statistics(user: User) -> bool:
    return evidence_policy.user_has_permission(user, EvidenceAction.READ_TABLES)


def may_draft_release(user: User) -> bool:
    return evidence_policy.user_has_permission(user, EvidenceAction.DRAFT)


def may_review_releases(user: User) -> bool:
    return evidence_policy.user_has_permission(user, EvidenceAction.REVIEW)


def may_see_releases(user: User) -> bool:
    return evidence_policy.user_has_permission(user, EvidenceAction.VIEW)
