"""Bulk loading of synthetic cases: the fast path behind `safepath seed` and `safepath demo`.

It builds children exactly as `case_register` does (same encryption, same blind indexes) and
writes them in batches, each batch atomic and audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from django.db import transaction
from django.utils import timezone

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record_many
from safepath.cases import name_keys
from safepath.cases.models import Case, CaseAssignment, Child, unused_references
from safepath.cases.services import ChildInput, build_child
from safepath.core.bulk import insert_rows
from safepath.demo.synthetic import SyntheticCase

BATCH = 2000


def _batches(items: Iterable[SyntheticCase], size: int) -> Iterable[list[SyntheticCase]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def load_cases(
    specs: Iterable[SyntheticCase],
    *,
    assignees: Sequence[User],
    progress: Callable[[int], object] | None = None,
    batch_size: int = BATCH,
) -> int:
    """Register each synthetic case in its assignee's agency, round-robin over ``assignees``."""
    actor = Actor.system(Channel.CLI)
    loaded = 0
    for batch in _batches(specs, batch_size):
        now = timezone.now()
        children, cases, assignments = [], [], []
        references = unused_references(len(batch))
        for offset, spec in enumerate(batch):
            assignee = assignees[(loaded + offset) % len(assignees)]
            assert assignee.agency_id is not None  # noqa: S101 - only agency staff are assignees
            child = build_child(
                ChildInput(
                    given_name=spec.given_name,
                    family_name=spec.family_name,
                    sex=spec.sex,
                    date_of_birth=spec.date_of_birth,
                    date_of_birth_estimated=spec.date_of_birth_estimated,
                    nationality=spec.nationality,
                ),
                now=now,
                identified_on=spec.identified_on,
            )
            case = Case(
                reference=references[offset],
                child=child,
                owner_agency_id=assignee.agency_id,
                identified_on=spec.identified_on,
                forms_of_exploitation=spec.forms_of_exploitation,
                country_of_exploitation=spec.country_of_exploitation,
                created_by=assignee,
                created_at=now,
                updated_at=now,
            )
            children.append(child)
            cases.append(case)
            assignments.append(
                CaseAssignment(case=case, user=assignee, assigned_by=assignee, assigned_at=now)
            )
        with transaction.atomic():
            insert_rows(Child, children)
            name_keys.write(children, replace=False)
            insert_rows(Case, cases)
            insert_rows(CaseAssignment, assignments)
            details = {"synthetic": True}
            audit_record_many(
                actor=actor,
                action=Action.CREATE,
                object_type="child",
                object_ids=[c.id for c in children],
                details=details,
            )
            audit_record_many(
                actor=actor,
                action=Action.CREATE,
                object_type="case",
                object_ids=[c.id for c in cases],
                details=details,
            )
        loaded += len(batch)
        if progress:
            progress(len(batch))
    return loaded
