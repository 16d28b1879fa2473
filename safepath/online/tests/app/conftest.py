"""Fixtures of the online app: a hotline, a platform, a police agency, their people, a bank of
hashes of harmless synthetic images, and a child-protection agency with a consented case."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.audit.models import Channel
from safepath.online import services
from safepath.online.engine import hashing
from safepath.online.models import HashBank, MatchScope, OnlineReport
from safepath.online.tests import images
from safepath.testing.factories import AgencyFactory

SMALL = {"min_side": 320, "max_side": 420}
KNOWN_SEEDS = (103, 114, 116)  # quality >= 80, half-size JPEG copies within 14 bits


@pytest.fixture
def hotline(db: None) -> Agency:
    return AgencyFactory(name="National Hotline", code="hotline", agency_type=AgencyType.HOTLINE)


@pytest.fixture
def other_hotline(db: None) -> Agency:
    return AgencyFactory(name="Other Hotline", code="hotline2", agency_type=AgencyType.HOTLINE)


@pytest.fixture
def platform(db: None) -> Agency:
    return AgencyFactory(
        name="Example Platform", code="platform", agency_type=AgencyType.ONLINE_PLATFORM
    )


@pytest.fixture
def analyst(make_user: Callable[..., User], hotline: Agency) -> User:
    return make_user(Role.HOTLINE_ANALYST, hotline, "hotline.analyst")


@pytest.fixture
def hotline_supervisor(make_user: Callable[..., User], hotline: Agency) -> User:
    return make_user(Role.HOTLINE_SUPERVISOR, hotline, "hotline.supervisor")


@pytest.fixture
def platform_analyst(make_user: Callable[..., User], platform: Agency) -> User:
    return make_user(Role.PLATFORM_ANALYST, platform, "platform.analyst")


def bank_text(seeds: tuple[int, ...] = KNOWN_SEEDS) -> bytes:
    """A ThreatExchange/HMA signal file: the PDQ and MD5 of each harmless image."""
    lines = ["# synthetic test bank: harmless generated images"]
    for seed in seeds:
        result = hashing.hash_bytes(images.png(seed, **SMALL))
        lines += [f"pdq {result.pdq}", f"md5 {result.md5}"]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def known_bank(hotline_supervisor: User) -> HashBank:
    services.bank_import(
        user=hotline_supervisor,
        bank=services.BankInput(
            name="test-known",
            title="Known test items",
            source="Synthetic images made by the test suite",
            licence="Test use only",
            match_scope=MatchScope.SECTOR,
        ),
        content=bank_text(),
        file_name="known.txt",
        channel=Channel.CLI,
    )
    return HashBank.objects.get(name="test-known")


def submit(**overrides: object) -> OnlineReport:
    values: dict[str, object] = {
        "kind": "image",
        "url": "https://example.org/gallery/1",
        "description": "A synthetic test report.",
    }
    values.update(overrides)
    report, _ = services.report_submit(
        data=services.ReportInput(**values),  # type: ignore[arg-type]
        address="127.0.0.1",
        channel=Channel.WEB,
    )
    return report


@pytest.fixture
def report(hotline: Agency) -> OnlineReport:
    return submit()


@pytest.fixture(autouse=True)
def _intake_to_the_test_hotline(settings: object) -> None:
    settings.ONLINE_INTAKE_AGENCY = "hotline"  # type: ignore[attr-defined]
