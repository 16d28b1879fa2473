"""Fixtures for the referral tests: two agencies with staff, a case of A, a consent to refer it
to B, and B's service in the directory. Everything synthetic, made through the real services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import Channel
from safepath.cases.models import Case, Consent
from safepath.cases.services import consent_record
from safepath.cases.vocabulary import ConsentGiver, ConsentPurpose
from safepath.referrals.models import Service, ServiceProvider
from safepath.testing.factories import register_case


def views_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "views": "I want somewhere safe to sleep.",
        "informed_language": "sw",
        "interpreter_language": "",
        "informed_in_understandable_manner": True,
        "weight_given": "The referral follows the child's wish for a safe place.",
        "heard_on": timezone.localdate().isoformat(),
        **overrides,
    }


@pytest.fixture
def supervisor_b(make_user: Callable[..., User], agency_b: Agency) -> User:
    return make_user(Role.SUPERVISOR, agency_b, "supervisor.b")


@pytest.fixture
def case_a(caseworker_a: User) -> Case:
    return register_case(caseworker_a, forms_of_exploitation=["forced_labour"])


def give_consent(
    user: User, case: Case, agency: Agency, *, purpose: str = ConsentPurpose.REFERRAL, **extra: Any
) -> Consent:
    return consent_record(
        user=user,
        case=case,
        given_by=ConsentGiver.GUARDIAN,
        purpose=purpose,
        data_scope="identity and case facts",
        recipient_agency=agency,
        given_on=extra.pop("given_on", timezone.localdate()),
        expires_on=extra.pop("expires_on", None),
        channel=Channel.API,
        **extra,
    )


@pytest.fixture
def consent_a_to_b(caseworker_a: User, case_a: Case, agency_b: Agency) -> Consent:
    return give_consent(caseworker_a, case_a, agency_b)


@pytest.fixture
def service_b(agency_b: Agency) -> Service:
    provider = ServiceProvider.objects.create(
        name="Agency B shelter", agency=agency_b, country="KE"
    )
    return Service.objects.create(
        provider=provider,
        name="Emergency shelter, Nairobi",
        service_type="shelter.emergency",
        country="KE",
        admin_area="Nairobi",
        city="Nairobi",
        languages=["sw", "en"],
        age_min=6,
        age_max=17,
        capacity=12,
    )


def referral_payload(case: Case, agency: Agency, **overrides: Any) -> dict[str, Any]:
    return {
        "case": str(case.id),
        "receiving_agency": str(agency.id),
        "service_type": "shelter.emergency",
        "urgency": "high",
        "reason": "Needs a safe place tonight.",
        "child_views": views_payload(),
        **overrides,
    }
