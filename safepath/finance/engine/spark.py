"""The red-flag rules on Spark: the same rule files, translated by sqlglot, run by Spark SQL.

Two ways in:

* ``screen(..., engine="spark")`` (and ``safepath finance screen --engine spark``): DuckDB
  loads and validates the files as always, then hands the prepared tables to Spark, which runs
  every rule; the hits come back for scoring. This is how the test suite proves, rule by rule,
  that Spark finds exactly what DuckDB finds.
* On a cluster, a job registers its own ``txn``, ``cust`` and reference views (from parquet
  on shared storage; see docs/spark.md) and calls ``run_rules``.

No Django here. ``pyspark`` comes with ``pip install 'safepath[spark]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import sqlglot

from safepath.finance.engine.rules import render
from safepath.finance.engine.types import Rule

# What the rules read (docs/finance/spark.md): the prepared transactions and customers, and the
# reference tables ``reference.install`` makes.
RULE_TABLES = (
    "txn",
    "cust",
    "ref_mcc",
    "ref_basket",
    "ref_country",
    "ref_reporting",
    "merchant_grp",
    "memo_grp",
)
HITS_SCHEMA = pa.schema(
    [("rule_id", pa.string()), ("customer_id", pa.string()), ("txn_id", pa.string())]
)


def spark_sql(rule: Rule, parameters: Mapping[str, Any] | None = None) -> str:
    """The rule's SQL (parameters filled in) in Spark's dialect."""
    sql = render(rule, dict(parameters) if parameters is not None else None)
    [translated] = sqlglot.transpile(
        sql, read="duckdb", write="spark", unsupported_level=sqlglot.ErrorLevel.RAISE
    )
    return translated


def publish(con: duckdb.DuckDBPyConnection, spark: Any) -> None:
    """Copy DuckDB's prepared rule tables into Spark as temporary views of the same names."""
    for table in RULE_TABLES:
        arrow = con.sql(f"SELECT * FROM {table}").to_arrow_table()  # noqa: S608 - fixed names
        spark.createDataFrame(arrow).createOrReplaceTempView(table)


def export_prepared(con: duckdb.DuckDBPyConnection, directory: Path) -> dict[str, Path]:
    """Write DuckDB's prepared rule tables as parquet (one folder's worth per table).

    What ``safepath finance prepare`` writes for a cluster: validated, typed, converted to the
    base currency, with the reference tables; a Spark job reads them back (``register_prepared``).
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for table in RULE_TABLES:
        path = directory / f"{table}.parquet"
        quoted = str(path).replace("'", "''")
        con.execute(f"COPY {table} TO '{quoted}' (FORMAT parquet)")
        written[table] = path
    return written


def register_prepared(spark: Any, location: str) -> None:
    """Register the tables ``export_prepared`` wrote under ``location`` (a path or a URL)."""
    for table in RULE_TABLES:
        spark.read.parquet(f"{location.rstrip('/')}/{table}.parquet").createOrReplaceTempView(table)


def rule_frame(spark: Any, rule: Rule, parameters: Mapping[str, Any] | None = None) -> Any:
    """One rule's hits as a Spark DataFrame ``rule_id, customer_id, txn_id`` (lazy)."""
    return spark.sql(spark_sql(rule, parameters)).selectExpr(
        f"'{rule.id}' AS rule_id",
        "CAST(customer_id AS STRING) AS customer_id",
        "CAST(txn_id AS STRING) AS txn_id",
    )


def run_rules(
    spark: Any,
    rules: Iterable[Rule],
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> pa.Table:
    """Every rule's hits (``rule_id, customer_id, txn_id``) from the views ``RULE_TABLES``.

    One Spark job per rule (measured: faster than one union of all rules, whose plan Spark
    optimises as a whole), each collected as Arrow.
    """
    parts = [HITS_SCHEMA.empty_table()]
    for rule in rules:
        if progress:
            progress(rule.id)
        frame = rule_frame(spark, rule, (parameters or {}).get(rule.id))
        parts.append(frame.toArrow().cast(HITS_SCHEMA))
    return pa.concat_tables(parts)
