"""Reads of releases, budgets and sources, scoped by the caller's role (invisible = 404)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.evidence.engine.store import AnalysisStore, SourceInfo
from safepath.evidence.models import PrivacyBudget, Release
from safepath.evidence.policies import EvidenceAction, evidence_policy


def analysis_store_path() -> Path:
    """The DuckDB analysis store under SAFEPATH_DATA_DIR (settings may override it)."""
    override = getattr(settings, "EVIDENCE_STORE_PATH", None)
    return Path(override) if override else Path(settings.DATA_DIR) / "evidence" / "analysis.duckdb"


def analysis_store() -> AnalysisStore:
    return AnalysisStore(analysis_store_path())


def release_list(*, user: User) -> QuerySet[Release]:
    if not evidence_policy.user_has_permission(user, EvidenceAction.VIEW):
        raise PermissionDeniedError(_("Your role does not read statistical releases."))
    return evidence_policy.instances_user_has_permission_for(user, EvidenceAction.VIEW)


def release_get(
    *, user: User, release_id: uuid.UUID, action: EvidenceAction = EvidenceAction.VIEW
) -> Release:
    """The release if ``user`` may do ``action`` on it; 404 when they may not even see it."""
    visible = evidence_policy.instances_user_has_permission_for(user, EvidenceAction.VIEW)
    release = visible.filter(pk=release_id).first()
    if release is None:
        raise NotFoundError(_("No such release."))
    if action != EvidenceAction.VIEW and not evidence_policy.user_has_permission_for_instance(
        user, action, release
    ):
        raise PermissionDeniedError(_("You may not do this to this release in its current state."))
    return release


def source_list(*, user: User | None) -> list[SourceInfo]:
    """Sources in the analysis store (``user`` None: the command line, run by the operator)."""
    if user is not None and not evidence_policy.user_has_permission(
        user, EvidenceAction.READ_TABLES
    ):
        raise PermissionDeniedError(_("Your role does not read statistics."))
    return analysis_store().sources()


def budget_for(source: str) -> PrivacyBudget | None:
    return PrivacyBudget.objects.filter(source=source).first()
