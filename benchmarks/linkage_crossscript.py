"""Cross-script dedupe: recall and precision on the synthetic Arabic/Cyrillic/Latin set.

Run: ``.venv/bin/python benchmarks/linkage_crossscript.py [--children N]``. Compared with a
Latin-only baseline: the same Splink model, but names compared only as their normalised
text (no transliteration, phonetic or skeleton keys), as most systems do today.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safepath.linkage.engine import crossscript, to_canonical
from safepath.linkage.engine.splink_model import dedupe_records


def evaluate(frame, result, threshold):  # type: ignore[no-untyped-def]
    truth = crossscript.true_pairs(frame)
    pairs = result.pairs[result.pairs.match_probability >= threshold]
    predicted = {tuple(sorted(p)) for p in zip(pairs.id_1, pairs.id_2, strict=False)}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth)
    by_pair = {}
    for a, b in truth:
        kinds = "-".join(sorted((a[:2], b[:2])))
        by_pair.setdefault(kinds, [0, 0])
        by_pair[kinds][1] += 1
        by_pair[kinds][0] += (a, b) in predicted
    return {
        "threshold": threshold,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "tp": tp,
        "fp": len(predicted) - tp,
        "fn": len(truth) - tp,
        "recall_by_script_pair": {k: round(v[0] / v[1], 3) for k, v in sorted(by_pair.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=1000)
    args = parser.parse_args()
    frame = crossscript.generate(args.children)
    records = to_canonical(frame.drop(columns=["child"]), label="crossscript")
    for mode in ("cross-script", "latin-only"):
        start = time.perf_counter()
        result = dedupe_records(records, threshold=0.5, cross_script=(mode == "cross-script"))
        seconds = round(time.perf_counter() - start, 1)
        for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
            print(
                json.dumps(
                    {
                        "mode": mode,
                        "records": len(records),
                        "seconds": seconds,
                        **evaluate(frame, result, threshold),
                    }
                )
            )


if __name__ == "__main__":
    main()
