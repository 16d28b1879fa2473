"""Who may do what: the policy as a matrix of roles x actions x release states."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.evidence.models import Release, ReleaseStatus
from safepath.evidence.policies import EvidenceAction, evidence_policy

pytestmark = pytest.mark.django_db

A = EvidenceAction
GENERAL = {
    Role.COORDINATOR: {A.READ_TABLES, A.DRAFT, A.VIEW, A.SUBMIT, A.PUBLISH, A.DOWNLOAD},
    Role.ANALYST: {
        A.READ_TABLES,
        A.DRAFT,
        A.VIEW,
        A.SUBMIT,
        A.PUBLISH,
        A.DOWNLOAD,
        A.EXPORT_RECORDS,
    },
    Role.DATA_PROTECTION_OFFICER: {
        A.READ_TABLES,
        A.VIEW,
        A.REVIEW,
        A.PUBLISH,
        A.DOWNLOAD,
        A.SET_BUDGET,
    },
    Role.SYSTEM_ADMIN: set(),
    Role.SUPERVISOR: set(),
    Role.CASEWORKER: set(),
    Role.LAW_ENFORCEMENT: set(),
    Role.FINANCIAL_ANALYST: set(),
}


@pytest.mark.parametrize("role", list(GENERAL))
def test_general_permissions(
    role: str, make_user: Callable[..., User], coordination: Agency
) -> None:
    user = make_user(role, coordination)
    allowed = {action for action in A if evidence_policy.user_has_permission(user, action)}
    assert allowed == GENERAL[role]
    user.is_active = False
    assert not any(evidence_policy.user_has_permission(user, action) for action in A)


# (state, approved) -> actions on a release drafted by the coordinator
INSTANCE = {
    "author": {
        (ReleaseStatus.DRAFT, False): {A.VIEW, A.SUBMIT},
        (ReleaseStatus.IN_REVIEW, False): {A.VIEW},
        (ReleaseStatus.IN_REVIEW, True): {A.VIEW, A.PUBLISH},
        (ReleaseStatus.PUBLISHED, True): {A.VIEW, A.DOWNLOAD},
        (ReleaseStatus.REJECTED, False): {A.VIEW},
    },
    "other_analyst": {
        (ReleaseStatus.DRAFT, False): set(),
        (ReleaseStatus.IN_REVIEW, False): {A.VIEW},
        (ReleaseStatus.IN_REVIEW, True): {A.VIEW, A.PUBLISH},
        (ReleaseStatus.PUBLISHED, True): {A.VIEW, A.DOWNLOAD},
        (ReleaseStatus.REJECTED, False): {A.VIEW},
    },
    "dpo": {
        (ReleaseStatus.DRAFT, False): set(),
        (ReleaseStatus.IN_REVIEW, False): {A.VIEW, A.REVIEW},
        (ReleaseStatus.IN_REVIEW, True): {A.VIEW, A.REVIEW, A.PUBLISH},
        (ReleaseStatus.PUBLISHED, True): {A.VIEW, A.DOWNLOAD},
        (ReleaseStatus.REJECTED, False): {A.VIEW},
    },
    "caseworker": {
        key: set()
        for key in [
            (ReleaseStatus.DRAFT, False),
            (ReleaseStatus.IN_REVIEW, False),
            (ReleaseStatus.IN_REVIEW, True),
            (ReleaseStatus.PUBLISHED, True),
            (ReleaseStatus.REJECTED, False),
        ]
    },
}


@pytest.mark.parametrize("who", list(INSTANCE))
def test_instance_permissions(
    who: str, coordinator: User, analyst: User, dpo: User, caseworker_a: User
) -> None:
    user = {
        "author": coordinator,
        "other_analyst": analyst,
        "dpo": dpo,
        "caseworker": caseworker_a,
    }[who]
    for (status, approved), expected in INSTANCE[who].items():
        release = Release.objects.create(
            title="t", source="vp", status=status, approved=approved, created_by=coordinator
        )
        allowed = {
            action
            for action in (A.VIEW, A.SUBMIT, A.REVIEW, A.PUBLISH, A.DOWNLOAD)
            if evidence_policy.user_has_permission_for_instance(user, action, release)
        }
        assert allowed == expected, (who, status, approved)
