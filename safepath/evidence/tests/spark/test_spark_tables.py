"""The protected tables of the CTDC file, counted by Spark, have DuckDB's cells exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from safepath.evidence.engine.ctdc import import_ctdc
from safepath.evidence.engine.dimensions import Dimension
from safepath.evidence.engine.spark_store import SparkStore, to_spark
from safepath.evidence.engine.store import AnalysisStore, StoreError
from safepath.evidence.engine.tables import build_table

pytestmark = [pytest.mark.spark, pytest.mark.slow]

SAMPLE = Path(__file__).parents[1] / "fixtures" / "ctdc_vp_sample.csv"
TABLES: list[dict[str, Any]] = [
    {"by": ["gender"]},
    {"by": ["gender", "majorityStatus"], "k": 5},
    {"by": ["UN_COO_Region", "isForcedLabour"], "where": {"gender": ["Female"]}},
    {"by": ["IP_Gender"]},
    {"by": ["majorityStatus", "IP_Gender"], "where": {"IP_Gender": ["Male"]}},
    {"by": ["yearRegister"], "where": {"majorityStatus": ["Minor", None]}, "k": 3},
]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, spark: Any) -> tuple[Any, Any]:
    duck = AnalysisStore(tmp_path_factory.mktemp("evidence") / "analysis.duckdb")
    import_ctdc(duck, SAMPLE, "vp")
    on_spark = SparkStore(spark)
    on_spark.publish(duck, "vp")
    return duck, on_spark


def _cells(store: Any, spec: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    table = build_table(store, "vp", spec["by"], spec.get("where"), k=spec.get("k", 11))
    metadata = {k: v for k, v in table.metadata.items() if k != "generated_at"}
    return table.cells, metadata


@pytest.mark.parametrize("spec", TABLES, ids=[",".join(t["by"]) for t in TABLES])
def test_spark_counts_the_same_cells(stores: tuple[Any, Any], spec: dict[str, Any]) -> None:
    duck, on_spark = stores
    cells, metadata = _cells(duck, spec)
    assert _cells(on_spark, spec) == (cells, metadata)
    assert any(c["count"] for c in cells)  # a table with figures, not only suppression


def test_an_unknown_source_names_those_registered(stores: tuple[Any, Any]) -> None:
    _duck, on_spark = stores
    with pytest.raises(StoreError, match="available sources: vp"):
        build_table(on_spark, "cases", ["gender"])


MULTI = [
    {"by": ["forms"]},  # one case counts under each of its forms
    {"by": ["sex", "forms"], "k": 2},
    {"by": ["sex"], "where": {"forms": ["labour", None]}, "k": 2},
    {"by": ["forms"], "where": {"forms": ["sexual", "begging"]}, "k": 2},
]


@pytest.mark.parametrize("spec", MULTI, ids=[str(t) for t in MULTI])
def test_a_multi_valued_dimension_counts_the_same(
    tmp_path: Path, spark: Any, spec: dict[str, Any]
) -> None:
    """CTDC files have no multi-valued column; SafePath's own cases source has (forms)."""
    duck = AnalysisStore(tmp_path / "analysis.duckdb")
    forms = [["labour"], ["sexual", "labour"], [], None, ["sexual"], ["begging"]] * 9
    rows = pa.table(
        {"sex": (["f", "m", "f"] * 18), "forms": pa.array(forms, type=pa.list_(pa.string()))}
    )
    duck.replace_source(
        "cases_like",
        rows,
        [
            Dimension("sex", "Sex", ("f", "m")),
            Dimension("forms", "Forms", ("labour", "sexual", "begging"), multi=True),
        ],
    )
    on_spark = SparkStore(spark)
    on_spark.publish(duck, "cases_like")
    where, k = spec.get("where"), spec.get("k", 11)
    expected = build_table(duck, "cases_like", spec["by"], where, k=k).cells
    assert build_table(on_spark, "cases_like", spec["by"], where, k=k).cells == expected
    assert any(c["count"] for c in expected)


def test_parameters_become_spark_literals() -> None:
    sql = to_spark(
        "SELECT * FROM t WHERE a IN (?, ?) AND list_has_any(b, CAST(? AS VARCHAR[]))",
        ["x", "o'k", ["p", "q"]],
    )
    assert "IN ('x', 'o\\'k')" in sql
    assert "ARRAYS_OVERLAP(b, CAST(ARRAY('p', 'q') AS ARRAY<STRING>))" in sql
    with pytest.raises(ValueError, match="more parameters"):
        to_spark("SELECT ?", [1, 2])
    with pytest.raises(ValueError, match="more \\? markers"):
        to_spark("SELECT ?, ?", [1])
