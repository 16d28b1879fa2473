"""The analysis store: one DuckDB file holding every de-identified source, loaded via Arrow.

Each source is a table ``src_<name>`` plus a row in ``_sources`` recording its dimensions,
schema, row count and load time. ``replace_source`` swaps a source in one transaction, so a
reader sees the old extract or the new one, never half of each.

DuckDB lets one process write a file at a time; connections here are short-lived (one per
call) and retry briefly when another process holds the lock (the worker refreshing ``cases``
while a web process reads).
"""

from __future__ import annotations

import datetime
import json
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from safepath.evidence.engine.dimensions import Dimension, InputError

SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_LOCK_WAIT_SECONDS = 10.0


class StoreError(InputError):
    """Bad input to the store (unknown source, bad name, missing column); says which."""

    def __init__(self, message: str, *, field_name: str = "source") -> None:
        super().__init__(message, field_name=field_name)


@dataclass(frozen=True)
class SourceInfo:
    name: str
    dimensions: tuple[Dimension, ...]
    rows: int
    loaded_at: datetime.datetime
    schema: str
    origin: str

    def dimension_map(self) -> dict[str, Dimension]:
        return {d.name: d for d in self.dimensions}

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "rows": self.rows,
            "loaded_at": self.loaded_at.isoformat(),
            "schema": self.schema,
            "origin": self.origin,
            "dimensions": [d.to_json() for d in self.dimensions],
        }


def table_name(source: str) -> str:
    if not SOURCE_NAME.match(source):
        raise StoreError(
            f"Source name '{source}' is not valid: use 1-40 lower-case letters, digits or "
            "underscores, starting with a letter.",
            field_name="name",
        )
    return f"src_{source}"


class CountStore(Protocol):
    """What ``tables.build_table`` needs: a source's metadata and rows of a DuckDB query.

    ``AnalysisStore`` runs the query in DuckDB; ``spark_store.SparkStore`` translates it and
    runs it on Spark, so a table is the same whichever engine counts.
    """

    def source(self, name: str) -> SourceInfo: ...

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


class AnalysisStore:
    """A DuckDB analysis store file. Cheap to construct; opens connections per call."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + _LOCK_WAIT_SECONDS
        while True:
            try:
                con = duckdb.connect(str(self.path))
                break
            except duckdb.IOException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        try:
            con.execute(
                "CREATE TABLE IF NOT EXISTS _sources (name VARCHAR PRIMARY KEY, "
                "dimensions VARCHAR, rows BIGINT, loaded_at TIMESTAMPTZ, schema VARCHAR, "
                "origin VARCHAR)"
            )
            yield con
        finally:
            con.close()

    def replace_source(
        self,
        name: str,
        arrow_table: pa.Table,
        dimensions: Sequence[Dimension],
        *,
        schema: str = "",
        origin: str = "",
    ) -> SourceInfo:
        """Swap the source ``name`` for ``arrow_table`` atomically; returns its new metadata."""
        table = table_name(name)
        missing = [d.name for d in dimensions if d.name not in arrow_table.column_names]
        if missing:
            raise StoreError(
                f"Source '{name}' lacks the columns of its dimensions: {', '.join(missing)}.",
                field_name="dimensions",
            )
        loaded_at = datetime.datetime.now(tz=datetime.UTC)
        info = SourceInfo(
            name=name,
            dimensions=tuple(dimensions),
            rows=arrow_table.num_rows,
            loaded_at=loaded_at,
            schema=schema,
            origin=origin,
        )
        with self.connect() as con:
            con.register("incoming", arrow_table)
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT * FROM incoming')  # noqa: S608
                con.execute("DELETE FROM _sources WHERE name = ?", [name])
                con.execute(
                    "INSERT INTO _sources VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        name,
                        json.dumps([d.to_json() for d in dimensions]),
                        arrow_table.num_rows,
                        loaded_at,
                        schema,
                        origin,
                    ],
                )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            finally:
                con.unregister("incoming")
        return info

    def drop_source(self, name: str) -> None:
        table = table_name(name)
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            con.execute(f'DROP TABLE IF EXISTS "{table}"')
            con.execute("DELETE FROM _sources WHERE name = ?", [name])
            con.execute("COMMIT")

    def sources(self) -> list[SourceInfo]:
        if not self.path.exists():
            return []
        with self.connect() as con:
            rows = con.execute(
                "SELECT name, dimensions, rows, loaded_at, schema, origin FROM _sources "
                "ORDER BY name"
            ).fetchall()
        return [_info(row) for row in rows]

    def source(self, name: str) -> SourceInfo:
        """The source's metadata, or a StoreError naming the sources that exist."""
        for info in self.sources():
            if info.name == name:
                return info
        known = ", ".join(s.name for s in self.sources()) or "none loaded yet"
        raise StoreError(f"Unknown source '{name}'; available sources: {known}.")

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of a DuckDB query (with ``?`` parameters) as tuples."""
        with self.connect() as con:
            return con.execute(sql, list(params)).fetchall()

    def query(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        with self.connect() as con:
            return con.sql(sql, params=list(params) or None).to_arrow_table()


def _info(row: tuple[Any, ...]) -> SourceInfo:
    name, dims, rows, loaded_at, schema, origin = row
    if loaded_at.tzinfo is None:
        loaded_at = loaded_at.replace(tzinfo=datetime.UTC)
    return SourceInfo(
        name=name,
        dimensions=tuple(Dimension.from_json(d) for d in json.loads(dims)),
        rows=int(rows),
        loaded_at=loaded_at,
        schema=schema or "",
        origin=origin or "",
    )
