"""Shared steps of the notification tests: a person's preferences, a referral through the API."""

from __future__ import annotations

import datetime
from typing import Any

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.notify.services import PreferenceInput, preference_update
from safepath.referrals.models import Referral
from safepath.referrals.tests.conftest import give_consent, referral_payload
from safepath.testing.fixtures import api_client_for


def prefer(user: User, **changes: Any) -> None:
    values: dict[str, Any] = {
        "email_enabled": True,
        "sms_enabled": False,
        "phone": "",
        "frequency": "immediate",
        "quiet_start": None,
        "quiet_end": None,
        "time_zone": "UTC",
        **changes,
    }
    preference_update(user=user, data=PreferenceInput(**values), channel=Channel.API)


def refer(worker: User, case: Case, agency: Agency, *, urgency: str = "medium") -> Referral:
    consent = give_consent(worker, case, agency)
    payload = referral_payload(case, agency, urgency=urgency, consent=str(consent.id))
    response = api_client_for(worker).post("/api/v1/referrals/", payload, format="json")
    assert response.status_code == 201, response.json()
    return Referral.objects.get(pk=response.json()["id"])


def hours(n: float) -> datetime.timedelta:
    return datetime.timedelta(hours=n)
