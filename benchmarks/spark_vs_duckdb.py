"""DuckDB and Spark (local mode) side by side: the finance rules and the linkage prediction.

    nice .venv/bin/python benchmarks/spark_vs_duckdb.py [--customers 2000 --days 90]
                                                       [--records 20000] [--cores 2]

1. Finance: ``finance synth`` data, loaded once by DuckDB; every applicable rule run by DuckDB,
   then by Spark over the same prepared tables (``finance.engine.spark``); hits compared.
2. Linkage: synthetic three-script records (``crossscript.generate``), a model trained once on
   DuckDB, then prediction on DuckDB and on Spark with that model; pairs compared.
Prints one JSON line per part (times, sizes, the load average), as each part ends;
docs/benchmarks.md records the figures with the machine they came from.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safepath.core import spark as spark_support
from safepath.finance.engine import load_rules, reference, render
from safepath.finance.engine import spark as finance_spark
from safepath.finance.engine.loading import load_inputs, load_mapping
from safepath.finance.engine.money import rates_to_base
from safepath.finance.engine.synth import SynthConfig, generate
from safepath.linkage.engine import crossscript, dedupe


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def finance(session: Any, customers: int, days: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-finance-"))
    data = generate(SynthConfig(customers=customers, days=days, seed=7), work)
    con = duckdb.connect()
    start = time.perf_counter()
    loaded = load_inputs(
        con,
        data.transactions,
        data.customers,
        mapping=load_mapping(None),
        base_rates=rates_to_base(None, "USD"),
    )
    reference.install(con)
    load_s = time.perf_counter() - start
    rules = [r for r in load_rules() if set(r.required_fields) <= loaded.present_fields]
    start = time.perf_counter()
    on_duckdb = {
        r.id: set(con.execute(f"SELECT customer_id, txn_id FROM ({render(r)})").fetchall())  # noqa: S608
        for r in rules
    }
    duckdb_s = time.perf_counter() - start
    start = time.perf_counter()
    finance_spark.publish(con, session)
    publish_s = time.perf_counter() - start
    start = time.perf_counter()
    hits = finance_spark.run_rules(session, rules).to_pylist()
    spark_s = time.perf_counter() - start
    on_spark: dict[str, set[Any]] = {r.id: set() for r in rules}
    for hit in hits:
        on_spark[hit["rule_id"]].add((hit["customer_id"], hit["txn_id"]))
    return {
        "transactions": loaded.transactions,
        "customers": loaded.customers,
        "rules": len(rules),
        "load_and_validate_duckdb_s": round(load_s, 1),
        "rules_duckdb_s": round(duckdb_s, 1),
        "copy_to_spark_s": round(publish_s, 1),
        "rules_spark_s": round(spark_s, 1),
        "hits": sum(len(v) for v in on_duckdb.values()),
        "same_hits": on_spark == on_duckdb,
    }


def linkage(records: int) -> dict[str, Any]:
    frame = crossscript.generate(records // 3, seed=13).drop(columns=["child"])
    start = time.perf_counter()
    trained = dedupe(frame, threshold=0.9)
    train_predict_s = time.perf_counter() - start
    model = trained.model()
    out: dict[str, Any] = {
        "records": len(frame),
        "duckdb_train_and_predict_s": round(train_predict_s, 1),
    }
    for backend in ("duckdb", "spark"):
        start = time.perf_counter()
        result = dedupe(frame, threshold=0.9, model=model, backend=backend)
        out[f"{backend}_predict_s"] = round(time.perf_counter() - start, 1)
        out[f"{backend}_pairs"] = len(result.pairs)
        out[f"{backend}_set"] = set(zip(result.pairs.id_1, result.pairs.id_2, strict=True))
    only = out.pop("duckdb_set") ^ out.pop("spark_set")
    out["pairs_differing"] = len(only)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--memory", default="6g")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load_before": _load(),
    }
    start = time.perf_counter()
    session = spark_support.local_session(
        partitions=str(args.cores * 2), memory=args.memory, cores=args.cores
    )
    session.sparkContext.setLogLevel("ERROR")
    report["spark_start_s"] = round(time.perf_counter() - start, 1)
    report["spark"] = session.version
    print(json.dumps(report), flush=True)  # each part as it ends: a busy machine is slow
    finance_report = finance(session, args.customers, args.days)
    print(json.dumps({"finance": finance_report, "load": _load()}), flush=True)
    linkage_report = linkage(args.records)
    print(json.dumps({"linkage": linkage_report, "load": _load()}), flush=True)
    session.stop()


if __name__ == "__main__":
    main()
