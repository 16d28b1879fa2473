"""Count on Spark: the same protected tables when a source outgrows one machine.

``tables.build_table`` asks its store for the source's metadata and for the rows of one
aggregate query, written for DuckDB. ``SparkStore`` keeps the metadata (from an analysis store,
or given) and runs that query on Spark: sqlglot translates it, with the parameters bound as
literals first (Spark's own parameter markers take no arrays). The disclosure control (the
threshold rule, secondary suppression, OpenDP noise) then runs on the counts exactly as it does
for DuckDB, so the cells are the same (``safepath/evidence/tests/spark/``).

No Django here. ``pyspark`` comes with ``pip install 'safepath[spark]'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlglot
from sqlglot import exp

from safepath.evidence.engine.store import AnalysisStore, SourceInfo, StoreError, table_name


def _literal(value: Any) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, list | tuple):
        return exp.Array(expressions=[_literal(v) for v in value])
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


def to_spark(sql: str, params: Sequence[Any] = ()) -> str:
    """A DuckDB query with ``?`` parameters as Spark SQL with those values as literals."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    values = iter(params)

    def bind(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder):
            try:
                return _literal(next(values))
            except StopIteration as error:
                raise ValueError("more ? markers than parameters") from error
        return node

    def overlaps(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.ArrayOverlaps):
            # sqlglot writes `a && b`, which Spark does not read as "the arrays overlap"
            return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
        return node

    bound = tree.transform(bind)
    if next(values, None) is not None:
        raise ValueError("more parameters than ? markers")
    spark_tree = bound.transform(overlaps)
    return spark_tree.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)


class SparkStore:
    """Sources registered as Spark views ``src_<name>``, with their metadata."""

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self._sources: dict[str, SourceInfo] = {}

    def register(self, info: SourceInfo, frame: Any) -> None:
        """A Spark DataFrame (e.g. ``spark.read.parquet(...)`` on a cluster) as source ``info``."""
        frame.createOrReplaceTempView(table_name(info.name))
        self._sources[info.name] = info

    def publish(self, store: AnalysisStore, name: str) -> SourceInfo:
        """Copy one source of a DuckDB analysis store into Spark (one machine, or a test)."""
        info = store.source(name)
        arrow = store.query(f'SELECT * FROM "{table_name(name)}"')  # noqa: S608 - validated name
        self.register(info, self.spark.createDataFrame(arrow))
        return info

    def source(self, name: str) -> SourceInfo:
        if name not in self._sources:
            known = ", ".join(sorted(self._sources)) or "none registered"
            raise StoreError(f"Unknown source '{name}'; available sources: {known}.")
        return self._sources[name]

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(to_spark(sql, params)).collect()]
