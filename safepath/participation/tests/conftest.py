"""Fixtures of the participation tests: an NGO with a facilitator and a supervisor, the national
coordination with its coordinator and data-protection officer, a service of the NGO in the
directory, and consultations made through the real services. All synthetic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.audit.models import Channel
from safepath.participation.models import CaregiverConsent, Consultation, Participant
from safepath.participation.services.consultations import consultation_create
from safepath.participation.services.participants import participant_submit
from safepath.referrals.models import Service, ServiceProvider
from safepath.testing.factories import AgencyFactory


@pytest.fixture
def ngo(db: None) -> Agency:
    """An NGO in France: a child of 15 or more agrees alone there (consent_rules.json)."""
    return AgencyFactory(
        name="Children's NGO", code="ngo", agency_type=AgencyType.NGO, country="FR"
    )


@pytest.fixture
def other_ngo(db: None) -> Agency:
    return AgencyFactory(name="Other NGO", code="other", agency_type=AgencyType.NGO, country="FR")


@pytest.fixture
def facilitator(make_user: Callable[..., User], ngo: Agency) -> User:
    return make_user(Role.FACILITATOR, ngo, "facilitator")


@pytest.fixture
def supervisor(make_user: Callable[..., User], ngo: Agency) -> User:
    return make_user(Role.SUPERVISOR, ngo, "supervisor.ngo")


@pytest.fixture
def worker(make_user: Callable[..., User], ngo: Agency) -> User:
    return make_user(Role.CASEWORKER, ngo, "worker.ngo")


@pytest.fixture
def coordinator(make_user: Callable[..., User], coordination: Agency) -> User:
    return make_user(Role.COORDINATOR, coordination, "coordinator")


@pytest.fixture
def dpo(make_user: Callable[..., User], coordination: Agency) -> User:
    return make_user(Role.DATA_PROTECTION_OFFICER, coordination, "dpo")


@pytest.fixture
def service(ngo: Agency) -> Service:
    provider = ServiceProvider.objects.create(name="The NGO", agency=ngo, country="FR")
    return Service.objects.create(
        provider=provider,
        name="Drop-in centre",
        service_type="shelter.emergency",
        country="FR",
        city="Lyon",
    )


@pytest.fixture
def consultation(facilitator: User) -> Consultation:
    return consultation_create(
        actor=facilitator, instrument_id="services-experience", title="Test run"
    )


@pytest.fixture
def young_consultation(facilitator: User) -> Consultation:
    return consultation_create(actor=facilitator, instrument_id="feeling-safe-young")


def submit(
    facilitator: User,
    consultation: Consultation,
    answers: dict[str, Any],
    *,
    band: str = "16-17",
    **extra: Any,
) -> Participant:
    """One child's answers through the facilitator's entry (paper channel)."""
    return participant_submit(
        actor=facilitator,
        consultation_id=consultation.id,
        age_band=band,
        language=extra.pop("language", "en"),
        assent=extra.pop("assent", True),
        caregiver_consent=extra.pop("caregiver_consent", CaregiverConsent.FACILITATOR_CONFIRMED),
        answers=answers,
        channel=Channel.API,
    )
