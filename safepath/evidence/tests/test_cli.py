"""``safepath evidence``: import, sources, table in every format, export, bad input -> code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from safepath.evidence.engine.store import AnalysisStore
from safepath.evidence.models import BudgetSpend, PrivacyBudget
from safepath.evidence.tests.conftest import SAMPLE
from safepath.testing.fixtures import call_cli

pytestmark = pytest.mark.django_db


def _fails(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_cli("evidence", *args)
    assert caught.value.returncode == 2
    return str(caught.value)


def test_import_then_sources(store: AnalysisStore) -> None:
    code, out, _ = call_cli(
        "evidence", "import-ctdc", str(SAMPLE), "--name", "vp", "--format", "json"
    )
    assert code == 0
    assert json.loads(out)["rows"] == 505
    code, out, _ = call_cli("evidence", "sources", "--format", "json")
    assert [s["name"] for s in json.loads(out)] == ["vp"]


def test_import_with_a_bad_value_stores_nothing(store: AnalysisStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        SAMPLE.read_text(encoding="utf-8").replace(",Adult,", ",Grown,", 1), encoding="utf-8"
    )
    message = _fails("import-ctdc", str(bad), "--name", "vp")
    assert (
        "field majorityStatus: value 'Grown' is not allowed; allowed values: Adult, Minor, or blank"
        in message
    )
    assert store.sources() == []


def test_table_json_is_cells_plus_metadata(vp_store: AnalysisStore) -> None:
    code, out, _ = call_cli(
        "evidence",
        "table",
        "--source",
        "vp",
        "--by",
        "gender,majorityStatus",
        "--where",
        "UN_COE_Region=Europe|Asia",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["metadata"]["k"] == 11
    assert data["metadata"]["where"] == {"UN_COE_Region": ["Europe", "Asia"]}
    assert set(data["cells"][0]) == {"gender", "majorityStatus", "count", "suppressed"}


def test_table_csv_and_xlsx(vp_store: AnalysisStore, tmp_path: Path) -> None:
    code, out, _ = call_cli(
        "evidence", "table", "--source", "vp", "--by", "gender", "--format", "csv"
    )
    assert out.splitlines()[0] == "gender,count,suppressed"
    target = tmp_path / "t.xlsx"
    code, _, _ = call_cli(
        "evidence",
        "table",
        "--source",
        "vp",
        "--by",
        "gender",
        "--format",
        "xlsx",
        "--out",
        str(target),
    )
    assert code == 0
    assert target.read_bytes()[:2] == b"PK"
    assert "needs --out" in _fails("table", "--source", "vp", "--by", "gender", "--format", "xlsx")


def test_bad_table_input_exits_2_and_spends_nothing(vp_store: AnalysisStore) -> None:
    assert "Unknown dimension 'sex'; allowed dimensions: yearRegister, gender" in _fails(
        "table", "--source", "vp", "--by", "sex"
    )
    assert "epsilon must be a number greater than 0" in _fails(
        "table", "--source", "vp", "--by", "gender", "--epsilon", "-1"
    )
    assert "k must be a whole number of at least 2" in _fails(
        "table", "--source", "vp", "--by", "gender", "--k", "1"
    )
    assert "Unknown source 'nope'" in _fails("table", "--source", "nope", "--by", "gender")
    PrivacyBudget.objects.create(source="vp", total_epsilon=1)
    assert "1.0000 of 1.0000 remains" in _fails(
        "table", "--source", "vp", "--by", "gender", "--epsilon", "2"
    )
    assert BudgetSpend.objects.count() == 0


def test_dp_table_spends_and_budget_shows_it(vp_store: AnalysisStore) -> None:
    _, out, _ = call_cli(
        "evidence",
        "table",
        "--source",
        "vp",
        "--by",
        "gender",
        "--epsilon",
        "0.5",
        "--format",
        "json",
    )
    assert json.loads(out)["cells"][0]["noise_scale"] == 2.0
    _code, out, _ = call_cli("evidence", "budget", "--source", "vp", "--format", "json")
    assert json.loads(out)["remaining"] == "4.5000"


def test_export_ctdc_after_k_anonymity(vp_store: AnalysisStore, tmp_path: Path) -> None:
    target, report = tmp_path / "out.csv", tmp_path / "report.json"
    code, _, err = call_cli(
        "evidence",
        "export",
        "--source",
        "vp",
        "--k",
        "5",
        "--quasi",
        "gender,majorityStatus,UN_COO_Region",
        "--format",
        "ctdc",
        "--out",
        str(target),
        "--report",
        str(report),
    )
    assert code == 0
    assert "Rare groups disappear first" in err
    summary = json.loads(report.read_text())
    assert summary["pycanon_k"] >= 5
    assert len(target.read_text().splitlines()) == summary["records_out"] + 1
    assert "k must be a whole number of at least 2" in _fails(
        "export", "--source", "vp", "--k", "1", "--quasi", "gender"
    )
