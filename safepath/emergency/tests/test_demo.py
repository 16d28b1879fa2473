"""The emergency app's demo data loads once, and again changes nothing."""

from __future__ import annotations

import pytest

from safepath.demo.accounts import ensure_demo_accounts
from safepath.emergency import demo
from safepath.emergency.models import CountryRisk, Emergency, Registration
from safepath.linkage.models import PublicTracingListing


@pytest.mark.django_db
def test_the_demo_loads_once() -> None:
    ensure_demo_accounts()
    first = demo.load_demo()
    assert first["registrations"] == 4
    assert first["risk_editions"] == 1
    assert first["emergencies"] == 1
    assert CountryRisk.objects.count() == 191
    assert Registration.objects.filter(emergency__name=demo.DEMO_NAME).count() == 4
    assert PublicTracingListing.objects.count() == 1
    again = demo.load_demo()
    assert again == {"risk_editions": 0, "registrations": 0, "emergencies": 0, "services_closed": 0}
    assert Emergency.objects.count() == 1
