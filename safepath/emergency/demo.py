"""Demo data of the emergency app, idempotent: INFORM Risk 2025 for the risk map, a declared
emergency (floods in Turkana) with a few synthetic rapid registrations, a child on the public
tracing list, and one demo service reported closed, so that the board, the service gaps, the
referral page and the map all have something to show."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Any

from django.utils import timezone

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.services import consent_record
from safepath.emergency import fieldform
from safepath.emergency.models import Emergency, Registration, RiskEdition
from safepath.emergency.services.emergencies import emergency_declare
from safepath.emergency.services.registration import registration_create
from safepath.emergency.services.risk import risk_import

INFORM = Path(__file__).with_name("data") / "inform_risk_2025_v070_countries.csv"
DEMO_NAME = "Turkana floods (demo)"
FLOODED = "Flooded: closed until the water goes down (demo)"
NAMESPACE = uuid.UUID("0e6f3f2a-6c35-4c4b-9b1e-1d0b7d1f3a10")
CHILDREN = (  # synthetic
    ("Akiru", "Ekai", "female", 8, "unaccompanied", "high", ["food_water", "shelter"]),
    ("Lokol", "Nakuwa", "male", 12, "separated", "medium", ["medical"]),
    ("Nakiru", "Lomuria", "female", 4, "unaccompanied", "high", ["shelter", "psychosocial"]),
    ("Ewoi", "Lokwang", "male", 15, "unaccompanied", "medium", ["protection"]),
)


def _values(
    given: str, family: str, sex: str, age: int, care: str, risk: str, needs: list[str]
) -> dict[str, Any]:
    today = timezone.localdate()
    raw = {
        "given_name": given,
        "family_name": family,
        "sex": sex,
        "age_estimate": age,
        "nationality": "KE",
        "languages": "tuv; sw",
        "care_status": care,
        "separation_place": "Lodwar, river crossing",
        "separation_date": (today - datetime.timedelta(days=1)).isoformat(),
        "separation_cause": "disaster",
        "family_last_location": "Kalokol",
        "urgent_needs": needs,
        "risk_level": risk,
        "registered_on": today.isoformat(),
        "area_country": "KE",
        "area_admin1": "Turkana",
        "site": "Lodwar evacuation centre",
        "photo_consent": "no",
    }
    values, problems = fieldform.clean_values(fieldform.definition(), raw, today=today)
    assert not problems  # noqa: S101 - the demo's own synthetic values
    return values


def load_demo() -> dict[str, int]:
    users = {
        u.username: u for u in User.objects.filter(username__in=["coordinator", "caseworker.a"])
    }
    if len(users) < 2:
        return {}
    loaded = {"risk_editions": 0, "registrations": 0, "emergencies": 0}
    if not RiskEdition.objects.exists() and INFORM.exists():
        loaded["risk_editions"] = len(risk_import(path=INFORM, channel=Channel.CLI))
    if not Emergency.objects.filter(name=DEMO_NAME).exists():
        emergency_declare(
            user=users["coordinator"],
            name=DEMO_NAME,
            hazard="flood",
            country="KE",
            admin_areas=["Turkana"],
            starts_on=timezone.localdate() - datetime.timedelta(days=2),
            ends_on=None,
            channel=Channel.CLI,
        )
        loaded["emergencies"] = 1
    worker = users["caseworker.a"]
    for given, family, *rest in CHILDREN:
        record_id = uuid.uuid5(NAMESPACE, f"{given} {family}")
        if Registration.objects.filter(record_id=record_id).exists():
            continue
        registration = registration_create(
            user=worker,
            record_id=record_id,
            values=_values(given, family, *rest),  # type: ignore[arg-type]
            channel=Channel.CLI,
        )
        loaded["registrations"] += 1
        if given == "Akiru" and worker.agency is not None:
            consent_record(
                user=worker,
                case=registration.case,
                given_by="child",
                purpose="tracing",
                data_scope="Identity and separation",
                recipient_agency=worker.agency,
                given_on=timezone.localdate(),
                expires_on=None,
                channel=Channel.CLI,
            )
            from safepath.linkage.services import tracing_listing_publish

            tracing_listing_publish(
                user=worker, case=registration.case, region="Turkana", channel=Channel.CLI
            )
    loaded["services_closed"] = _close_a_shelter(users["coordinator"])
    return loaded


def _close_a_shelter(coordinator: User) -> int:
    """One demo shelter reports itself closed by the floods (once)."""
    from safepath.referrals.models import Service, ServiceStatusReport
    from safepath.referrals.status import service_status_report

    if ServiceStatusReport.objects.filter(note=FLOODED).exists():
        return 0
    shelter = (
        Service.objects.filter(is_active=True, service_type__startswith="shelter", country="KE")
        .order_by("name")
        .first()
    )
    if shelter is None:
        return 0
    service_status_report(
        user=coordinator, service=shelter, status="closed", note=FLOODED, channel=Channel.CLI
    )
    return 1
