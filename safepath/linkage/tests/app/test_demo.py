"""The demo loader proposes synthetic pairs once, with real field evidence."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.linkage.demo import load_demo
from safepath.linkage.models import CandidatePair
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_routes_pairs(
    make_user: Callable[..., User], agency_a: Agency, agency_b: Agency
) -> None:
    supervisor = make_user(Role.SUPERVISOR, agency_a, "supervisor.a")
    make_user(Role.CASEWORKER, agency_a, "caseworker.a")
    make_user(Role.CASEWORKER, agency_b, "caseworker.b")

    assert load_demo() == 3
    assert load_demo() == 0
    assert CandidatePair.objects.count() == 3
    rows = api_client_for(supervisor).get("/api/v1/linkage/pairs/").json()["results"]
    assert sorted(row["access"] for row in rows) == ["full", "full", "notice"]
    assert all(row["match_probability"] > 0.9 for row in rows)
    assert {e["field"] for e in CandidatePair.objects.first().evidence} >= {"given_name", "sex"}


def test_load_demo_waits_for_the_demo_accounts(db: None) -> None:
    assert load_demo() == 0
    assert not CandidatePair.objects.exists()
