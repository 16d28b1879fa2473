"""Demo data of the referrals app: a small service directory for Kenya and a few referrals from
agency A to agency B (one answered with an outcome, one waiting, one overdue). Idempotent: the
directory is upserted, and referrals are made only when agency A has none to agency B yet."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.cases.services import ChildViewsInput, consent_record
from safepath.cases.vocabulary import ConsentGiver, ConsentPurpose, DataCategory
from safepath.referrals import services
from safepath.referrals.catalogue import HERE
from safepath.referrals.directory import read_rows, services_import
from safepath.referrals.models import Referral, Service

DEMO_FILE = HERE / "demo_services.yaml"


def _views() -> ChildViewsInput:
    return ChildViewsInput(
        views="Synthetic: the child agrees to the service and asked for a Swahili speaker.",
        informed_language="sw",
        informed_in_understandable_manner=True,
        weight_given="Synthetic: the choice of provider follows the child's wish.",
        heard_on=timezone.localdate(),
    )


def _refer(
    worker: User,
    case: Case,
    agency_b: Agency,
    service: Service,
    urgency: str,
    now: datetime.datetime,
) -> Referral:
    consent = consent_record(
        user=worker,
        case=case,
        given_by=ConsentGiver.GUARDIAN,
        purpose=ConsentPurpose.REFERRAL,
        data_scope="Identity and trafficking facts, for the service referred to",
        data_categories=[DataCategory.IDENTITY, DataCategory.CASE_FACTS],
        recipient_agency=agency_b,
        given_on=timezone.localdate(),
        expires_on=None,
        channel=Channel.CLI,
    )
    return services.referral_create(
        user=worker,
        case=case,
        data=services.ReferralInput(
            receiving_agency=agency_b,
            service=service,
            service_type=service.service_type,
            urgency=urgency,
            reason="Synthetic demo referral.",
            consent=consent,
            child_views=_views(),
        ),
        channel=Channel.CLI,
        now=now,
    )


@transaction.atomic
def load_demo() -> dict[str, Any]:
    result = services_import(read_rows(DEMO_FILE), source_name=DEMO_FILE.name)
    summary: dict[str, Any] = {
        "services_created": result.services_created,
        "services_updated": result.services_updated,
        "referrals_created": 0,
    }
    agency_a = Agency.objects.filter(code="agency-a").first()
    agency_b = Agency.objects.filter(code="agency-b").first()
    worker_a = User.objects.filter(username="caseworker.a").first()
    worker_b = User.objects.filter(username="caseworker.b").first()
    if not (agency_a and agency_b and worker_a and worker_b):
        return summary  # the demo accounts come first (safepath demo)
    if Referral.objects.filter(referring_agency=agency_a, receiving_agency=agency_b).exists():
        return summary
    cases = list(
        Case.objects.filter(
            owner_agency=agency_a, assignments__user=worker_a, assignments__ended_at__isnull=True
        ).order_by("created_at")[:3]
    )
    shelter = Service.objects.get(name="Safe House Nairobi (demo)")
    counselling = Service.objects.get(name="Counselling for children (demo)")
    now = timezone.now()
    plan = [
        (shelter, "high", now - datetime.timedelta(days=2), "completed"),
        (counselling, "medium", now - datetime.timedelta(hours=2), "pending"),
        (counselling, "high", now - datetime.timedelta(hours=30), "overdue"),
    ]
    for case, (service, urgency, made_at, state) in zip(cases, plan, strict=False):
        referral = _refer(worker_a, case, agency_b, service, urgency, made_at)
        if state == "completed":
            referral = services.referral_accept(
                user=worker_b,
                referral=referral,
                expected_version=1,
                channel=Channel.CLI,
                now=made_at + datetime.timedelta(hours=3),
            )
            services.referral_outcome_report(
                user=worker_b,
                referral=referral,
                expected_version=2,
                outcome="delivered",
                outcome_on=timezone.localdate(),
                note="Synthetic: placed the same day.",
                channel=Channel.CLI,
            )
        summary["referrals_created"] += 1
    services.referrals_escalate_overdue(now=now)
    return summary
