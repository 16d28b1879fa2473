"""Tables on demand: exact counts, margins, filters, suppression and DP, bad input."""

from __future__ import annotations

import csv
from collections import Counter

import numpy as np
import pyarrow as pa
import pytest

from safepath.evidence.engine.dimensions import DimensionError, InputError, cases_dimensions
from safepath.evidence.engine.store import AnalysisStore, StoreError
from safepath.evidence.engine.suppression import recoverable_cells
from safepath.evidence.engine.tables import TOTAL, build_table
from safepath.evidence.tests.conftest import SAMPLE


def _sample_counts(*fields: str) -> Counter[tuple[str | None, ...]]:
    with SAMPLE.open(encoding="utf-8") as handle:
        return Counter(tuple(row[f] or None for f in fields) for row in csv.DictReader(handle))


def test_unprotected_cells_equal_the_file_and_margins_add_up(vp_store: AnalysisStore) -> None:
    table = build_table(vp_store, "vp", ["gender", "majorityStatus"], k=2)
    expected = _sample_counts("gender", "majorityStatus")
    interior = [c for c in table.cells if TOTAL not in (c["gender"], c["majorityStatus"])]
    for cell in interior:
        if not cell["suppressed"]:
            assert cell["count"] == expected[(cell["gender"], cell["majorityStatus"])]
    grand = next(c for c in table.cells if c["gender"] == TOTAL and c["majorityStatus"] == TOTAL)
    assert grand["count"] == 505
    female = next(
        c for c in table.cells if c["gender"] == "Female" and c["majorityStatus"] == TOTAL
    )
    assert female["count"] == sum(n for (g, _), n in expected.items() if g == "Female")


def test_small_cells_are_suppressed_and_none_is_recoverable(vp_store: AnalysisStore) -> None:
    by = ["gender", "majorityStatus", "UN_COE_Region"]
    table = build_table(vp_store, "vp", by)
    expected = _sample_counts(*by)
    for cell in table.cells:
        key = tuple(cell[d] for d in by)
        if TOTAL not in key and 0 < expected[key] < 11:
            assert cell["suppressed"]
            assert cell["count"] is None
    assert table.metadata["primary_suppressed"] > 0
    assert table.metadata["secondary_suppressed"] > 0
    # Rebuild the published array and let the attacker try.
    cats = [sorted({c[d] for c in table.cells} - {TOTAL}, key=str) for d in by]
    shape = tuple(len(c) + 1 for c in cats)
    published = np.full(shape, np.nan)
    mask = np.zeros(shape, dtype=bool)
    for cell in table.cells:
        index = tuple(
            len(cats[i]) if cell[d] == TOTAL else cats[i].index(cell[d]) for i, d in enumerate(by)
        )
        mask[index] = cell["suppressed"]
        if not cell["suppressed"]:
            published[index] = cell["count"]
    assert recoverable_cells(published, mask) == {}


def test_where_filters_records(vp_store: AnalysisStore) -> None:
    table = build_table(vp_store, "vp", ["UN_COO_Region"], where={"gender": "Male"}, k=2)
    total = next(c for c in table.cells if c["UN_COO_Region"] == TOTAL)
    assert total["count"] == _sample_counts("gender")[("Male",)]
    assert table.metadata["where"] == {"gender": ["Male"]}


def test_dp_table_carries_noise_scale_and_interval(vp_store: AnalysisStore) -> None:
    table = build_table(vp_store, "vp", ["gender"], epsilon=0.5, k=2)
    assert table.metadata["method"] == "differential_privacy"
    assert table.metadata["noise_scale"] == 2.0
    categories = [c["gender"] for c in table.cells]
    assert categories == ["Female", "Male", None, TOTAL], "public categories, not observed ones"
    for cell in table.cells:
        assert cell["noise_scale"] == 2.0
        if not cell["suppressed"]:
            low, high = cell["ci95"]
            assert low <= cell["count"] <= high
            assert high - low > 0


def test_bad_input_names_the_field(vp_store: AnalysisStore) -> None:
    with pytest.raises(
        DimensionError, match="Unknown dimension 'age'; allowed dimensions: yearRegister"
    ):
        build_table(vp_store, "vp", ["age"])
    with pytest.raises(InputError, match="k must be a whole number of at least 2") as caught:
        build_table(vp_store, "vp", ["gender"], k=1)
    assert caught.value.field_name == "k"
    with pytest.raises(InputError, match="epsilon must be a number greater than 0"):
        build_table(vp_store, "vp", ["gender"], epsilon=0)
    with pytest.raises(
        DimensionError,
        match="Filter gender: value 'Woman' is not allowed; allowed values: Female, Male",
    ):
        build_table(vp_store, "vp", ["majorityStatus"], where={"gender": "Woman"})
    with pytest.raises(StoreError, match="Unknown source 'nope'; available sources: vp"):
        build_table(vp_store, "nope", ["gender"])
    with pytest.raises(DimensionError, match="no public list of values"):
        build_table(vp_store, "vp", ["IP_ageBroad"], epsilon=1.0)


def _cases_table() -> pa.Table:
    rows = (
        [("0-17", "9--17", "female", ["sexual_exploitation"], "NG", "IT", "2024")] * 14
        + [("0-17", "9--17", "male", ["forced_labour", "begging"], "NG", "IT", "2024")] * 12
        + [("18+", "18--20", "female", ["forced_labour"], "RO", "IT", "2025")] * 20
        + [("0-17", "0--8", "male", [], "RO", "IT", "2025")] * 3
    )
    columns = list(zip(*rows, strict=True))
    return pa.table(
        {
            "age_group_glotip": list(columns[0]),
            "age_broad": list(columns[1]),
            "sex": list(columns[2]),
            "exploitation": pa.array(list(columns[3]), type=pa.list_(pa.string())),
            "citizenship": list(columns[4]),
            "country_of_exploitation": list(columns[5]),
            "year_identified": [int(y) for y in columns[6]],
            "agency_type": ["ngo"] * len(rows),
            "referral_outcome": ["accepted"] * len(rows),
            "disability": ["no"] * len(rows),
        }
    )


def test_cases_source_multi_valued_exploitation_has_no_total_across_forms(
    store: AnalysisStore,
) -> None:
    store.replace_source("cases", _cases_table(), cases_dimensions())
    table = build_table(store, "cases", ["exploitation", "sex"], k=2)
    forms = {c["exploitation"] for c in table.cells}
    assert TOTAL not in forms, "a case with two forms would be counted twice in such a total"
    labour = {c["sex"]: c["count"] for c in table.cells if c["exploitation"] == "forced_labour"}
    assert labour == {"female": 20, "male": 12, TOTAL: 32}
    unknown = {c["sex"]: c["count"] for c in table.cells if c["exploitation"] is None}
    assert unknown[TOTAL] == 3
    filtered = build_table(store, "cases", ["sex"], where={"exploitation": ["begging"]}, k=2)
    both = build_table(
        store, "cases", ["exploitation"], where={"exploitation": ["begging", None]}, k=2
    )
    assert {c["exploitation"]: c["count"] for c in both.cells} == {"begging": 12, None: 3}
    assert {c["sex"]: c["count"] for c in filtered.cells} == {"male": 12, TOTAL: 12}


def test_table_by_the_multi_valued_dimension_alone(store: AnalysisStore) -> None:
    store.replace_source("cases", _cases_table(), cases_dimensions())
    table = build_table(store, "cases", ["exploitation"], k=13)
    counts = {c["exploitation"]: (c["count"], c["suppressed"]) for c in table.cells}
    assert counts == {
        "sexual_exploitation": (14, False),
        "forced_labour": (32, False),
        "begging": (None, True),
        None: (None, True),
    }


def test_cases_dp_sensitivity_covers_every_form(store: AnalysisStore) -> None:
    store.replace_source("cases", _cases_table(), cases_dimensions())
    table = build_table(store, "cases", ["exploitation", "age_group_glotip"], epsilon=1.0)
    assert table.metadata["sensitivity"] == 11
    assert table.metadata["noise_scale"] == 11.0


def test_replace_source_requires_dimension_columns(store: AnalysisStore) -> None:
    with pytest.raises(StoreError, match="lacks the columns of its dimensions: age_broad, sex"):
        store.replace_source(
            "cases", pa.table({"age_group_glotip": ["0-17"]}), cases_dimensions()[:3]
        )
    assert store.sources() == []
