"""The demo loader: a Kenyan directory and three referrals A -> B, the same after a second run."""

from __future__ import annotations

import pytest

from safepath.accounts.models import User
from safepath.demo.accounts import ensure_demo_accounts
from safepath.referrals.demo import load_demo
from safepath.referrals.models import Escalation, Referral, ReferralStatus, Service
from safepath.testing.factories import register_case

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent() -> None:
    ensure_demo_accounts()
    worker = User.objects.get(username="caseworker.a")
    for _ in range(3):
        register_case(worker)
    first = load_demo()
    assert first["referrals_created"] == 3
    assert first["services_created"] == 9
    second = load_demo()
    assert second["referrals_created"] == 0
    assert second["services_updated"] == 9
    assert Service.objects.count() == 9
    assert Referral.objects.count() == 3
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == [ReferralStatus.COMPLETED, ReferralStatus.PENDING, ReferralStatus.PENDING]
    assert Escalation.objects.filter(recipient=worker).count() == 1
