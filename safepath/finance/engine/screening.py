"""``screen``: load and validate, run every applicable rule in DuckDB, score, explain."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from safepath.finance.engine import reference
from safepath.finance.engine.loading import Source, load_inputs, load_mapping
from safepath.finance.engine.money import rates_to_base
from safepath.finance.engine.rules import effective_parameters, load_rules, render
from safepath.finance.engine.scoring import build_alert, load_typologies, suppress_repeats
from safepath.finance.engine.types import (
    Alert,
    InputError,
    Problem,
    Rule,
    RuleHit,
    ScreenResult,
    SkippedRule,
)

Period = tuple[date, date] | str | None
ENGINES = ("duckdb", "spark")
Progress = Callable[[str], None]


def _periods(period: Period, span: tuple[date, date]) -> Callable[[date], tuple[date, date] | None]:
    """Which reporting period a transaction date falls in (None: outside the period asked)."""
    if period is None:
        return lambda _d: span
    if period == "month":

        def month(d: date) -> tuple[date, date]:
            start = d.replace(day=1)
            nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            return start, date.fromordinal(nxt.toordinal() - 1)

        return month
    if isinstance(period, tuple):
        start, end = period
        return lambda d: (start, end) if start <= d <= end else None
    raise InputError([Problem("period", None, "period", "use none, 'month' or (start, end)")])


def parse_period(text: str | None) -> Period:
    """CLI form: empty (whole span), ``month``, or ``YYYY-MM-DD..YYYY-MM-DD``."""
    if not text:
        return None
    if text == "month":
        return "month"
    try:
        start, end = (date.fromisoformat(p) for p in text.split("..", 1))
    except ValueError as error:
        raise InputError(
            [Problem("--period", None, "period", "use month or YYYY-MM-DD..YYYY-MM-DD")]
        ) from error
    return start, end


def _connect(
    threads: int | None, memory_limit: str | None, spill_dir: Path | str | None
) -> duckdb.DuckDBPyConnection:
    """In memory by default; with ``spill_dir``, a throw-away database file there, so DuckDB
    compresses the tables and keeps within ``memory_limit`` at national volumes."""
    if spill_dir is None:
        con = duckdb.connect(":memory:")
    else:
        handle, name = tempfile.mkstemp(suffix=".duckdb", dir=spill_dir)
        os.close(handle)
        Path(name).unlink()
        con = duckdb.connect(name)
        con.execute("SET temp_directory = ?", [str(Path(name).with_suffix(".tmp"))])
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute("SET memory_limit = ?", [memory_limit])
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def screen(
    transactions: Source,
    customers: Source,
    *,
    rules_dir: Path | str | None = None,
    mapping: Any = None,
    base_currency: str = "USD",
    rates: dict[str, Any] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    period: Period = None,
    threshold: int | None = None,
    previous_alerts: Iterable[Alert] = (),
    rule_ids: Iterable[str] | None = None,
    progress: Progress | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
    spill_dir: Path | str | None = None,
    engine: str = "duckdb",
) -> ScreenResult:
    """Screen transactions and customers; raise InputError (first 50 problems) on bad input.

    ``params`` overrides rule parameters (``{"HT-01": {"min_count": 4}}``); ``period`` is None
    (one period: the data's span), ``"month"`` or ``(start, end)``; ``previous_alerts``
    suppresses repeats whose evidence an earlier alert already covered. ``engine="spark"``
    runs the rules on Spark (``spark.py``): same hits, for the day the data outgrows DuckDB.
    """
    if engine not in ENGINES:
        raise InputError([Problem("engine", None, "engine", f"use {' or '.join(ENGINES)}")])
    rules = load_rules(Path(rules_dir) if rules_dir else None)
    if rule_ids is not None:
        wanted = set(rule_ids)
        rules = [r for r in rules if r.id in wanted]
    unknown = set(params or {}) - {r.id for r in rules}
    if unknown:
        raise InputError([Problem("params", None, rid, "unknown rule") for rid in sorted(unknown)])
    config = load_typologies(Path(rules_dir) if rules_dir else None)
    effective = {r.id: effective_parameters(r, (params or {}).get(r.id)) for r in rules}
    try:
        base_rates = rates_to_base(rates, base_currency)
    except ValueError as error:
        raise InputError([Problem("rates", None, "currency", str(error))]) from error
    con = _connect(threads, memory_limit, spill_dir)
    try:
        if progress:
            progress("load")
        loaded = load_inputs(
            con, transactions, customers, mapping=load_mapping(mapping), base_rates=base_rates
        )
        runnable, skipped = _split(rules, loaded.present_fields)
        if loaded.transactions == 0:
            return ScreenResult([], skipped, [r.id for r in runnable], [], 0, loaded.customers)
        reference.install(con)
        con.execute("CREATE TEMP TABLE hits(rule_id VARCHAR, customer_id VARCHAR, txn_id VARCHAR)")
        if engine == "spark":
            _spark_hits(con, runnable, effective, progress)
        for rule in runnable if engine == "duckdb" else ():
            if progress:
                progress(rule.id)
            sql = render(rule, effective[rule.id])
            con.execute(
                f"INSERT INTO hits SELECT '{rule.id}', customer_id, txn_id FROM ({sql}) AS r"  # noqa: S608
            )
        alerts = _alerts(con, runnable, effective, config, period, threshold, base_currency)
        kept, suppressed = suppress_repeats(alerts, previous_alerts)
        return ScreenResult(
            kept,
            skipped,
            [r.id for r in runnable],
            suppressed,
            loaded.transactions,
            loaded.customers,
        )
    finally:
        _close(con)


def prepare(
    transactions: Source,
    customers: Source,
    out_dir: Path,
    *,
    mapping: Any = None,
    base_currency: str = "USD",
    rates: dict[str, Any] | None = None,
    spill_dir: Path | str | None = None,
) -> dict[str, Any]:
    """Load and validate as ``screen`` does, then write the rule tables as parquet for Spark.

    Returns the counts, the fields present and the rules those fields allow (a cluster job
    runs those; ``finance.engine.spark.register_prepared`` reads the files back).
    """
    from safepath.finance.engine import spark

    try:
        base_rates = rates_to_base(rates, base_currency)
    except ValueError as error:
        raise InputError([Problem("rates", None, "currency", str(error))]) from error
    con = _connect(None, None, spill_dir)
    try:
        loaded = load_inputs(
            con, transactions, customers, mapping=load_mapping(mapping), base_rates=base_rates
        )
        reference.install(con)
        written = spark.export_prepared(con, Path(out_dir))
        runnable, skipped = _split(load_rules(), loaded.present_fields)
    finally:
        _close(con)
    return {
        "transactions": loaded.transactions,
        "customers": loaded.customers,
        "tables": {name: str(path) for name, path in written.items()},
        "rules": [r.id for r in runnable],
        "skipped": [s.id for s in skipped],
        "base_currency": base_currency.upper(),
    }


def _spark_hits(
    con: duckdb.DuckDBPyConnection,
    rules: list[Rule],
    effective: dict[str, dict[str, Any]],
    progress: Progress | None,
) -> None:
    """Run ``rules`` on Spark over DuckDB's prepared tables; their hits into ``hits``."""
    from safepath.core import spark as spark_session
    from safepath.finance.engine import spark

    session = spark_session.session()
    spark.publish(con, session)
    found = spark.run_rules(session, rules, effective, progress=progress)
    con.register("spark_hits", found)
    con.execute("INSERT INTO hits SELECT rule_id, customer_id, txn_id FROM spark_hits")
    con.unregister("spark_hits")


def _close(con: duckdb.DuckDBPyConnection) -> None:
    files = [
        row[0]
        for row in con.execute(
            "SELECT path FROM duckdb_databases() WHERE path IS NOT NULL"
        ).fetchall()
    ]
    con.close()
    for name in files:
        for leftover in (Path(name), Path(name + ".wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(Path(name).with_suffix(".tmp"), ignore_errors=True)


def _split(rules: list[Rule], present: set[str]) -> tuple[list[Rule], list[SkippedRule]]:
    runnable: list[Rule] = []
    skipped: list[SkippedRule] = []
    for rule in rules:
        missing = tuple(f for f in rule.required_fields if f not in present)
        if missing:
            skipped.append(SkippedRule(rule.id, missing))
        else:
            runnable.append(rule)
    return runnable, skipped


def _alerts(
    con: duckdb.DuckDBPyConnection,
    rules: list[Rule],
    effective: dict[str, dict[str, Any]],
    config: Any,
    period: Period,
    threshold: int | None,
    base_currency: str,
) -> list[Alert]:
    span_row = con.execute("SELECT min(ts)::DATE, max(ts)::DATE FROM txn").fetchall()[0]
    assert span_row is not None  # noqa: S101 - txn is non-empty here
    bucket_of = _periods(period, (span_row[0], span_row[1]))
    rows = con.execute(
        "SELECT h.rule_id, h.customer_id, h.txn_id, t.ts::DATE, t.amount_base FROM "
        "(SELECT DISTINCT rule_id, customer_id, txn_id FROM hits) h "
        "LEFT JOIN txn t ON t.txn_id = h.txn_id ORDER BY h.customer_id, t.ts, h.txn_id"
    ).fetchall()
    by_id = {r.id: r for r in rules}
    # (customer, period) -> rule -> evidence ids; customer-level hits wait for a period.
    found: dict[tuple[str, tuple[date, date]], dict[str, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    amounts: dict[tuple[str, tuple[date, date]], dict[str, Decimal]] = defaultdict(dict)
    customer_level: dict[str, set[str]] = defaultdict(set)
    for rule_id, customer_id, txn_id, day, amount in rows:
        if txn_id is None or day is None:
            customer_level[customer_id].add(rule_id)
            continue
        bucket = bucket_of(day)
        if bucket is None:
            continue
        found[(customer_id, bucket)][rule_id].append(txn_id)
        amounts[(customer_id, bucket)][txn_id] = amount
    for customer_id, rule_ids in customer_level.items():
        keys = [k for k in found if k[0] == customer_id] or (
            [(customer_id, (span_row[0], span_row[1]))] if period is None else []
        )
        for key in keys:
            for rule_id in rule_ids:
                found[key].setdefault(rule_id, [])
    memberships = {r.id: r.typologies or (r.typology,) for r in rules}
    limit = config.threshold if threshold is None else threshold
    alerts: list[Alert] = []
    for (customer_id, bucket), per_rule in sorted(found.items()):
        hits = [
            RuleHit(
                rule_id=rid,
                title=by_id[rid].title,
                typology=by_id[rid].typology,
                weight=by_id[rid].weight,
                evidence_txn_ids=tuple(dict.fromkeys(ids)),
                parameters=effective[rid],
                source=by_id[rid].source,
            )
            for rid, ids in sorted(per_rule.items())
        ]
        alert = build_alert(
            customer_id=customer_id,
            period=bucket,
            hits=hits,
            memberships=memberships,
            config=config,
            threshold=limit,
            total_amount_base=sum(amounts[(customer_id, bucket)].values(), Decimal("0")),
            base_currency=base_currency.upper(),
        )
        if alert is not None:
            alerts.append(alert)
    alerts.sort(key=lambda a: (-a.score, a.customer_id, a.period_start))
    return alerts
