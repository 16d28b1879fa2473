"""The evidence demo loader: both sources, and the same store however often it runs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from safepath.accounts.models import User
from safepath.evidence.demo import CTDC_DEMO_ROWS, CTDC_DEMO_SOURCE, load_demo, write_ctdc_demo_file
from safepath.evidence.selectors import analysis_store
from safepath.testing.factories import register_case

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent(caseworker_a: User) -> None:
    for _ in range(4):
        register_case(caseworker_a)
    first = load_demo()
    second = load_demo()
    assert first == second == {"cases": 4, CTDC_DEMO_SOURCE: CTDC_DEMO_ROWS}
    sources = {info.name: info.rows for info in analysis_store().sources()}
    assert sources == {"cases": 4, CTDC_DEMO_SOURCE: CTDC_DEMO_ROWS}


def test_the_ctdc_style_file_is_synthetic_and_repeatable(tmp_path: Path) -> None:
    one = write_ctdc_demo_file(tmp_path / "one.csv").read_bytes()
    two = write_ctdc_demo_file(tmp_path / "two.csv").read_bytes()
    assert one == two
    with (tmp_path / "one.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == CTDC_DEMO_ROWS
    assert {row["majorityStatus"] for row in rows} <= {"Adult", "Minor", ""}
