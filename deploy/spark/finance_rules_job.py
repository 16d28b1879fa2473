"""A Spark job: SafePath's red-flag rules over tables made by ``safepath finance prepare``.

    spark-submit deploy/spark/finance_rules_job.py --prepared DIR_OR_URL --out DIR_OR_URL

The driver and the executors need SafePath installed (``pip install 'safepath[spark]'``: the
rule files ship inside the package). Writes one parquet dataset of hits ``rule_id,
customer_id, txn_id``; score them back on one machine, or load them into SafePath.
See docs/spark.md for spark-submit, Databricks and EMR.
"""

from __future__ import annotations

import argparse
import json

from pyspark.sql import SparkSession

from safepath.finance.engine import load_rules
from safepath.finance.engine.spark import register_prepared, rule_frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prepared", required=True, help="where `finance prepare` wrote")
    parser.add_argument("--out", required=True, help="where to write the hits (parquet)")
    parser.add_argument("--rules", nargs="*", help="rule ids (default: every rule)")
    args = parser.parse_args()
    spark = SparkSession.builder.appName("safepath-finance-rules").getOrCreate()
    register_prepared(spark, args.prepared)
    present = set(spark.table("txn").columns) | set(spark.table("cust").columns)
    rules = [r for r in load_rules() if (not args.rules or r.id in args.rules)]
    counts = {}
    for rule in rules:
        if not set(rule.required_fields) <= present:
            continue
        frame = rule_frame(spark, rule).cache()
        frame.write.mode("append").parquet(args.out)
        counts[rule.id] = frame.count()
        frame.unpersist()
    print(json.dumps({"rules": len(counts), "hits": counts}))  # noqa: T201 - the job's summary
    spark.stop()


if __name__ == "__main__":
    main()
