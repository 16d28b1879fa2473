"""Duplicates among new registrations: two devices registering the same child offline each make a
case; when they sync, the new cases are compared with the recent cases of the same agencies and
the likely pairs go to the review queue. Nothing merges without a person (see ``pairs.py``).

The comparison is the fixed-weight one tracing uses (``records.tracing_compare``), within blocks
of records sharing a name key (cross-script variants included), so a large sync compares a few
pairs per record instead of every pair.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import Case
from safepath.linkage.engine.names import name_keys
from safepath.linkage.models import MatchRun, RunScope, RunStatus
from safepath.linkage.services.pairs import DEFAULT_THRESHOLD, ScoredPair, candidate_pairs_store

RECENT_DAYS = 30


def _keys(row: dict[str, Any]) -> set[str]:
    keys: set[str] = set()
    for name in ("given_name", "family_name"):
        value = str(row.get(name) or "").strip()
        if value and value not in ("<NA>", "nan"):
            keys |= {f"{name}:{variant}" for variant in name_keys(value).variants}
    return keys


def _pairs(new_ids: set[str], rows: list[dict[str, Any]], threshold: float) -> list[ScoredPair]:
    from safepath.linkage.records import tracing_compare

    blocks: dict[str, list[int]] = defaultdict(list)
    keys_of = [_keys(row) for row in rows]
    for index, keys in enumerate(keys_of):
        for key in keys:
            blocks[key].append(index)
    seen: set[tuple[int, int]] = set()
    pairs = []
    for index, row in enumerate(rows):
        if str(row["record_id"]) not in new_ids:
            continue
        for key in keys_of[index]:
            for other in blocks[key]:
                pair = (min(index, other), max(index, other))
                if other == index or pair in seen:
                    continue
                seen.add(pair)
                probability, evidence = tracing_compare(row, rows[other])
                if probability >= threshold:
                    pairs.append(
                        ScoredPair(
                            str(row["record_id"]),
                            str(rows[other]["record_id"]),
                            probability,
                            evidence,
                        )
                    )
    return pairs


def registrations_duplicates_propose(
    *,
    case_ids: Iterable[str],
    threshold: float = DEFAULT_THRESHOLD,
    recent_days: int | None = RECENT_DAYS,
    national: bool = False,
) -> list[MatchRun]:
    """Compare new cases with their agencies' cases of the last ``recent_days`` days (every case
    when None), or with every agency's cases when ``national``; store the likely duplicates as
    pending pairs, one finished run per agency (or one national run). Returns the runs.

    A national run's pairs are routed by the policy like any other: a supervisor who may not see
    the other case reads only that another agency holds a possible duplicate."""
    from safepath.linkage.records import case_records

    new = list(Case.objects.filter(pk__in=list(case_ids)).values_list("pk", "owner_agency_id"))
    by_agency: dict[Any, set[str]] = defaultdict(set)
    for pk, agency in new:
        by_agency[None if national else agency].add(str(pk))
    recent = Q()
    if recent_days is not None:
        recent = Q(created_at__gte=timezone.now() - datetime.timedelta(days=recent_days))
    runs = []
    for agency_id, ids in by_agency.items():
        mine = Q() if national else Q(owner_agency_id=agency_id)
        pool = Case.objects.filter(mine & recent) | Case.objects.filter(pk__in=ids)
        frame = case_records(pool.distinct())
        rows = [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]
        pairs = _pairs(ids, rows, threshold)
        with transaction.atomic():
            run = MatchRun.objects.create(
                scope=RunScope.NATIONAL if national else RunScope.AGENCY,
                agency_id=agency_id,
                threshold=threshold,
                status=RunStatus.FINISHED,
                record_count=len(rows),
                finished_at=timezone.now(),
            )
            run.pair_count = candidate_pairs_store(run=run, pairs=pairs)
            run.save(update_fields=["pair_count"])
            audit_record(
                actor=Actor.system(Channel.SYSTEM),
                action=Action.CREATE,
                object_type="linkage.run",
                object_id=run.pk,
                details={
                    "scope": "new_registrations_national" if national else "new_registrations",
                    "records": len(rows),
                    "pairs": run.pair_count,
                },
            )
        runs.append(run)
    return runs


# An agency register up to this size is checked while the registration page waits (decrypting a
# few hundred records and comparing within name blocks takes well under a second); a larger one,
# and the national register, are checked by the worker (``tasks.linkage_registration_check``).
INLINE_REGISTER_LIMIT = 1000


def registration_check_inline(*, case: Case) -> bool:
    """Check a newly registered case against its agency's whole register now, when the register
    is small enough; True when done, False when it is left to the worker."""
    if Case.objects.filter(owner_agency_id=case.owner_agency_id).count() > INLINE_REGISTER_LIMIT:
        return False
    registrations_duplicates_propose(case_ids=[str(case.pk)], recent_days=None)
    return True
