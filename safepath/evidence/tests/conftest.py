"""Fixtures of the evidence tests: a private analysis store, the CTDC sample, users per role."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.evidence.engine.ctdc import import_ctdc
from safepath.evidence.engine.store import AnalysisStore

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "ctdc_vp_sample.csv"


@pytest.fixture
def store(tmp_path: Path, settings: pytest.FixtureRequest) -> AnalysisStore:
    """An empty analysis store of this test only (services and CLI use it too)."""
    path = tmp_path / "analysis.duckdb"
    settings.EVIDENCE_STORE_PATH = str(path)  # type: ignore[attr-defined]
    return AnalysisStore(path)


@pytest.fixture
def vp_store(store: AnalysisStore) -> AnalysisStore:
    """The store with the CTDC victim-perpetrator sample loaded as source ``vp``."""
    import_ctdc(store, SAMPLE, "vp")
    return store


@pytest.fixture
def coordinator(make_user: Callable[..., User], coordination: Agency) -> User:
    return make_user(Role.COORDINATOR, coordination, "coordinator")


@pytest.fixture
def analyst(make_user: Callable[..., User], coordination: Agency) -> User:
    return make_user(Role.ANALYST, coordination, "analyst")


@pytest.fixture
def dpo(make_user: Callable[..., User], coordination: Agency) -> User:
    return make_user(Role.DATA_PROTECTION_OFFICER, coordination, "dpo")
