"""Persons, candidate pairs and their review, deduplication runs, requests to share.

Nothing merges without a person confirming it: runs only *propose* candidate pairs; a
supervisor who may see both cases confirms (the two persons merge) or rejects. Every merge and
split keeps the memberships before and after, so ``person_change_revert`` can undo it.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import Case, Child
from safepath.core.exceptions import (
    ConflictError,
    FieldValidationError,
    NotFoundError,
    PermissionDeniedError,
)
from safepath.linkage import notices
from safepath.linkage.models import (
    CandidatePair,
    ChangeKind,
    MatchRequest,
    MatchRun,
    PairStatus,
    Person,
    PersonChange,
    PersonMember,
    RequestKind,
    RequestStatus,
    RunScope,
    RunStatus,
)
from safepath.linkage.policies import LinkageAction, PairAccess, linkage_policy

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.9
EVIDENCE_KEYS = ("field", "level", "bayes_factor", "log2_bayes_factor")


@dataclass(frozen=True)
class ScoredPair:
    """One pair the engine proposes: two case ids, a probability, the field evidence."""

    case_id_1: str
    case_id_2: str
    match_probability: float
    evidence: list[dict[str, Any]]


def clean_evidence(evidence: Iterable[Any]) -> list[dict[str, Any]]:
    """Keep field names, levels and weights; drop anything else (a sentence may quote values)."""
    kept = []
    for item in evidence:
        row = item if isinstance(item, dict) else vars(item)
        kept.append(
            {
                "field": str(row["field"]),
                "level": str(row["level"]),
                "bayes_factor": float(row["bayes_factor"]),
                "log2_bayes_factor": float(row["log2_bayes_factor"]),
            }
        )
    return kept


# --- persons ---------------------------------------------------------------------------------
def _person_of(child: Child, now: datetime.datetime) -> Person:
    member = PersonMember.objects.select_related("person").filter(child=child).first()
    if member is not None:
        return member.person
    person = Person.objects.create(created_at=now)
    PersonMember.objects.create(child=child, person=person, since=now)
    return person


def memberships(person_ids: Iterable[Any]) -> dict[str, list[str]]:
    """Person id -> sorted child ids, for the persons named (empty lists included)."""
    ids = [str(pk) for pk in person_ids]
    snapshot: dict[str, list[str]] = {pk: [] for pk in ids}
    rows = PersonMember.objects.filter(person_id__in=ids).values_list("person_id", "child_id")
    for person_id, child_id in rows:
        snapshot[str(person_id)].append(str(child_id))
    return {pk: sorted(children) for pk, children in snapshot.items()}


def _lock_persons(person_ids: Iterable[Any]) -> list[Person]:
    return list(Person.objects.select_for_update().filter(pk__in=list(person_ids)).order_by("pk"))


def _bump(persons: Iterable[Person]) -> None:
    Person.objects.filter(pk__in=[p.pk for p in persons]).update(version=F("version") + 1)


def _merge(
    *,
    user: User,
    survivor: Person,
    absorbed: Person,
    reason: str,
    pair: CandidatePair | None,
    now: datetime.datetime,
) -> PersonChange:
    before = memberships([survivor.pk, absorbed.pk])
    PersonMember.objects.filter(person=absorbed).update(person=survivor, since=now)
    Person.objects.filter(pk=absorbed.pk).update(merged_into=survivor)
    _bump([survivor, absorbed])
    return PersonChange.objects.create(
        kind=ChangeKind.MERGE,
        person=survivor,
        other_person=absorbed,
        pair=pair,
        reason=reason,
        before=before,
        after=memberships([survivor.pk]),
        actor=user,
        at=now,
    )


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise FieldValidationError({"reason": [_("Say why: the reason is kept in the history.")]})
    return reason


def _require_sees_all(user: User, child_ids: Iterable[Any]) -> None:
    """Splitting or reverting needs every record it moves in sight."""
    cases = list(Case.objects.filter(child_id__in=list(child_ids)).values_list("pk", flat=True))
    visible = linkage_policy.visible_cases(user).filter(pk__in=cases).count()
    if not visible:
        raise NotFoundError(_("No such person."))
    if visible < len(cases):
        raise PermissionDeniedError(
            _("Another agency holds a record of this person; you cannot change its links.")
        )


def _children_of(person: Person) -> list[Any]:
    return list(PersonMember.objects.filter(person=person).values_list("child_id", flat=True))


@transaction.atomic
def person_split(
    *,
    user: User,
    person: Person,
    child_ids: Sequence[str],
    reason: str,
    expected_version: int,
    channel: str,
) -> PersonChange:
    """Move some child records of ``person`` to a new person (a wrong merge, undone in part)."""
    if not linkage_policy.user_has_permission(user, LinkageAction.REVIEW):
        raise NotFoundError(_("No such person."))
    reason = _require_reason(reason)
    _require_sees_all(user, _children_of(person))
    locked = _lock_persons([person.pk])[0]
    if locked.version != expected_version or locked.merged_into_id is not None:
        raise ConflictError(_("Someone changed this person since you opened it; reload."))
    before = memberships([person.pk])
    chosen = sorted({str(pk) for pk in child_ids})
    if not chosen or not set(chosen) < set(before[str(person.pk)]):
        raise FieldValidationError(
            {"children": [_("Choose some, not all, of this person's records to split off.")]}
        )
    now = timezone.now()
    new_person = Person.objects.create(created_at=now)
    PersonMember.objects.filter(person=person, child_id__in=chosen).update(
        person=new_person, since=now
    )
    _bump([locked])
    change = PersonChange.objects.create(
        kind=ChangeKind.SPLIT,
        person=person,
        other_person=new_person,
        reason=reason,
        before=before,
        after=memberships([person.pk, new_person.pk]),
        actor=user,
        at=now,
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="linkage.person",
        object_id=person.pk,
        details={
            "change": str(change.pk),
            "kind": "split",
            "new_person": str(new_person.pk),
            "records_moved": len(chosen),
        },
    )
    return change


@transaction.atomic
def person_change_revert(
    *, user: User, change: PersonChange, reason: str, channel: str
) -> PersonChange:
    """Restore the memberships before ``change``, if nothing has moved since (409 otherwise)."""
    if not linkage_policy.user_has_permission(user, LinkageAction.REVIEW):
        raise NotFoundError(_("No such change."))
    reason = _require_reason(reason)
    moved = {child for children in change.before.values() for child in children}
    _require_sees_all(user, moved | {c for kids in change.after.values() for c in kids})
    touched = set(change.before) | set(change.after)
    _lock_persons(touched)
    if change.kind == ChangeKind.REVERT or PersonChange.objects.filter(reverts=change).exists():
        raise ConflictError(_("This change has already been reverted."))
    current = memberships(touched)
    expected = {pk: change.after.get(pk, []) for pk in touched}
    if current != expected:
        raise ConflictError(_("The records have moved since this change; it cannot be reverted."))
    now = timezone.now()
    home = str(change.person_id)
    for person_id, child_ids in change.before.items():
        PersonMember.objects.filter(child_id__in=child_ids).update(person_id=person_id, since=now)
        Person.objects.filter(pk=person_id).update(merged_into=None)
    retired = [pk for pk in change.after if pk not in change.before]
    Person.objects.filter(pk__in=retired).update(merged_into_id=home)
    Person.objects.filter(pk__in=touched).update(version=F("version") + 1)
    revert = PersonChange.objects.create(
        kind=ChangeKind.REVERT,
        person=change.person,
        other_person=change.other_person,
        reverts=change,
        reason=reason,
        before=current,
        after=memberships(touched),
        actor=user,
        at=now,
    )
    if change.pair_id is not None:  # the confirmation was wrong: the pair stands rejected
        CandidatePair.objects.filter(pk=change.pair_id).update(
            status=PairStatus.REJECTED,
            decided_by=user,
            decided_at=now,
            decision_reason=reason,
            version=F("version") + 1,
        )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="linkage.person",
        object_id=change.person_id,
        details={"change": str(revert.pk), "kind": "revert", "reverts": str(change.pk)},
    )
    return revert


# --- candidate pairs -------------------------------------------------------------------------
def _pair_for_decision(user: User, pair: CandidatePair, expected_version: int) -> CandidatePair:
    access = linkage_policy.pair_access(user, pair)
    if access == PairAccess.NONE:
        raise NotFoundError(_("No such candidate pair."))
    if access == PairAccess.NOTICE:
        raise PermissionDeniedError(
            _("Another agency holds one of these records; ask it to share through consent.")
        )
    locked = CandidatePair.objects.select_for_update().get(pk=pair.pk)
    if locked.status != PairStatus.PENDING or locked.version != expected_version:
        raise ConflictError(_("Someone decided on this pair since you opened it; reload."))
    return locked


@transaction.atomic
def pair_confirm(
    *, user: User, pair: CandidatePair, expected_version: int, reason: str, channel: str
) -> CandidatePair:
    """A person confirms the two records are the same child: their persons merge."""
    locked = _pair_for_decision(user, pair, expected_version)
    reason = _require_reason(reason)
    now = timezone.now()
    case_1 = Case.objects.select_related("child").get(pk=locked.case_1_id)
    case_2 = Case.objects.select_related("child").get(pk=locked.case_2_id)
    person_1, person_2 = _person_of(case_1.child, now), _person_of(case_2.child, now)
    change = None
    if person_1.pk != person_2.pk:
        _lock_persons([person_1.pk, person_2.pk])
        survivor, absorbed = sorted((person_1, person_2), key=lambda p: (p.created_at, str(p.pk)))
        change = _merge(
            user=user, survivor=survivor, absorbed=absorbed, reason=reason, pair=locked, now=now
        )
    locked.status = PairStatus.CONFIRMED
    locked.decided_by, locked.decided_at, locked.decision_reason = user, now, reason
    locked.version += 1
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "version"])
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="linkage.pair",
        object_id=locked.pk,
        details={"decision": "confirmed", "change": str(change.pk) if change else ""},
    )
    return locked


@transaction.atomic
def pair_reject(
    *, user: User, pair: CandidatePair, expected_version: int, reason: str, channel: str
) -> CandidatePair:
    locked = _pair_for_decision(user, pair, expected_version)
    reason = _require_reason(reason)
    locked.status = PairStatus.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_reason = user, timezone.now(), reason
    locked.version += 1
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "version"])
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="linkage.pair",
        object_id=locked.pk,
        details={"decision": "rejected"},
    )
    return locked


STORE_CHUNK = 400  # pairs per lookup: at most 800 ids in an IN list (SQLite allows 32766)


def candidate_pairs_store(*, run: MatchRun, pairs: Iterable[ScoredPair]) -> int:
    """Keep the new proposals: not a pair already decided, pending, or one person already."""
    scored: dict[tuple[uuid.UUID, uuid.UUID], ScoredPair] = {}
    for pair in pairs:
        first, second = sorted((as_uuid(pair.case_id_1), as_uuid(pair.case_id_2)))
        if first != second:
            scored[(first, second)] = pair
    keys = list(scored)
    stored = 0
    for start in range(0, len(keys), STORE_CHUNK):
        chunk = {key: scored[key] for key in keys[start : start + STORE_CHUNK]}
        new = _new_proposals(run, chunk)
        CandidatePair.objects.bulk_create(new, batch_size=500)
        stored += len(new)
    return stored


def _new_proposals(
    run: MatchRun, scored: dict[tuple[uuid.UUID, uuid.UUID], ScoredPair]
) -> list[CandidatePair]:
    ids = {case_id for key in scored for case_id in key}
    child_of = dict(Case.objects.filter(pk__in=ids).values_list("pk", "child_id"))
    person_of = dict(
        PersonMember.objects.filter(child_id__in=child_of.values()).values_list(
            "child_id", "person_id"
        )
    )
    known = set(
        CandidatePair.objects.filter(
            Q(status=PairStatus.PENDING) | Q(status=PairStatus.REJECTED),
            case_1_id__in=ids,
            case_2_id__in=ids,
        ).values_list("case_1_id", "case_2_id")
    )
    new = []
    for (first, second), pair in scored.items():
        child_1, child_2 = child_of.get(first), child_of.get(second)
        if child_1 is None or child_2 is None or (first, second) in known or child_1 == child_2:
            continue
        person = person_of.get(child_1)
        if person is not None and person == person_of.get(child_2):
            continue
        new.append(
            CandidatePair(
                run=run,
                case_1_id=first,
                case_2_id=second,
                match_probability=float(pair.match_probability),
                evidence=clean_evidence(pair.evidence),
            )
        )
    return new


def as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


# --- runs ------------------------------------------------------------------------------------
def _check_threshold(threshold: float) -> float:
    if not 0.5 <= threshold < 1:
        raise FieldValidationError(
            {"threshold": [_("The threshold is a probability from 0.5 to below 1.")]}
        )
    return threshold


@transaction.atomic
def match_run_start(
    *,
    user: User | None,
    scope: str = RunScope.AGENCY,
    threshold: float = DEFAULT_THRESHOLD,
    channel: str,
) -> MatchRun:
    """Queue a deduplication run: over the cases a supervisor may see, or national (system)."""
    _check_threshold(threshold)
    if scope == RunScope.NATIONAL:
        if user is not None:  # the worker or an operator's CLI starts national runs
            raise PermissionDeniedError(_("National runs are started by the system."))
        run = MatchRun.objects.create(scope=scope, threshold=threshold)
    else:
        if user is None or not linkage_policy.user_has_permission(user, LinkageAction.REVIEW):
            raise NotFoundError(_("No such page."))
        run = MatchRun.objects.create(
            scope=RunScope.AGENCY, agency_id=user.agency_id, requested_by=user, threshold=threshold
        )
    audit_record(
        actor=Actor.of(user, channel) if user else Actor.system(channel),
        action=Action.CREATE,
        object_type="linkage.run",
        object_id=run.pk,
        details={"scope": run.scope, "threshold": threshold},
    )
    from safepath.linkage.tasks import linkage_run_execute

    run_id = str(run.pk)
    transaction.on_commit(lambda: linkage_run_execute.enqueue(run_id))
    return run


def run_cases(run: MatchRun) -> Any:
    if run.scope == RunScope.NATIONAL:
        return Case.objects.all()
    assert run.requested_by is not None  # noqa: S101 - agency runs always have a requester
    return linkage_policy.visible_cases(run.requested_by)


def match_run_execute(*, run_id: str) -> MatchRun:
    """Score the run's records with the engine and store the proposals (worker side)."""
    from safepath.linkage.records import case_records

    run = MatchRun.objects.get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    try:
        records = case_records(run_cases(run))
        pairs = dedupe_pairs(records, threshold=run.threshold)
        with transaction.atomic():
            stored = candidate_pairs_store(run=run, pairs=pairs)
            run.status, run.record_count, run.pair_count = RunStatus.FINISHED, len(records), stored
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "record_count", "pair_count", "finished_at"])
            audit_record(
                actor=Actor.system(Channel.SYSTEM),
                action=Action.UPDATE,
                object_type="linkage.run",
                object_id=run.pk,
                details={"records": len(records), "pairs": stored},
            )
            if stored:
                notices.pairs_to_review(run)
    except Exception as error:
        logger.exception("linkage run %s failed", run.pk)
        MatchRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, failure=type(error).__name__, finished_at=timezone.now()
        )
        run.refresh_from_db()
    return run


# Splink trains without labels: u from random pairs, m by expectation maximisation. A small
# agency's register (a few dozen children) holds too few pairs for that, and the training fails
# (measured: 12 records fail, 60 succeed). Below this size every pair is compared with the fixed
# weights that tracing uses (records.py), which is exhaustive and cheap at this size.
SPLINK_MINIMUM_RECORDS = 100


def dedupe_pairs(records: Any, *, threshold: float) -> list[ScoredPair]:
    """The engine's proposals with their explanations; fewer than two records, none."""
    if len(records) < 2:
        return []
    if len(records) < SPLINK_MINIMUM_RECORDS:
        return _small_register_pairs(records, threshold=threshold)
    from safepath.linkage.engine import dedupe

    result = dedupe(records, threshold=threshold)
    pairs = []
    columns = result.pairs[["id_1", "id_2", "match_probability"]]
    for id_1, id_2, probability in columns.itertuples(index=False, name=None):
        evidence = result.explain(str(id_1), str(id_2))
        pairs.append(ScoredPair(str(id_1), str(id_2), float(probability), clean_evidence(evidence)))
    return pairs


def _small_register_pairs(records: Any, *, threshold: float) -> list[ScoredPair]:
    from safepath.linkage.records import tracing_compare

    rows = [{str(k): v for k, v in row.items()} for row in records.to_dict(orient="records")]
    pairs = []
    for index, left in enumerate(rows):
        for right in rows[index + 1 :]:
            probability, evidence = tracing_compare(left, right)
            if probability >= threshold:
                pairs.append(
                    ScoredPair(
                        str(left["record_id"]), str(right["record_id"]), probability, evidence
                    )
                )
    return pairs


# --- formal requests -------------------------------------------------------------------------
@transaction.atomic
def sharing_request_create(*, user: User, pair: CandidatePair, channel: str) -> MatchRequest:
    """Ask the agency holding the other record to share it through the child's consent."""
    access = linkage_policy.pair_access(user, pair)
    if access == PairAccess.NONE:
        raise NotFoundError(_("No such candidate pair."))
    if access == PairAccess.FULL:
        raise FieldValidationError({"pair": [_("You already see both records.")]})
    visible = linkage_policy.visible_cases(user)
    other_id = pair.case_2_id if visible.filter(pk=pair.case_1_id).exists() else pair.case_1_id
    holder = Case.objects.filter(pk=other_id).values_list("owner_agency_id", flat=True).get()
    existing = MatchRequest.objects.filter(
        pair=pair, requesting_agency=user.agency_id, status=RequestStatus.OPEN
    ).first()
    if existing is not None:
        return existing
    assert user.agency_id is not None  # noqa: S101 - the policy requires an agency
    request = MatchRequest.objects.create(
        kind=RequestKind.CROSS_AGENCY,
        pair=pair,
        requesting_agency_id=user.agency_id,
        holding_agency_id=holder,
        created_by=user,
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.CREATE,
        object_type="linkage.request",
        object_id=request.pk,
        details={"pair": str(pair.pk), "holding_agency": str(holder)},
    )
    return request


@transaction.atomic
def match_request_answer(
    *, user: User, request: MatchRequest, accept: bool, channel: str
) -> MatchRequest:
    """The holder answers. Accepting discloses nothing: the share follows through a consent."""
    if not linkage_policy.requests_user_may_see(user).filter(pk=request.pk).exists():
        raise NotFoundError(_("No such request."))
    if not linkage_policy.user_may_answer_request(user, request):
        raise PermissionDeniedError(_("Only the agency holding the record answers."))
    locked = MatchRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.OPEN:
        raise ConflictError(_("This request has already been answered."))
    locked.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    locked.answered_by, locked.answered_at = user, timezone.now()
    locked.save(update_fields=["status", "answered_by", "answered_at"])
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="linkage.request",
        object_id=locked.pk,
        details={"answer": locked.status},
    )
    return locked


def agency_by_code(code: str) -> Agency:
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise FieldValidationError({"agency": [_("No active agency has this code.")]})
    return agency
