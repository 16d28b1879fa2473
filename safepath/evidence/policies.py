"""Who may do what with statistics and releases. The one place for these rules; tested as a matrix.

Coordinators and analysts read tables and draft, submit and publish releases; the
data-protection officer reviews them (and may publish an approved one) and sets privacy
budgets; the record-level de-identified export is for analysts only (coordinators see figures,
never records). Nobody else — caseworkers, supervisors, police, administrators, financial
analysts — sees anything here. A draft is visible to its author only; from submission on, a
release is visible to every role here.

Counts below 11 (``tables.DEFAULT_K``, CTDC's publication threshold) are never shown without a
review: a table on demand must use k >= 11, and a release drafted with a smaller k shows its
figures only to the data-protection officer reviewing it until it is approved
(:meth:`EvidencePolicy.user_may_see_result`).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safepath.accounts.models import User
from safepath.accounts.roles import REVIEWS_RELEASES, Role
from safepath.core.policies import PolicyAction
from safepath.evidence.engine.tables import DEFAULT_K
from safepath.evidence.models import Release, ReleaseStatus

DRAFTS_RELEASES = frozenset({Role.COORDINATOR, Role.ANALYST})


class EvidenceAction(PolicyAction):
    READ_TABLES = "read_tables"
    DRAFT = "draft"
    VIEW = "view"
    SUBMIT = "submit"
    REVIEW = "review"
    PUBLISH = "publish"
    DOWNLOAD = "download"
    SET_BUDGET = "set_budget"
    EXPORT_RECORDS = "export_records"


_GENERAL: dict[str, frozenset[str]] = {
    EvidenceAction.READ_TABLES: DRAFTS_RELEASES | REVIEWS_RELEASES,
    EvidenceAction.DRAFT: DRAFTS_RELEASES,
    EvidenceAction.VIEW: DRAFTS_RELEASES | REVIEWS_RELEASES,
    EvidenceAction.SUBMIT: DRAFTS_RELEASES,
    EvidenceAction.REVIEW: REVIEWS_RELEASES,
    EvidenceAction.PUBLISH: DRAFTS_RELEASES | REVIEWS_RELEASES,
    EvidenceAction.DOWNLOAD: DRAFTS_RELEASES | REVIEWS_RELEASES,
    EvidenceAction.SET_BUDGET: REVIEWS_RELEASES,
    EvidenceAction.EXPORT_RECORDS: frozenset({Role.ANALYST}),
}


class EvidencePolicy:
    """One interface: general permission, the visible set, per instance."""

    def user_has_permission(self, user: User, action: EvidenceAction) -> bool:
        if not user.is_active:
            return False
        return user.role in _GENERAL[action]

    def instances_user_has_permission_for(
        self, user: User, action: EvidenceAction
    ) -> QuerySet[Release]:
        if not self.user_has_permission(user, action):
            return Release.objects.none()
        releases = Release.objects.all()
        not_draft = ~Q(status=ReleaseStatus.DRAFT)
        if action == EvidenceAction.VIEW:
            return releases.filter(not_draft | Q(created_by=user))
        if action == EvidenceAction.SUBMIT:
            return releases.filter(status=ReleaseStatus.DRAFT, created_by=user)
        if action == EvidenceAction.REVIEW:
            return releases.filter(status=ReleaseStatus.IN_REVIEW).exclude(created_by=user)
        if action == EvidenceAction.PUBLISH:
            return releases.filter(status=ReleaseStatus.IN_REVIEW, approved=True)
        if action == EvidenceAction.DOWNLOAD:
            return releases.filter(status=ReleaseStatus.PUBLISHED)
        return Release.objects.none()

    def user_may_see_result(self, user: User, release: Release) -> bool:
        """Whether ``user`` sees the release's figures. With k below the publication threshold,
        only once approved, and before that only by the reviewer who is not its author."""
        if int((release.parameters or {}).get("k") or DEFAULT_K) >= DEFAULT_K or release.approved:
            return True
        return (
            release.status == ReleaseStatus.IN_REVIEW
            and user.is_active
            and user.role in REVIEWS_RELEASES
            and release.created_by_id != user.id
        )

    def user_has_permission_for_instance(
        self, user: User, action: EvidenceAction, release: Release
    ) -> bool:
        return self.instances_user_has_permission_for(user, action).filter(pk=release.pk).exists()


evidence_policy = EvidencePolicy()
