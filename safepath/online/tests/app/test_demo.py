"""The demo data loads once, through the real services, and has what the pages show."""

from __future__ import annotations

import pytest

from safepath.demo.accounts import ensure_demo_accounts
from safepath.online import demo
from safepath.online.models import (
    Advert,
    CaseLink,
    HashBank,
    Notice,
    NoticeEscalation,
    OnlineReport,
)


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_loads_once() -> None:
    ensure_demo_accounts()
    first = demo.load_demo()
    assert first.created
    assert HashBank.objects.get(name=demo.DEMO_BANK).signals.count() == 2 * len(demo.DEMO_SEEDS)
    assert OnlineReport.objects.count() == len(demo.REPORTS)
    assert Notice.objects.filter(status="removed").count() == 3
    assert NoticeEscalation.objects.exists()
    assert OnlineReport.objects.filter(hash_matched=True).count() >= 3
    assert Advert.objects.filter(score__gt=0).count() >= 4
    assert CaseLink.objects.get().agency.code == "agency-a"
    again = demo.load_demo()
    assert not again.created
    assert OnlineReport.objects.count() == len(demo.REPORTS)
