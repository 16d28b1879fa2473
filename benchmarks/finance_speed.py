# ruff: noqa: E501 - the child-process programs are embedded as strings
"""Speed and memory of the finance engine at scale, beside a plain pandas version of five rules.

    nice -n 5 .venv/bin/python benchmarks/finance_speed.py --rows 10000000

Generates synthetic Parquet (vectorised numpy/pyarrow) unless it exists, then runs, each in its
own child process so peak memory (ru_maxrss) is measured per run:
  1. the engine with every rule (load + validate + all rules + scoring),
  2. the engine with the five rules the pandas version implements,
  3. a straightforward pandas implementation of those five rules,
and checks that engine and pandas flag the same customers. Figures go to stdout as Markdown.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIVE = ["HT-01", "HT-09", "HT-12", "HT-15", "CSE-01"]

ENGINE_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from safepath.finance.engine import screen
rule_ids = {rule_ids!r}
start, cpu = time.perf_counter(), time.process_time()
marks = {{}}
def progress(step):
    if step != "load" and "loaded" not in marks:
        marks["loaded"] = time.perf_counter() - start
result = screen({txn!r}, {cust!r}, rule_ids=rule_ids, threshold=1 if rule_ids else None,
                threads={threads}, memory_limit={memory!r}, spill_dir={spill!r}, progress=progress)
hits = {{}}
for alert in result.alerts:
    for hit in alert.hits:
        hits.setdefault(hit.rule_id, []).append(alert.customer_id)
print(json.dumps({{"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "load": marks.get("loaded", 0),
    "rows": result.transactions, "alerts": len(result.alerts), "rules": len(result.rules_run),
    "hits": {{k: sorted(set(v)) for k, v in hits.items()}}}}))
"""

PANDAS_CHILD = """
import json, resource, time
import pandas as pd
start, cpu = time.perf_counter(), time.process_time()
cols = ["txn_id", "ts_utc", "customer_id", "amount", "direction", "channel", "mcc", "merchant_name",
        "cp_name", "cp_account", "cp_country"]
t = pd.read_parquet({txn!r}, columns=cols)
c = pd.read_parquet({cust!r}, columns=["customer_id", "nationality", "residence_country"])
t["ts"] = pd.to_datetime(t["ts_utc"], utc=True)
t["amount"] = t["amount"].astype(float)
for col in ("direction", "channel", "mcc", "merchant_name", "cp_country"):
    t[col] = t[col].astype("object")

def burst(df, window, n):
    if df.empty:
        return set()
    df = df.sort_values(["customer_id", "ts"]).assign(one=1)
    counts = df.groupby("customer_id").rolling(window, on="ts")["one"].sum()
    return set(counts[counts >= n].index.get_level_values(0))

out = t[t.direction == "out"]
hits = {{}}
ads = out[out.channel.isin(["card_pos", "card_cnp", "p2p"]) & (out.mcc.isin(["7273", "7311"])
          | out.merchant_name.fillna("").str.lower().str.contains("classified|escort ads|adult listings|personals board"))]
hits["HT-01"] = burst(ads, "30D", 3)
prepaid = out[(out.channel == "prepaid_load") | (out.mcc == "6540")
              | out.merchant_name.fillna("").str.lower().str.contains("prepaid card|gift card|stored value")]
hits["HT-12"] = burst(prepaid, "30D", 4)
cash = t[(t.direction == "in") & t.channel.isin(["cash_branch", "cash_atm"]) & (t.amount >= 8000) & (t.amount < 10000)]
wire = out[out.channel.isin(["wire", "msb_remittance"]) & (out.amount >= 2400) & (out.amount < 3000)]
hits["HT-15"] = burst(cash, "14D", 3) | burst(wire, "14D", 3)
cse = ["PH", "TH", "CO", "GH", "UA", "DO", "RO", "JM", "RU", "MX", "IN", "ZA", "CU", "KH", "VN", "ID"]
remit = out[out.channel.isin(["msb_remittance", "p2p", "wire"]) & out.amount.between(5, 150) & out.cp_country.isin(cse)]
remit = remit.merge(c, on="customer_id", how="left")
remit = remit[(remit.cp_country != remit.nationality.fillna("")) & (remit.cp_country != remit.residence_country.fillna(""))]
hits["CSE-01"] = burst(remit, "30D", 3)
p2p = t[(t.direction == "in") & (t.channel == "p2p") & t.amount.between(20, 500)].copy()
p2p["sender"] = p2p.cp_account.fillna(p2p.cp_name)
p2p["bucket"] = (p2p.ts.astype("int64") // 10**9) // (7 * 86400)
senders = p2p.groupby(["customer_id", "bucket"])["sender"].nunique()
hits["HT-09"] = set(senders[senders >= 10].index.get_level_values(0))
print(json.dumps({{"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "hits": {{k: sorted(v) for k, v in hits.items()}}}}))
"""


def _child(code: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "safepath-finance-bench"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="1GB")
    parser.add_argument(
        "--in-memory", action="store_true", help="no spill file (faster, more memory)"
    )
    parser.add_argument("--no-pandas", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from safepath.finance.engine.synth import SynthConfig, generate

    data = args.dir / str(args.rows)
    txn, cust = data / "transactions.parquet", data / "customers.parquet"
    if not txn.exists():
        customers = max(100, args.rows // args.days)
        start = time.perf_counter()
        out = generate(SynthConfig(customers=customers, days=args.days, seed=11, rate=0.97), data)
        took = time.perf_counter() - start
        print(f"generated {out.rows:,} rows for {customers:,} customers in {took:.1f} s")
    common = {
        "root": str(ROOT),
        "txn": str(txn),
        "cust": str(cust),
        "threads": args.threads,
        "memory": args.memory_limit,
        "spill": None if args.in_memory else str(args.dir),
    }
    full = _child(ENGINE_CHILD.format(rule_ids=None, **common))
    five = _child(ENGINE_CHILD.format(rule_ids=FIVE, **common))
    print("\n| run | rows | rules | wall s | of which load+validate s | CPU s | peak MB |")
    print("|---|---|---|---|---|---|---|")
    for name, run, rules in (
        ("engine, every rule", full, full["rules"]),
        ("engine, five rules", five, 5),
    ):
        print(
            f"| {name} | {run['rows']:,} | {rules} | {run['seconds']:.1f} | {run['load']:.1f} | "
            f"{run['cpu']:.1f} | {run['peak_mb']:.0f} |"
        )
    if not args.no_pandas:
        pandas = _child(PANDAS_CHILD.format(**common))
        print(
            f"| pandas, five rules (no validation) | | 5 | {pandas['seconds']:.1f} | | "
            f"{pandas['cpu']:.1f} | {pandas['peak_mb']:.0f} |"
        )
        print(
            f"\npandas / engine (five rules): wall {pandas['seconds'] / five['seconds']:.2f}x, "
            f"CPU {pandas['cpu'] / five['cpu']:.2f}x; engine rules-only wall "
            f"{five['seconds'] - five['load']:.1f} s"
        )
        for rule in FIVE:
            same = set(pandas["hits"].get(rule, [])) == set(five["hits"].get(rule, []))
            print(
                f"{rule}: engine {len(five['hits'].get(rule, []))} customers, pandas "
                f"{len(pandas['hits'].get(rule, []))}, identical: {same}"
            )
    print(f"\nalerts (every rule, default threshold): {full['alerts']:,}")


if __name__ == "__main__":
    main()
