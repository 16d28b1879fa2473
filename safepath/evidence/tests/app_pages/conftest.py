"""Fixtures of the dashboard and extract tests: a private analysis store, cases in two agencies."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.cases.models import Case
from safepath.testing.factories import register_case


@pytest.fixture(autouse=True)
def _private_store(tmp_path: Path, settings: object) -> Path:
    """Each test gets its own DuckDB file, so tests never see each other's extracts."""
    path = tmp_path / "analysis.duckdb"
    settings.EVIDENCE_STORE_PATH = path  # type: ignore[attr-defined]
    return path


@pytest.fixture
def coordinator(make_user: Callable[..., User], coordination: Agency) -> User:
    return make_user(Role.COORDINATOR, coordination, "coordinator")


@pytest.fixture
def analyst(make_user: Callable[..., User], coordination: Agency) -> User:
    return make_user(Role.ANALYST, coordination, "analyst")


@pytest.fixture
def dpo(make_user: Callable[..., User], coordination: Agency) -> User:
    return make_user(Role.DATA_PROTECTION_OFFICER, coordination, "dpo")


@pytest.fixture
def many_cases(caseworker_a: User) -> list[Case]:
    """Enough girls identified in 2024 to publish; a few boys that must stay suppressed."""
    cases = [
        register_case(
            caseworker_a,
            given_name=f"Zawadi{index}",
            sex="female",
            date_of_birth=datetime.date(2010, 1, 1),
            identified_on=datetime.date(2024, 3, 1),
            forms_of_exploitation=["forced_labour"],
        )
        for index in range(14)
    ]
    cases += [
        register_case(
            caseworker_a,
            given_name=f"Baraka{index}",
            sex="male",
            date_of_birth=datetime.date(2009, 6, 1),
            identified_on=datetime.date(2025, 2, 1),
            forms_of_exploitation=["forced_labour"],
        )
        for index in range(3)
    ]
    return cases
