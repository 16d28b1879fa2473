"""Who is told what about a case (through the notifications app): a kind, the case number and
a link, never the child's name. Called by the services, inside their transaction; sending
happens after commit, in the worker."""

from __future__ import annotations

import uuid

from django.urls import reverse

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.cases.models import Case
from safepath.cases.policies import CaseAction, case_policy
from safepath.notify.services import notify


def supervisors(agency_id: uuid.UUID, case: Case, action: CaseAction) -> list[User]:
    return [
        user
        for user in User.objects.filter(agency=agency_id, role=Role.SUPERVISOR, is_active=True)
        if case_policy.user_has_permission_for_instance(user, action, case)
    ]


def awaiting_approval(case: Case, *, kind: str, record_id: object, page: str) -> None:
    """The owning agency's supervisors: a plan or a determination waits for their approval."""
    notify(
        recipients=supervisors(case.owner_agency_id, case, CaseAction.APPROVE),
        kind=kind,
        reference=case.reference,
        link=reverse(f"cases:{page}", args=[case.id]),
        dedupe_key=f"{kind}:{record_id}",
    )


def case_shared(case: Case, agency: Agency, share_id: object) -> None:
    """The supervisors of the agency the case is now shared with."""
    notify(
        recipients=supervisors(agency.id, case, CaseAction.VIEW),
        kind="case_shared",
        reference=case.reference,
        link=reverse("cases:detail", args=[case.id]),
        dedupe_key=f"case_shared:{share_id}",
    )
