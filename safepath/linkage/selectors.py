"""Reads of linkage data. Each applies the caller's scope; each read of a pair, a person or a
tracing request is audited (a list page counts as a read of every row shown)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record, audit_record_many
from safepath.cases.models import Case
from safepath.core.exceptions import NotFoundError
from safepath.linkage.models import (
    CandidatePair,
    ExportedRecord,
    MatchRequest,
    PairStatus,
    Person,
    PersonChange,
    PersonMember,
    TracingCandidate,
    TracingRequest,
)
from safepath.linkage.policies import LinkageAction, PairAccess, linkage_policy


def _audit_reads(user: User, object_type: str, ids: Sequence[object], channel: str) -> None:
    audit_record_many(
        actor=Actor.of(user, channel), action=Action.READ, object_type=object_type, object_ids=ids
    )


def _get(queryset: QuerySet[Any], object_id: object, message: str) -> Any:
    """The row among ``queryset``; any other id is 'not found', whether or not it exists."""
    try:
        return queryset.get(pk=object_id)
    except (queryset.model.DoesNotExist, ValueError):
        raise NotFoundError(message) from None


# --- pairs -----------------------------------------------------------------------------------
def pair_queue(*, user: User, status: str = PairStatus.PENDING) -> QuerySet[CandidatePair]:
    """Pairs in sight, most probable first, with what a row shows in the same query."""
    return (
        linkage_policy.pairs_user_may_see(user)
        .filter(status=status)
        .select_related(
            "case_1__child", "case_2__child", "case_1__owner_agency", "case_2__owner_agency"
        )
        .order_by("-match_probability", "id")
    )


def audit_pair_reads(*, user: User, pairs: Sequence[CandidatePair], channel: str) -> None:
    _audit_reads(user, "linkage.pair", [pair.pk for pair in pairs], channel)


@dataclass(frozen=True)
class PairView:
    pair: CandidatePair
    access: PairAccess
    seen_case: Case | None  # for a notice: the one case the reader holds
    other_agency_name: str  # for a notice: who holds the other record

    @property
    def full(self) -> bool:
        return self.access == PairAccess.FULL


def pair_get(*, user: User, pair_id: uuid.UUID | str, channel: str) -> PairView:
    """One pair in sight, audited; full for a reader of both cases, a notice otherwise."""
    queryset = linkage_policy.pairs_user_may_see(user).select_related(
        "case_1__child", "case_2__child", "case_1__owner_agency", "case_2__owner_agency"
    )
    found: CandidatePair = _get(queryset, pair_id, _("No such candidate pair."))
    access = linkage_policy.pair_access(user, found)
    seen_case = None
    other_agency = ""
    if access == PairAccess.NOTICE:
        visible = linkage_policy.visible_cases(user)
        first_seen = visible.filter(pk=found.case_1_id).exists()
        seen_case = found.case_1 if first_seen else found.case_2
        other = found.case_2 if first_seen else found.case_1
        other_agency = other.owner_agency.name
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="linkage.pair",
        object_id=found.pk,
        details={"access": access.value},
    )
    return PairView(found, access, seen_case, other_agency)


# --- persons ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberView:
    child_id: uuid.UUID
    case: Case | None  # None: held by an agency the reader cannot see
    agency_name: str


@dataclass(frozen=True)
class PersonView:
    person: Person
    members: list[MemberView]
    changes: list[PersonChange]
    sees_all: bool


def person_get(*, user: User, person_id: uuid.UUID | str, channel: str) -> PersonView:
    """A person with their records and history; in sight when one of its cases is."""
    if not linkage_policy.user_has_permission(user, LinkageAction.REVIEW):
        raise NotFoundError(_("No such person."))
    person: Person = _get(Person.objects.all(), person_id, _("No such person."))
    child_ids = list(PersonMember.objects.filter(person=person).values_list("child_id", flat=True))
    cases = list(
        Case.objects.filter(child_id__in=child_ids).select_related("child", "owner_agency")
    )
    visible = set(
        linkage_policy.visible_cases(user)
        .filter(pk__in=[case.pk for case in cases])
        .values_list("pk", flat=True)
    )
    if not visible:
        raise NotFoundError(_("No such person."))
    members = [
        MemberView(case.child_id, case if case.pk in visible else None, case.owner_agency.name)
        for case in sorted(cases, key=lambda c: (c.created_at, str(c.pk)))
    ]
    changes = list(
        PersonChange.objects.filter(person_id__in=_lineage(person))
        .select_related("actor", "reverts")
        .prefetch_related("reverted_by")
        .order_by("-at")
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="linkage.person",
        object_id=person.pk,
    )
    return PersonView(person, members, changes, sees_all=len(visible) == len(cases))


def _lineage(person: Person) -> list[uuid.UUID]:
    """The person and every person once merged into it (its history is theirs too)."""
    ids = [person.pk]
    frontier = [person.pk]
    while frontier:
        frontier = list(
            Person.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


def person_of_case(*, case: Case) -> Person | None:
    member = PersonMember.objects.select_related("person").filter(child_id=case.child_id).first()
    return member.person if member else None


def possible_duplicates_visible(*, user: User, case: Case) -> list[Case]:
    """The other cases of the pending pairs that include ``case``, among those ``user`` may
    open and whose identity they may read (``linkage_policy.visible_cases``); any other is left
    out entirely: not its reference, its agency, nor that it exists. A pair says two children
    look alike, so nothing is listed on a case whose identity the reader may not read."""
    visible = linkage_policy.visible_cases(user)
    if not visible.filter(pk=case.pk).exists():
        return []
    pairs = CandidatePair.objects.filter(
        Q(case_1=case) | Q(case_2=case), status=PairStatus.PENDING
    ).values_list("case_1_id", "case_2_id")
    others = {first if second == case.pk else second for first, second in pairs}
    if not others:
        return []
    return list(visible.filter(pk__in=others).order_by("reference"))


def change_get(*, user: User, change_id: uuid.UUID | str) -> PersonChange:
    if not linkage_policy.user_has_permission(user, LinkageAction.REVIEW):
        raise NotFoundError(_("No such change."))
    found: PersonChange = _get(
        PersonChange.objects.select_related("person"), change_id, _("No such change.")
    )
    return found


# --- requests --------------------------------------------------------------------------------
def match_request_list(*, user: User) -> QuerySet[MatchRequest]:
    return (
        linkage_policy.requests_user_may_see(user)
        .select_related("requesting_agency", "holding_agency")
        .order_by("-created_at", "id")
    )


def open_requests_with_cases(*, user: User, limit: int = 20) -> list[MatchRequest]:
    """Open requests; a cross-border one carries ``local_case`` when the reader sees that case."""
    rows = list(match_request_list(user=user).filter(status="open")[:limit])
    local_ids = [row.local_record_id for row in rows if row.local_record_id]
    visible = linkage_policy.visible_cases(user)
    cases = {
        record.record_id: record.case
        for record in ExportedRecord.objects.filter(
            record_id__in=local_ids, case__in=visible
        ).select_related("case")
    }
    for row in rows:
        row.local_case = cases.get(row.local_record_id)  # type: ignore[attr-defined]
    return rows


def match_request_get(*, user: User, request_id: uuid.UUID | str) -> MatchRequest:
    found: MatchRequest = _get(match_request_list(user=user), request_id, _("No such request."))
    return found


# --- tracing ---------------------------------------------------------------------------------
def tracing_request_list(*, user: User) -> QuerySet[TracingRequest]:
    return linkage_policy.tracing_requests_user_may_see(user).order_by("-created_at", "id")


def audit_tracing_reads(*, user: User, requests: Sequence[TracingRequest], channel: str) -> None:
    _audit_reads(user, "linkage.tracing_request", [r.pk for r in requests], channel)


def tracing_request_get(*, user: User, request_id: uuid.UUID | str, channel: str) -> TracingRequest:
    found: TracingRequest = _get(
        tracing_request_list(user=user), request_id, _("No such tracing request.")
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="linkage.tracing_request",
        object_id=found.pk,
    )
    return found


def tracing_candidates(*, request: TracingRequest) -> QuerySet[TracingCandidate]:
    """Candidates of a request already in sight; rows show case reference and agency only."""
    return request.candidates.select_related("case__owner_agency").order_by(
        "-match_probability", "id"
    )


def tracing_candidate_get(*, user: User, candidate_id: uuid.UUID | str) -> TracingCandidate:
    visible = TracingCandidate.objects.filter(
        request__in=linkage_policy.tracing_requests_user_may_see(user)
    ).select_related("request")
    found: TracingCandidate = _get(visible, candidate_id, _("No such tracing candidate."))
    return found


# --- explanations ----------------------------------------------------------------------------
FIELD_LABELS = {
    "given_name": _lazy("Given name"),
    "family_name": _lazy("Family name"),
    "other_names": _lazy("Other names"),
    "sex": _lazy("Sex"),
    "date_of_birth": _lazy("Date or year of birth"),
    "birth_year_estimate": _lazy("Year of birth"),
    "place_of_birth": _lazy("Place of birth"),
    "nationality": _lazy("Nationality"),
    "mother_given_name": _lazy("Mother's given name"),
    "father_given_name": _lazy("Father's given name"),
    "location": _lazy("Location"),
    "identifier": _lazy("Identity document number"),
}
# The levels of the fixed-weight comparison (records.py); the engine's own levels are shown as
# the engine names them.
LEVEL_LABELS = {
    "exact": _lazy("exact match"),
    "variant": _lazy("same name in another spelling or script"),
    "different": _lazy("different"),
    "same": _lazy("same"),
    "same date": _lazy("same date"),
    "same year": _lazy("same year"),
    "within 1 year": _lazy("within one year"),
    "within 2 years": _lazy("within two years"),
    "more than 2 years apart": _lazy("more than two years apart"),
}
CHART_HALF_WIDTH = 90  # pixels either side of the zero line (the chart is 320 wide)
CHART_MAX_LOG2 = 12.0  # a bar this long (4096 times) or longer fills its half


@dataclass(frozen=True)
class EvidenceRow:
    """One field's weight, in words and as a bar of the chart (geometry computed here)."""

    field: str
    label: str
    level: str
    bayes_factor: float
    log2_bayes_factor: float
    sentence: str
    bar_x: int
    bar_width: int
    supports: bool
    neutral: bool
    y: int


def evidence_rows(evidence: Sequence[dict[str, Any]]) -> list[EvidenceRow]:
    rows = []
    for index, item in enumerate(evidence):
        field = str(item["field"])
        label = str(FIELD_LABELS.get(field, field.replace("_", " ").capitalize()))
        factor = float(item["bayes_factor"])
        weight = float(item["log2_bayes_factor"])
        neutral = abs(weight) < 1e-9
        level = str(item["level"])
        level_label = str(LEVEL_LABELS.get(level, level))
        if neutral:
            sentence = _("%(field)s: no evidence either way (%(level)s).") % {
                "field": label,
                "level": level_label,
            }
        elif weight > 0:
            sentence = _("%(field)s (%(level)s) makes a match %(times)s times more likely.") % {
                "field": label,
                "level": level_label,
                "times": f"{factor:,.1f}",
            }
        else:
            sentence = _("%(field)s (%(level)s) makes a match %(times)s times less likely.") % {
                "field": label,
                "level": level_label,
                "times": f"{1 / factor:,.1f}" if factor > 0 else "∞",
            }
        width = round(min(abs(weight), CHART_MAX_LOG2) / CHART_MAX_LOG2 * CHART_HALF_WIDTH)
        width = max(width, 0 if neutral else 2)
        x = CHART_HALF_WIDTH if weight >= 0 else CHART_HALF_WIDTH - width
        rows.append(
            EvidenceRow(
                field,
                label,
                level,
                factor,
                weight,
                sentence,
                x,
                width,
                weight > 0,
                neutral,
                8 + index * 28,
            )
        )
    return rows


def chart_height(rows: Sequence[EvidenceRow]) -> int:
    return 12 + 30 * len(rows)
