"""Recall of injected customers and precision per typology on labelled synthetic data.

    .venv/bin/python benchmarks/finance_accuracy.py --customers 20000 --days 120 --seed 7

Definitions (research notes s4.2): recall = injected customers with an alert / injected
customers; precision for typology T = alerts naming T whose customer was injected with T /
alerts naming T; "any-label precision" counts an alert correct if its customer was injected with
any typology. Alerts per 1,000 customers is the volume an analyst team would face.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=int)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from safepath.finance.engine import screen
    from safepath.finance.engine.synth import SynthConfig, generate

    with tempfile.TemporaryDirectory() as tmp:
        out = generate(SynthConfig(customers=args.customers, days=args.days, seed=args.seed), tmp)
        start = time.perf_counter()
        result = screen(out.transactions, out.customers, threshold=args.threshold)
        took = time.perf_counter() - start
        with out.ground_truth.open(encoding="utf-8") as handle:
            truth = {row["customer_id"]: row["typology"] for row in csv.DictReader(handle)}
    alerted = {a.customer_id: a for a in result.alerts}
    found = [c for c in truth if c in alerted]
    print(
        f"{out.rows:,} transactions, {args.customers:,} customers, {args.days} days, seed "
        f"{args.seed}; "
        f"screened in {took:.1f} s"
    )
    print(
        f"alerts: {len(result.alerts)} ({1000 * len(result.alerts) / args.customers:.1f} per 1,000 "
        "customers)"
    )
    print(
        f"recall of injected customers: {len(found)}/{len(truth)} = "
        f"{len(found) / max(1, len(truth)):.3f}"
    )
    true_alerts = sum(1 for c in alerted if c in truth)
    print(
        f"any-label precision: {true_alerts}/{len(alerted)} = "
        f"{true_alerts / max(1, len(alerted)):.3f}\n"
    )
    print(
        "| typology | injected | found | recall | alerts naming it | correct | precision "
        "| alerts with it on top | correct | top precision |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for typology in sorted(set(truth.values()) | {t for a in result.alerts for t in a.typologies}):
        injected = [c for c, t in truth.items() if t == typology]
        hit = [c for c in injected if c in alerted]
        naming = [a for a in result.alerts if typology in a.typologies]
        correct = [a for a in naming if truth.get(a.customer_id) == typology]
        recall = f"{len(hit) / len(injected):.2f}" if injected else "-"
        precision = f"{len(correct) / len(naming):.2f}" if naming else "-"
        top = [a for a in result.alerts if a.typologies and a.typologies[0] == typology]
        top_ok = [a for a in top if truth.get(a.customer_id) == typology]
        top_precision = f"{len(top_ok) / len(top):.2f}" if top else "-"
        print(
            f"| {typology} | {len(injected)} | {len(hit)} | {recall} | {len(naming)} | "
            f"{len(correct)} | {precision} | {len(top)} | {len(top_ok)} | {top_precision} |"
        )
    false_rules = Counter(
        h.rule_id for a in result.alerts if a.customer_id not in truth for h in a.hits
    )
    print(f"\nrules in alerts on non-injected customers: {dict(false_rules.most_common(8))}")


if __name__ == "__main__":
    main()
