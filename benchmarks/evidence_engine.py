"""Evidence engine on N synthetic cases: store load, protected tables, DP release, memory.

    nice -n 5 .venv/bin/python benchmarks/evidence_engine.py [--cases 1000000]

Targets (issue 5, on 1,000,000 cases): refreshing the store < 60 s; a three-dimension table
with threshold + secondary suppression < 2 s; a DP release < 5 s; peak memory < 2 GB.

What is timed, all in one process, one after the other:

1. ``generate``: N synthetic rows of the ``cases`` source schema, drawn with NumPy from skewed
   distributions (a few large countries, many small ones; children about a third), built as an
   Arrow table with ``exploitation`` as a list column (1-2 forms per case). Not a target; shown
   so the store load can be read apart from it.
2. ``refresh``: ``AnalysisStore.replace_source("cases", ...)`` into a fresh DuckDB file - the
   engine half of a refresh. The case-database half (reading and grouping case records) is
   measured by ``benchmarks/evidence_refresh.py`` (dashboard/extract owner).
3. ``table_*``: ``build_table`` with k = 11: three dimensions with suppression, including a
   wide one (citizenship, ~250 categories), and one by the multi-valued exploitation.
4. ``dp_*``: ``build_table`` with epsilon = 1 over public domains (the OpenDP import is timed
   separately, as a long-running worker pays it once).
5. ``peak_rss_mb``: the process's peak resident memory (``ru_maxrss``).

Prints one JSON object; docs/evidence/benchmarks.md records the figures.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safepath.evidence.engine.dimensions import cases_dimensions
from safepath.evidence.engine.store import AnalysisStore
from safepath.evidence.engine.tables import build_table


def _skewed(rng: np.random.Generator, values: list[str], n: int, a: float = 1.3) -> np.ndarray:
    weights = 1.0 / np.arange(1, len(values) + 1) ** a
    return rng.choice(np.array(values, dtype=object), size=n, p=weights / weights.sum())


def synthetic_cases(n: int, seed: int = 5) -> pa.Table:
    rng = np.random.default_rng(seed)
    dims = {d.name: d for d in cases_dimensions()}
    countries = list(dims["citizenship"].values or ())
    rng.shuffle(countries)
    age_broad = rng.choice(
        np.array(dims["age_broad"].values, dtype=object),
        size=n,
        p=[0.08, 0.25, 0.12, 0.11, 0.1, 0.09, 0.13, 0.08, 0.04],
    )
    glotip = np.where(np.isin(age_broad, ["0--8", "9--17"]), "0-17", "18+").astype(object)
    forms = list(dims["exploitation"].values or ())
    first = _skewed(rng, forms, n, 1.6)
    second = _skewed(rng, forms, n, 1.6)
    two = rng.random(n) < 0.2
    offsets = np.zeros(n + 1, dtype=np.int32)
    offsets[1:] = np.cumsum(np.where(two & (second != first), 2, 1))
    flat = np.empty(offsets[-1], dtype=object)
    flat[offsets[:-1]] = first
    extra = two & (second != first)
    flat[offsets[:-1][extra] + 1] = second[extra]
    exploitation = pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat, type=pa.string()))
    years = rng.integers(2010, 2026, size=n).astype(str).astype(object)
    return pa.table(
        {
            "age_group_glotip": pa.array(glotip, type=pa.string()),
            "age_broad": pa.array(age_broad, type=pa.string()),
            "sex": pa.array(
                rng.choice(
                    np.array(["female", "male", "other", "unknown"], dtype=object),
                    n,
                    p=[0.55, 0.42, 0.01, 0.02],
                ),
                type=pa.string(),
            ),
            "exploitation": exploitation,
            "citizenship": pa.array(_skewed(rng, countries, n), type=pa.string()),
            "country_of_exploitation": pa.array(_skewed(rng, countries, n, 1.6), type=pa.string()),
            "year_identified": pa.array(years, type=pa.string()),
            "agency_type": pa.array(
                _skewed(rng, list(dims["agency_type"].values or ()), n), type=pa.string()
            ),
            "referral_outcome": pa.array(
                _skewed(rng, list(dims["referral_outcome"].values or ()), n), type=pa.string()
            ),
            "disability": pa.array(
                rng.choice(
                    np.array(["yes", "no", "unknown"], dtype=object), n, p=[0.05, 0.8, 0.15]
                ),
                type=pa.string(),
            ),
        }
    )


def _timed(results: dict[str, Any], name: str, func: Any) -> Any:
    start = time.perf_counter()
    value = func()
    results[f"{name}_s"] = round(time.perf_counter() - start, 3)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="evidence engine benchmark")
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "cases": args.cases,
        "machine": platform.platform(),
        "python": platform.python_version(),
    }
    table = _timed(results, "generate", lambda: synthetic_cases(args.cases))
    with tempfile.TemporaryDirectory() as tmp:
        store = AnalysisStore(Path(tmp) / "analysis.duckdb")
        rows = table
        _timed(results, "refresh", lambda: store.replace_source("cases", rows, cases_dimensions()))
        table = rows = None  # free the generated rows before the tables are timed
        specs = {
            "table_sex_age_year": ["sex", "age_group_glotip", "year_identified"],
            "table_citizenship_sex_agebroad": ["citizenship", "sex", "age_broad"],
            "table_exploitation_sex_age": ["exploitation", "sex", "age_group_glotip"],
        }
        for name, by in specs.items():
            built = _timed(results, name, lambda by=by: build_table(store, "cases", by))
            results[f"{name}_cells"] = built.metadata["cells"]
            results[f"{name}_suppressed"] = built.metadata["suppressed_cells"]
        _timed(results, "opendp_import", lambda: __import__("opendp.prelude"))
        dp_specs = {
            "dp_sex_age_year": ["sex", "age_group_glotip", "year_identified"],
            "dp_citizenship_sex_age": ["citizenship", "sex", "age_group_glotip"],
        }
        for name, by in dp_specs.items():
            built = _timed(
                results, name, lambda by=by: build_table(store, "cases", by, epsilon=1.0)
            )
            results[f"{name}_cells"] = built.metadata["cells"]
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
