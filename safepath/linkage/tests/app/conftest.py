"""Fixtures for the linkage app's tests: two agencies' cases and candidate pairs among them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, Consent
from safepath.cases.vocabulary import ConsentPurpose
from safepath.linkage.models import CandidatePair, MatchRun, RunScope
from safepath.linkage.services import ScoredPair, candidate_pairs_store
from safepath.testing.factories import register_case

EVIDENCE = [
    {"field": "given_name", "level": "exact match", "bayes_factor": 64.0, "log2_bayes_factor": 6.0},
    {"field": "date_of_birth", "level": "same year", "bayes_factor": 8.0, "log2_bayes_factor": 3.0},
    {"field": "sex", "level": "different", "bayes_factor": 0.25, "log2_bayes_factor": -2.0},
]


@pytest.fixture
def supervisor_b(make_user: Callable[..., User], agency_b: Agency) -> User:
    return make_user(Role.SUPERVISOR, agency_b, "supervisor.b")


@pytest.fixture
def make_pair() -> Callable[..., CandidatePair]:
    def make(case_1: Case, case_2: Case, probability: float = 0.97) -> CandidatePair:
        run = MatchRun.objects.create(scope=RunScope.NATIONAL, threshold=0.9)
        stored = candidate_pairs_store(
            run=run, pairs=[ScoredPair(str(case_1.id), str(case_2.id), probability, EVIDENCE)]
        )
        assert stored == 1
        return CandidatePair.objects.get(run=run)

    return make


@pytest.fixture
def cases_a(caseworker_a: User) -> tuple[Case, Case]:
    """Two cases of agency A that may be one child (names in two scripts)."""
    first = register_case(caseworker_a, given_name="Amina", family_name="Yusuf")
    second = register_case(caseworker_a, given_name="أمينة", family_name="يوسف")
    return first, second


@pytest.fixture
def case_b(caseworker_b: User) -> Case:
    return register_case(caseworker_b, given_name="Amina", family_name="Yusuf")


def give_consent(
    case: Case, purpose: str, *, recipient: Agency | None = None, **extra: Any
) -> Consent:
    return Consent.objects.create(
        case=case,
        given_by="child",
        purpose=purpose,
        data_scope="identity",
        recipient_agency=recipient or case.owner_agency,
        given_on=extra.pop("given_on", timezone.localdate()),
        recorded_by=case.created_by,
        **extra,
    )


def expired(case: Case, purpose: str) -> Consent:
    today = timezone.localdate()
    return give_consent(
        case,
        purpose,
        given_on=today - datetime.timedelta(days=30),
        expires_on=today - datetime.timedelta(days=1),
    )


def withdrawn(case: Case, purpose: str) -> Consent:
    return give_consent(case, purpose, withdrawn_at=timezone.now())


def last_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=since).order_by("seq"))


def audit_head() -> int:
    head = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    return int(head or 0)


TRACING = ConsentPurpose.TRACING
MATCHING = ConsentPurpose.MATCHING
