"""The coordinator's live board for an emergency, and the service-gap table by area.

Counts only, never a child: registrations, unaccompanied children without interim care, tracing
progress and overdue steps (deadlines from ``deadlines.json``: the emergency profile for
registrations tagged with a declared emergency). A coordinator sees the whole emergency; a
supervisor sees their own agency's registrations in it.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.cases.models import CaseAssignment, Consent, consent_in_force
from safepath.cases.vocabulary import CareArrangement, ConsentPurpose, Placement
from safepath.emergency.deadlines import STEPS, deadlines
from safepath.emergency.models import Emergency, Registration
from safepath.emergency.services.emergencies import area_key
from safepath.linkage.models import CandidateStatus, PublicTracingListing, TracingCandidate
from safepath.referrals.models import OperatingStatus, Service

# A child's urgent need, and the service type (top of the taxonomy) that answers it.
NEED_SERVICE = {
    "medical": "health",
    "food_water": "social_protection",
    "shelter": "shelter",
    "protection": "care",
    "psychosocial": "health",
}
NO_INTERIM_CARE = frozenset({Placement.NONE, Placement.DETENTION})
TRACING_STAGES = ("registered", "consent", "listed", "matched", "verified", "reunified", "closed")


@dataclass
class AreaRow:
    area: str
    registrations: int = 0
    unaccompanied_without_care: int = 0
    overdue: int = 0


@dataclass
class Board:
    emergency: Emergency
    registrations: int = 0
    last_day: int = 0
    unaccompanied: int = 0
    separated: int = 0
    unaccompanied_without_care: int = 0
    high_risk: int = 0
    tracing: dict[str, int] = field(default_factory=dict)
    overdue: dict[str, int] = field(default_factory=dict)
    areas: list[AreaRow] = field(default_factory=list)


def board_registrations(*, user: User, emergency: Emergency) -> QuerySet[Registration]:
    registrations = Registration.objects.filter(emergency=emergency)
    if user.role != Role.COORDINATOR:
        registrations = registrations.filter(case__owner_agency=user.agency_id)
    return registrations


def _stage(stages: set[str]) -> str:
    for stage in reversed(TRACING_STAGES):
        if stage in stages:
            return stage
    return "registered"


def emergency_board(
    *, user: User, emergency: Emergency, now: datetime.datetime | None = None
) -> Board:
    now = now or timezone.now()
    registrations = list(
        board_registrations(user=user, emergency=emergency)
        .select_related("case", "case__child")
        .prefetch_related(
            Prefetch(
                "case__assignments",
                queryset=CaseAssignment.objects.filter(ended_at__isnull=True).select_related(
                    "user"
                ),
                to_attr="open_assignments",
            )
        )
    )
    case_ids = [r.case_id for r in registrations]
    consented = set(
        Consent.objects.filter(
            consent_in_force(), case_id__in=case_ids, purpose=ConsentPurpose.TRACING
        ).values_list("case_id", flat=True)
    )
    listed = set(
        PublicTracingListing.objects.filter(
            case_id__in=case_ids, withdrawn_at__isnull=True
        ).values_list("case_id", flat=True)
    )
    candidates: dict[object, list[TracingCandidate]] = defaultdict(list)
    for candidate in TracingCandidate.objects.filter(case_id__in=case_ids).prefetch_related(
        "follow_ups"
    ):
        candidates[candidate.case_id].append(candidate)
    board = Board(emergency=emergency, registrations=len(registrations))
    tracing: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    areas: dict[str, AreaRow] = {}
    for registration in registrations:
        case = registration.case
        care = case.child.care_arrangement
        profile = "emergency" if registration.emergency_id else "normal"
        risk = registration.risk_level or "medium"
        board.last_day += int(now - registration.created_at <= datetime.timedelta(days=1))
        board.unaccompanied += int(care == CareArrangement.UNACCOMPANIED)
        board.separated += int(care == CareArrangement.SEPARATED)
        board.high_risk += int(risk == "high")
        no_care = care == CareArrangement.UNACCOMPANIED and case.placement in NO_INTERIM_CARE
        board.unaccompanied_without_care += int(no_care)
        stages = {"registered"}
        if case.id in consented:
            stages.add("consent")
        if case.id in listed:
            stages.add("listed")
        mine = candidates.get(case.id, [])
        statuses = {c.status for c in mine}
        if statuses - {CandidateStatus.RULED_OUT}:
            stages.add("matched")
        if statuses & {CandidateStatus.VERIFIED, CandidateStatus.REUNIFICATION}:
            stages.add("verified")
        if CandidateStatus.REUNIFIED in statuses:
            stages.add("reunified")
        if CandidateStatus.CLOSED in statuses:
            stages.add("closed")
        tracing[_stage(stages)] += 1
        late = _late_steps(registration, no_care, case.id in consented, mine, profile, risk, now)
        overdue.update(late)
        row = areas.setdefault(
            area_key(registration.area_admin1), AreaRow(area=registration.area_admin1)
        )
        row.registrations += 1
        row.unaccompanied_without_care += int(no_care)
        row.overdue += len(late)
    board.tracing = {stage: tracing.get(stage, 0) for stage in TRACING_STAGES}
    board.overdue = {step: overdue.get(step, 0) for step in STEPS}
    board.areas = sorted(areas.values(), key=lambda r: (-r.registrations, r.area))
    return board


def _late_steps(
    registration: Registration,
    no_care: bool,
    consented: bool,
    candidates: list[TracingCandidate],
    profile: str,
    risk: str,
    now: datetime.datetime,
) -> list[str]:
    """The steps past their deadline for one registration."""
    rules = deadlines()
    start = registration.created_at
    late = []
    assigned = any(
        a.user.role == Role.CASEWORKER for a in getattr(registration.case, "open_assignments", [])
    )
    if not assigned and rules.overdue(
        profile=profile, step="assign", risk=risk, start=start, now=now
    ):
        late.append("assign")
    if no_care and rules.overdue(
        profile=profile, step="interim_care", risk=risk, start=start, now=now
    ):
        late.append("interim_care")
    if not consented and rules.overdue(
        profile=profile, step="tracing", risk=risk, start=start, now=now
    ):
        late.append("tracing")
    for candidate in candidates:
        if candidate.status != CandidateStatus.REUNIFIED or candidate.reunified_on is None:
            continue
        reunified = datetime.datetime.combine(
            candidate.reunified_on, datetime.time(), tzinfo=datetime.UTC
        )
        visits = list(candidate.follow_ups.all())
        if not visits and rules.overdue(
            profile=profile, step="follow_up", risk=risk, start=reunified, now=now
        ):
            late.append("follow_up")
    return late


# --- service gaps ---------------------------------------------------------------------------
@dataclass
class GapRow:
    area: str
    service_type: str
    open: int = 0
    reduced: int = 0
    moved: int = 0
    closed: int = 0
    children_in_need: int = 0

    @property
    def running(self) -> int:
        return self.open + self.reduced + self.moved

    @property
    def gap(self) -> bool:
        return self.children_in_need > 0 and self.running == 0


def service_gaps(*, user: User, emergency: Emergency) -> list[GapRow]:
    """Per region and service type: services running, closed, and the children registered in
    the emergency whose urgent needs that type answers. A gap: children in need, none running."""
    rows: dict[tuple[str, str], GapRow] = {}
    keys = {area_key(a): a for a in emergency.admin_areas}
    services = Service.objects.filter(is_active=True, country=emergency.country)
    for service in services.only("admin_area", "service_type", "operating_status"):
        key = area_key(service.admin_area)
        if keys and key not in keys:
            continue
        top = service.service_type.split(".")[0]
        row = rows.setdefault((key, top), GapRow(area=service.admin_area, service_type=top))
        status = service.operating_status
        if status == OperatingStatus.OPEN:
            row.open += 1
        elif status == OperatingStatus.REDUCED:
            row.reduced += 1
        elif status == OperatingStatus.MOVED:
            row.moved += 1
        else:
            row.closed += 1
    needs = board_registrations(user=user, emergency=emergency).values_list(
        "area_admin1", "urgent_needs"
    )
    for area, urgent in needs:
        key = area_key(area)
        for top in {NEED_SERVICE[n] for n in urgent or [] if n in NEED_SERVICE}:
            row = rows.setdefault((key, top), GapRow(area=area, service_type=top))
            row.children_in_need += 1
    return sorted(rows.values(), key=lambda r: (not r.gap, r.area.casefold(), r.service_type))
