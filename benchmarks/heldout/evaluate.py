"""Run SafePath's CLI as a black box on the held-out sets and print the figures in one table.

    .venv/bin/python benchmarks/heldout/evaluate.py            # default sizes, seeds 7 and 11
    .venv/bin/python benchmarks/heldout/evaluate.py --children 500 --customers 600 \
        --per-typology 5 --per-negative 20 --json /tmp/heldout.json

Linkage: `safepath link between` (left vs right) and `safepath link dedupe` (both files in
one) at threshold 0.5; precision, recall and F1 are computed at 0.5 and at the CLI's default
0.9 from the `match_probability` column. False positives are split into siblings (same
family), cousins (same clan) and others. Finance: `safepath finance screen`; a customer counts
as alerted when it has any alert in the output. Per typology: recall, "precision against all
false alerts" (TP of the typology / (TP + every false alert), i.e. the precision a bank would
see if this were its only typology) and the share of its alerts carrying a research-file
typology label; per negative group: false alerts per 1,000 customers.

Nothing in SafePath is read or tuned here: the only inputs are the documented CLI options and
output formats (docs/linkage/engine.md "CLI", docs/finance/engine.md "Input").
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import crossscript_children
import finance_typologies

ROOT = Path(__file__).resolve().parents[2]

# SafePath rejected `etransfer` (a channel named in research/financial_red_flags.md section
# 1.0) as unknown; the documented column-mapping YAML folds it into `p2p`, the nearest one.
FINANCE_MAPPING = "transactions:\n  values:\n    channel:\n      etransfer: p2p\n"

# Typology names from research/financial_red_flags.md section 1.7 ("cross-cutting"), used only
# to report whether an alert carries the expected label.
EXPECTED_LABEL = {
    "htse_controller": "HTSE-controller",
    "htse_victim": "HTSE-victim-account",
    "labour_wage_collection": "HTFL-employer",
    "labour_front_business": "HTFL-employer",
    "ocse_remitter": "OCSE-consumer",
    "ocse_crypto": "OCSE-consumer",
    "money_mule": "sextortion-mule",
}


def run(cmd: list[str]) -> tuple[float, str]:
    env = {**os.environ, "SAFEPATH_MODE": os.environ.get("SAFEPATH_MODE", "development")}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return time.perf_counter() - t0, proc.stdout


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def prf(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> dict[str, float]:
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(truth) if truth else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "tp": tp,
        "fp": len(predicted) - tp,
        "fn": len(truth) - tp,
        "precision": p,
        "recall": r,
        "f1": f1,
    }


def fp_kinds(
    predicted: set[frozenset[str]], truth: set[frozenset[str]], rec: dict[str, dict[str, str]]
) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for pair in predicted - truth:
        a, b = (rec[x] for x in pair)
        if a["family_id"] == b["family_id"]:
            kinds["sibling"] += 1
        elif a["clan_id"] == b["clan_id"]:
            kinds["cousin"] += 1
        else:
            kinds["other"] += 1
    return kinds


def evaluate_linkage(args: argparse.Namespace, safepath: str, work: Path) -> dict:
    data = work / "linkage"
    crossscript_children.generate(args.children, args.seed_linkage, data)
    rec = {r["record_id"]: r for r in read_csv(data / "truth_records.csv")}
    truth_between = {
        frozenset((r["left_id"], r["right_id"])) for r in read_csv(data / "truth_pairs.csv")
    }
    by_child: dict[str, list[str]] = defaultdict(list)
    for rid, r in rec.items():
        by_child[r["child_id"]].append(rid)
    truth_dedupe = {frozenset(p) for ids in by_child.values() for p in combinations(ids, 2)}

    results: dict = {
        "left": sum(r["file"] == "left" for r in rec.values()),
        "right": sum(r["file"] == "right" for r in rec.values()),
    }
    jobs = {
        "between": (
            [
                safepath,
                "link",
                "between",
                "--left",
                str(data / "left.csv"),
                "--right",
                str(data / "right.csv"),
            ],
            ("left_id", "right_id"),
            truth_between,
        ),
        "dedupe": (
            [safepath, "link", "dedupe", "--input", str(data / "dedupe.csv")],
            ("id_1", "id_2"),
            truth_dedupe,
        ),
    }
    for name, (cmd, cols, truth) in jobs.items():
        out = data / f"pairs_{name}.csv"
        seconds, _ = run(
            [*cmd, "--output", str(out), "--threshold", "0.5", "--no-progress", "--format", "json"]
        )
        rows = read_csv(out)
        for threshold in (0.5, 0.9):
            predicted = {
                frozenset((r[cols[0]], r[cols[1]]))
                for r in rows
                if float(r["match_probability"]) >= threshold
            }
            m = prf(predicted, truth)
            m["fp_kinds"] = dict(fp_kinds(predicted, truth, rec))
            m["true_pairs"] = len(truth)
            m["seconds"] = round(seconds, 1)
            by_pop: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for pair in truth:
                pop = rec[next(iter(pair))]["population"]
                by_pop[pop][1] += 1
                by_pop[pop][0] += pair in predicted
            m["recall_by_population"] = {k: v[0] / v[1] for k, v in sorted(by_pop.items())}
            by_flag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for pair in truth:
                flags = set()
                for rid in pair:
                    flags.update(f for f in rec[rid]["perturbations"].split(";") if f)
                for f in flags:
                    by_flag[f][1] += 1
                    by_flag[f][0] += pair in predicted
            m["recall_by_perturbation"] = dict(sorted(by_flag.items()))
            results[f"{name}@{threshold}"] = m
    return results


def evaluate_finance(args: argparse.Namespace, safepath: str, work: Path) -> dict:
    data = work / "finance"
    finance_typologies.generate(
        args.customers, args.seed_finance, data, args.days, args.per_typology, args.per_negative
    )
    mapping = data / "mapping.yaml"
    mapping.write_text(FINANCE_MAPPING, encoding="utf-8")
    alerts_path = data / "alerts.json"
    seconds, _ = run(
        [
            safepath,
            "finance",
            "screen",
            "--transactions",
            str(data / "transactions.csv"),
            "--customers",
            str(data / "customers.csv"),
            "--mapping",
            str(mapping),
            "--out",
            str(alerts_path),
            "--format",
            "json",
        ]
    )
    alerts = json.loads(alerts_path.read_text(encoding="utf-8"))
    labels: dict[str, set[str]] = defaultdict(set)
    for a in alerts:
        labels[a["customer_id"]].update(a.get("typologies") or [])
    truth = read_csv(data / "truth.csv")
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for t in truth:
        groups[t["typology"]].append(t)
    false_alerts = sum(t["positive"] == "0" and t["customer_id"] in labels for t in truth)
    positives = [t for t in truth if t["positive"] == "1"]
    tp_all = sum(t["customer_id"] in labels for t in positives)
    out: dict = {
        "customers": len(truth),
        "alerted": len(labels),
        "seconds": round(seconds, 1),
        "false_alerts": false_alerts,
        "overall": {
            "recall": tp_all / len(positives) if positives else 0.0,
            "precision": tp_all / len(labels) if labels else 0.0,
        },
        "typologies": {},
        "negatives": {},
    }
    for name, members in sorted(groups.items()):
        hit = [m for m in members if m["customer_id"] in labels]
        if members[0]["positive"] == "1":
            expected = EXPECTED_LABEL.get(name)
            labelled = (
                sum(expected in labels[m["customer_id"]] for m in hit) / len(hit)
                if expected and hit
                else None
            )
            out["typologies"][name] = {
                "n": len(members),
                "alerted": len(hit),
                "recall": len(hit) / len(members),
                "precision_vs_all_false": len(hit) / (len(hit) + false_alerts)
                if hit or false_alerts
                else 0.0,
                "expected_label_share": labelled,
                "missed_variants": dict(
                    Counter(
                        m["variant"].split("+")[0] for m in members if m not in hit
                    ).most_common(4)
                ),
            }
        else:
            out["negatives"][name] = {
                "n": len(members),
                "alerted": len(hit),
                "per_1000": 1000 * len(hit) / len(members),
            }
    return out


def print_tables(link: dict | None, fin: dict | None) -> None:
    if link:
        print(f"\nLinkage (left {link['left']} records, right {link['right']} records)\n")
        print(
            "| run | threshold | true pairs | precision | recall | F1 | FP sibling/cousin/other"
            " | recall by population | seconds |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for key, m in link.items():
            if "@" not in key:
                continue
            name, threshold = key.split("@")
            k = m["fp_kinds"]
            pops = " ".join(f"{p} {r:.2f}" for p, r in m["recall_by_population"].items())
            print(
                f"| {name} | {threshold} | {m['true_pairs']} | {m['precision']:.3f} | "
                f"{m['recall']:.3f} | {m['f1']:.3f} | {k.get('sibling', 0)}/"
                f"{k.get('cousin', 0)}/{k.get('other', 0)} | {pops} | {m['seconds']} |"
            )
        print("\nRecall of true pairs by what was done to either record (between)\n")
        print("| perturbation | true pairs | recall at 0.5 | recall at 0.9 |")
        print("|---|---|---|---|")
        low, high = link["between@0.5"], link["between@0.9"]
        for flag, (hit, n) in low["recall_by_perturbation"].items():
            hit9 = high["recall_by_perturbation"][flag][0]
            print(f"| {flag} | {n} | {hit / n:.2f} | {hit9 / n:.2f} |")
    if fin:
        o = fin["overall"]
        print(
            f"\nFinance ({fin['customers']} customers, {fin['alerted']} alerted, "
            f"{fin['false_alerts']} false alerts, {fin['seconds']} s; overall recall "
            f"{o['recall']:.3f}, precision {o['precision']:.3f})\n"
        )
        print(
            "| typology | n | alerted | recall | precision vs all false alerts |"
            " expected label | most-missed variants |"
        )
        print("|---|---|---|---|---|---|---|")
        for name, m in fin["typologies"].items():
            lab = "-" if m["expected_label_share"] is None else f"{m['expected_label_share']:.2f}"
            missed = ", ".join(f"{k} {v}" for k, v in m["missed_variants"].items()) or "-"
            print(
                f"| {name} | {m['n']} | {m['alerted']} | {m['recall']:.2f} | "
                f"{m['precision_vs_all_false']:.3f} | {lab} | {missed} |"
            )
        print("\n| negative group | n | false alerts | per 1,000 |")
        print("|---|---|---|---|")
        for name, m in fin["negatives"].items():
            print(f"| {name} | {m['n']} | {m['alerted']} | {m['per_1000']:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=3000)
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--per-typology", type=int, default=25)
    parser.add_argument("--per-negative", type=int, default=100)
    parser.add_argument("--seed-linkage", type=int, default=7)
    parser.add_argument("--seed-finance", type=int, default=11)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "safepath-heldout"
    )
    parser.add_argument("--safepath", default=str(ROOT / ".venv" / "bin" / "safepath"))
    parser.add_argument("--only", choices=["linkage", "finance"])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    link = evaluate_linkage(args, args.safepath, args.work) if args.only != "finance" else None
    fin = evaluate_finance(args, args.safepath, args.work) if args.only != "linkage" else None
    print_tables(link, fin)
    if args.json:
        args.json.write_text(
            json.dumps({"linkage": link, "finance": fin}, indent=2), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
