"""The possible-duplicate check when a child is registered (issue 19).

The linkage app does the work (its engine's cross-script name keys and comparison); it builds on
this app, so it is imported when called, never at import time. The agency's own register is
checked while the page waits when it is small, else by the worker; the national register always
by the worker, whose pairs the linkage policy routes without disclosing another agency's child.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from safepath.accounts.models import User
from safepath.cases.models import Case


@dataclass(frozen=True)
class DuplicateCheck:
    checked_now: bool  # the agency's register was checked before answering
    visible: list[Case]  # possible duplicates the user may open; no other is ever named


def registration_duplicates_check(*, user: User, case: Case) -> DuplicateCheck:
    from safepath.linkage.services.registrations import registration_check_inline
    from safepath.linkage.tasks import linkage_registration_check

    checked_now = registration_check_inline(case=case)
    case_id = str(case.pk)
    transaction.on_commit(
        lambda: linkage_registration_check.enqueue(case_id, agency=not checked_now)
    )
    return DuplicateCheck(checked_now, possible_duplicates(user=user, case=case))


def possible_duplicates(*, user: User, case: Case) -> list[Case]:
    """Pending possible duplicates of ``case`` that ``user`` may open."""
    from safepath.linkage.selectors import possible_duplicates_visible

    return possible_duplicates_visible(user=user, case=case)
