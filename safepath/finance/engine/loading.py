# ruff: noqa: S608 - SQL assembled from canonical names and validated literals, never user text
"""Read transactions and customers (CSV, Parquet, Arrow, pandas) into DuckDB, validated.

Validation is vectorised SQL so 10 M rows check in seconds. A problem names the file, the row
(the line number in a CSV, counting the header as line 1; the 1-based row elsewhere) and the
field. Nothing is screened unless the input is clean, so a bad file never yields alerts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import yaml

from safepath.finance.engine import schema
from safepath.finance.engine.types import MAX_PROBLEMS, InputError, Problem

Source = Any  # str | Path | pyarrow.Table | pandas.DataFrame
TS_TYPES = ("TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S", "DATE")
NUMERIC_PREFIXES = ("DECIMAL", "DOUBLE", "FLOAT", "INTEGER", "BIGINT", "HUGEINT", "SMALLINT")
LOWERED = {"direction", "channel", "customer_type"}
UPPERED = {"currency", "cp_country", "residence_country", "nationality"}


@dataclass(frozen=True)
class TableMapping:
    """How one of a bank's files maps onto the canonical layout."""

    columns: dict[str, str] = field(default_factory=dict)  # canonical -> the bank's column
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # canonical -> {bank: ours}
    defaults: dict[str, str] = field(default_factory=dict)  # canonical -> constant


@dataclass(frozen=True)
class ColumnMapping:
    transactions: TableMapping = field(default_factory=TableMapping)
    customers: TableMapping = field(default_factory=TableMapping)


def load_mapping(path: Path | str | dict[str, Any] | ColumnMapping | None) -> ColumnMapping:
    """A column-mapping YAML: ``transactions: {columns: {...}, values: {...}, defaults: {...}}``."""
    if path is None:
        return ColumnMapping()
    if isinstance(path, ColumnMapping):
        return path
    label = "mapping" if isinstance(path, dict) else str(path)
    data = path if isinstance(path, dict) else yaml.safe_load(Path(path).read_text("utf-8"))
    problems: list[Problem] = []
    tables: dict[str, TableMapping] = {}
    known = {"transactions": schema.TRANSACTION_COLUMNS, "customers": schema.CUSTOMER_COLUMNS}
    for kind, canonical in known.items():
        part = (data or {}).get(kind) or {}
        for section in ("columns", "values", "defaults"):
            for name in part.get(section) or {}:
                if name not in canonical:
                    problems.append(
                        Problem(label, None, f"{kind}.{section}.{name}", "not a canonical column")
                    )
        tables[kind] = TableMapping(
            columns={str(k): str(v) for k, v in (part.get("columns") or {}).items()},
            values={
                str(k): {str(a): str(b) for a, b in v.items()}
                for k, v in (part.get("values") or {}).items()
            },
            defaults={str(k): str(v) for k, v in (part.get("defaults") or {}).items()},
        )
    if problems:
        raise InputError(problems)
    return ColumnMapping(tables["transactions"], tables["customers"])


@dataclass
class Loaded:
    """What was loaded: row counts, and which optional fields carry data (rules need them)."""

    transactions: int
    customers: int
    present_fields: set[str]


def _label(source: Source, kind: str) -> str:
    return str(source) if isinstance(source, str | Path) else f"<{kind}>"


def _register(con: duckdb.DuckDBPyConnection, source: Source, kind: str) -> tuple[str | None, bool]:
    """Expose the source as view ``src_<kind>`` with a ``_row`` column; True if it has no rows.

    No view at all (None) for a missing source or a zero-byte file: there is no header to check."""
    view = f"src_{kind}"
    if source is None:
        return None, True
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.exists():
            raise InputError([Problem(str(path), None, None, "file not found")])
        if path.stat().st_size == 0:
            return None, True
        literal = str(path).replace("'", "''")
        if path.suffix.lower() in (".parquet", ".pq"):
            con.execute(
                f"CREATE OR REPLACE VIEW {view} AS SELECT * EXCLUDE (file_row_number), "
                f"file_row_number + 1 AS _row FROM read_parquet('{literal}', file_row_number=true)"
            )
        else:
            con.execute(
                f"CREATE OR REPLACE VIEW {view} AS SELECT *, row_number() OVER () + 1 AS _row "
                f"FROM read_csv('{literal}', all_varchar=true, header=true)"
            )
    else:
        con.register(f"in_{kind}", source)
        con.execute(
            f"CREATE OR REPLACE VIEW {view} AS SELECT *, row_number() OVER () AS _row FROM "
            f"in_{kind}"
        )
    count = con.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0]
    return view, count == 0


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text_expr(canonical: str, source_col: str | None, mapping: TableMapping) -> str:
    """The canonical column as trimmed text, value map and default applied."""
    expr = (
        f"NULLIF(TRIM(CAST({_quote(source_col)} AS VARCHAR)), '')"
        if source_col
        else "NULL::VARCHAR"
    )
    if canonical in LOWERED:
        expr = f"lower({expr})"
    if canonical in UPPERED:
        expr = f"upper({expr})"
    values = mapping.values.get(canonical)
    if values:
        cases = " ".join(
            f"WHEN {_lit(k.lower() if canonical in LOWERED else k)} THEN {_lit(v)}"
            for k, v in values.items()
        )
        expr = f"(CASE {expr} {cases} ELSE {expr} END)"
    if canonical in mapping.defaults:
        expr = f"coalesce({expr}, {_lit(mapping.defaults[canonical])})"
    return expr


def _columns(con: duckdb.DuckDBPyConnection, view: str) -> dict[str, str]:
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE {view}").fetchall()}


def _source_columns(
    columns: dict[str, str], canonical: tuple[str, ...], mapping: TableMapping
) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    lowered = {name.lower(): name for name in columns}
    for name in canonical:
        wanted = mapping.columns.get(name, name)
        found[name] = wanted if wanted in columns else lowered.get(wanted.lower())
    return found


def _missing_required(
    label: str, found: dict[str, str | None], required: tuple[str, ...], mapping: TableMapping
) -> list[Problem]:
    return [
        Problem(label, None, name, "required column is missing")
        for name in required
        if found[name] is None and name not in mapping.defaults
    ]


def _problems(
    con: duckdb.DuckDBPyConnection, label: str, checks: list[tuple[str, str, str]], table: str
) -> list[Problem]:
    """Run (field, SQL condition, message) checks in ONE scan; the first 50 problems by row."""
    if not checks:
        return []
    flags = ", ".join(
        f"CASE WHEN coalesce(({cond}), false) THEN {i} END"
        for i, (_f, cond, _m) in enumerate(checks)
    )
    where = " OR ".join(f"coalesce(({cond}), false)" for _f, cond, _m in checks)
    sql = (
        f"SELECT _row, list_filter([{flags}], lambda x: x IS NOT NULL) FROM {table} "
        f"WHERE {where} ORDER BY _row LIMIT {MAX_PROBLEMS}"
    )
    problems: list[Problem] = []
    for row, failed in con.execute(sql).fetchall():
        for i in sorted(failed, key=lambda i: checks[i][0]):
            problems.append(Problem(label, int(row), checks[i][0], checks[i][2]))
    return problems[:MAX_PROBLEMS]


def _create_reference_tables(
    con: duckdb.DuckDBPyConnection, base_rates: dict[str, Decimal]
) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE iso_country AS SELECT unnest(?::VARCHAR[]) AS code",
        [sorted(schema.country_codes())],
    )
    con.execute(
        "CREATE OR REPLACE TABLE iso_currency AS SELECT unnest(?::VARCHAR[]) AS code",
        [sorted(schema.currency_codes())],
    )
    con.execute(
        "CREATE OR REPLACE TABLE fx_rate AS SELECT unnest(?::VARCHAR[]) AS currency, "
        "CAST(unnest(?::VARCHAR[]) AS DECIMAL(24,12)) AS rate",
        [list(base_rates), [str(v) for v in base_rates.values()]],
    )


def _empty_tables(con: duckdb.DuckDBPyConnection, which: str) -> None:
    if which == "txn":
        con.execute(
            "CREATE OR REPLACE TABLE txn AS SELECT NULL::VARCHAR txn_id, NULL::TIMESTAMP ts, "
            "NULL::BIGINT ts_epoch, NULL::INTEGER local_hour, NULL::VARCHAR customer_id, "
            "NULL::VARCHAR account_id, NULL::DECIMAL(24,6) amount, NULL::DECIMAL(24,2) "
            "amount_base, "
            + ", ".join(
                f"NULL::VARCHAR {c}"
                for c in schema.TRANSACTION_COLUMNS
                if c
                not in {
                    "txn_id",
                    "ts_utc",
                    "customer_id",
                    "account_id",
                    "amount",
                    "ts_local",
                    "passenger_count",
                }
            )
            + ", NULL::INTEGER passenger_count WHERE false"
        )
    else:
        con.execute(
            "CREATE OR REPLACE TABLE cust AS SELECT "
            + ", ".join(
                "NULL::DATE open_date"
                if c == "open_date"
                else "NULL::INTEGER birth_year"
                if c == "birth_year"
                else "NULL::DECIMAL(24,2) expected_monthly_volume"
                if c == "expected_monthly_volume"
                else f"NULL::VARCHAR {c}"
                for c in schema.CUSTOMER_COLUMNS
            )
            + " WHERE false"
        )


def _ts_expr(source_type: str | None, text: str) -> str:
    if source_type and source_type.startswith("TIMESTAMP WITH TIME ZONE"):
        return "timezone('UTC', {col})"
    if source_type and source_type.startswith(TS_TYPES):
        return "CAST({col} AS TIMESTAMP)"
    return f"timezone('UTC', TRY_CAST({text} AS TIMESTAMPTZ))"


def load_customers(
    con: duckdb.DuckDBPyConnection, source: Source, mapping: TableMapping
) -> tuple[int, set[str]]:
    label = _label(source, "customers")
    view, empty = _register(con, source, "customers")
    if view is None:
        _empty_tables(con, "cust")
        return 0, set()
    found = _source_columns(_columns(con, view), schema.CUSTOMER_COLUMNS, mapping)
    missing = _missing_required(label, found, schema.CUSTOMER_REQUIRED, mapping)
    if missing:
        raise InputError(missing)
    if empty:
        _empty_tables(con, "cust")
        return 0, set()
    text = {c: _text_expr(c, found[c], mapping) for c in schema.CUSTOMER_COLUMNS}
    select = ", ".join(f"{text[c]} AS {c}_raw" for c in schema.CUSTOMER_COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE stage_cust AS SELECT _row, {select} FROM {view}")
    checks = [
        ("customer_id", "customer_id_raw IS NULL", "value is required"),
        (
            "customer_type",
            f"customer_type_raw NOT IN {tuple(schema.CUSTOMER_TYPES)}",
            "must be individual or business",
        ),
        (
            "open_date",
            "open_date_raw IS NOT NULL AND TRY_CAST(open_date_raw AS DATE) IS NULL",
            "not an ISO 8601 date",
        ),
        (
            "birth_year",
            "birth_year_raw IS NOT NULL AND TRY_CAST(birth_year_raw AS INTEGER) IS NULL",
            "not a year",
        ),
        (
            "expected_monthly_volume",
            "expected_monthly_volume_raw IS NOT NULL AND TRY_CAST(expected_monthly_volume_raw AS "
            "DECIMAL(24,2)) IS NULL",
            "not a number",
        ),
        (
            "residence_country",
            "residence_country_raw NOT IN (SELECT code FROM iso_country)",
            "unknown ISO 3166 alpha-2 country code",
        ),
        (
            "nationality",
            "nationality_raw NOT IN (SELECT code FROM iso_country)",
            "unknown ISO 3166 alpha-2 country code",
        ),
        (
            "customer_id",
            "_row IN (SELECT max(_row) FROM stage_cust GROUP BY customer_id_raw HAVING count(*) > "
            "1)",
            "duplicate customer id",
        ),
    ]
    problems = _problems(con, label, checks, "stage_cust")
    if problems:
        raise InputError(problems)
    casts = {
        "open_date": "TRY_CAST(open_date_raw AS DATE)",
        "birth_year": "TRY_CAST(birth_year_raw AS INTEGER)",
        "expected_monthly_volume": "TRY_CAST(expected_monthly_volume_raw AS DECIMAL(24,2))",
    }
    cols = ", ".join(f"{casts.get(c, c + '_raw')} AS {c}" for c in schema.CUSTOMER_COLUMNS)
    con.execute(f"CREATE OR REPLACE TABLE cust AS SELECT {cols} FROM stage_cust")
    con.execute("DROP TABLE stage_cust")
    return _count(con, "cust"), _present(con, "cust", schema.CUSTOMER_COLUMNS)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def _present(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]) -> set[str]:
    names = set(_columns(con, table))
    wanted = [c for c in columns if c in names]
    if not wanted:
        return set()
    row = con.execute(
        "SELECT " + ", ".join(f"count({c}) > 0" for c in wanted) + f" FROM {table}"
    ).fetchall()[0]
    return {c for c, has in zip(wanted, row or (), strict=True) if has}


def load_transactions(
    con: duckdb.DuckDBPyConnection, source: Source, mapping: TableMapping, *, check_customers: bool
) -> tuple[int, set[str]]:
    label = _label(source, "transactions")
    view, empty = _register(con, source, "transactions")
    if view is None:
        _empty_tables(con, "txn")
        return 0, set()
    types = _columns(con, view)
    found = _source_columns(types, schema.TRANSACTION_COLUMNS, mapping)
    missing = _missing_required(label, found, schema.TRANSACTION_REQUIRED, mapping)
    if missing:
        raise InputError(missing)
    if empty:
        _empty_tables(con, "txn")
        return 0, set()
    text = {c: _text_expr(c, found[c], mapping) for c in schema.TRANSACTION_COLUMNS}
    ts_src = types.get(found["ts_utc"] or "")
    ts_raw = f"{_quote(found['ts_utc'])}" if found["ts_utc"] else "NULL"
    ts = _ts_expr(ts_src, text["ts_utc"]).format(col=ts_raw)
    local_src = types.get(found["ts_local"] or "")
    ts_local = _ts_expr(local_src, text["ts_local"]).format(
        col=_quote(found["ts_local"]) if found["ts_local"] else "NULL"
    )
    if local_src is None or not local_src.startswith(TS_TYPES):
        ts_local = f"TRY_CAST({text['ts_local']} AS TIMESTAMP)"
    amount_src = types.get(found["amount"] or "", "")
    amount = (
        f"CAST({_quote(found['amount'])} AS DECIMAL(24,6))"
        if amount_src.startswith(NUMERIC_PREFIXES) and found["amount"]
        else f"TRY_CAST({text['amount']} AS DECIMAL(24,6))"
    )
    plain = [
        c
        for c in schema.TRANSACTION_COLUMNS
        if c not in {"ts_utc", "ts_local", "amount", "passenger_count"}
    ]
    select = ", ".join(
        [f"{text[c]} AS {c}" for c in plain]
        + [
            f"{ts} AS ts",
            f"{ts_local} AS ts_local",
            f"{amount} AS amount",
            f"TRY_CAST({text['passenger_count']} AS INTEGER) AS passenger_count",
        ]
    )
    raw = []
    if not (ts_src or "").startswith((*TS_TYPES, "TIMESTAMP WITH TIME ZONE")):
        raw.append(f"{text['ts_utc']} AS ts_raw")
    if not amount_src.startswith(NUMERIC_PREFIXES):
        raw.append(f"{text['amount']} AS amount_raw")
    extra = (", " + ", ".join(raw)) if raw else ""
    # One materialisation: typed columns, base amount and the raw text of parseable fields;
    # the checks below then scan this table once.
    con.execute(
        "CREATE OR REPLACE TABLE txn AS SELECT s.*, epoch(s.ts)::BIGINT AS ts_epoch, "
        "hour(coalesce(s.ts_local, s.ts))::INTEGER AS local_hour, "
        "round(s.amount * r.rate, 2)::DECIMAL(24,2) AS amount_base "
        f"FROM (SELECT _row, {select}{extra} FROM {view}) s "
        "LEFT JOIN fx_rate r ON r.currency = s.currency"
    )
    checks = [
        ("txn_id", "txn_id IS NULL", "value is required"),
        ("customer_id", "customer_id IS NULL", "value is required"),
        (
            "ts_utc",
            "ts IS NULL" + (" AND ts_raw IS NULL" if raw and "ts_raw" in raw[0] else ""),
            "value is required",
        ),
        (
            "amount",
            "amount IS NULL"
            + (" AND amount_raw IS NULL" if any("amount_raw" in r for r in raw) else ""),
            "value is required",
        ),
        ("amount", "amount < 0", "must not be negative (direction says in or out)"),
        ("currency", "currency NOT IN (SELECT code FROM iso_currency)", "unknown currency code"),
        (
            "currency",
            "currency IN (SELECT code FROM iso_currency) AND currency NOT IN (SELECT currency FROM "
            "fx_rate)",
            "no exchange rate for this currency",
        ),
        (
            "direction",
            f"direction IS NULL OR direction NOT IN {tuple(schema.DIRECTIONS)}",
            "must be in or out",
        ),
        (
            "channel",
            f"channel IS NULL OR channel NOT IN {tuple(schema.CHANNELS)}",
            "unknown channel",
        ),
        (
            "cp_country",
            "cp_country NOT IN (SELECT code FROM iso_country)",
            "unknown ISO 3166 alpha-2 country code",
        ),
        (
            "txn_id",
            "_row IN (SELECT max(_row) FROM txn GROUP BY txn_id HAVING count(*) > 1)",
            "duplicate transaction id",
        ),
    ]
    if any("ts_raw" in r for r in raw):
        checks.append(("ts_utc", "ts IS NULL AND ts_raw IS NOT NULL", "not an ISO 8601 timestamp"))
    if any("amount_raw" in r for r in raw):
        checks.append(
            ("amount", "amount IS NULL AND amount_raw IS NOT NULL", "not a decimal number")
        )
    if check_customers:
        checks.append(
            (
                "customer_id",
                "customer_id NOT IN (SELECT customer_id FROM cust)",
                "customer not in the customers file",
            )
        )
    problems = _problems(con, label, checks, "txn")
    if problems:
        raise InputError(problems)

    present = _present(con, "txn", schema.TRANSACTION_COLUMNS)
    present |= {"ts_utc", "amount"}
    return _count(con, "txn"), present


def load_inputs(
    con: duckdb.DuckDBPyConnection,
    transactions: Source,
    customers: Source,
    *,
    mapping: ColumnMapping,
    base_rates: dict[str, Decimal],
) -> Loaded:
    """Create the validated tables ``txn`` and ``cust`` in ``con``; raise InputError if dirty."""
    con.execute("SET TimeZone = 'UTC'")
    _create_reference_tables(con, base_rates)
    n_cust, cust_fields = load_customers(con, customers, mapping.customers)
    n_txn, txn_fields = load_transactions(
        con, transactions, mapping.transactions, check_customers=n_cust > 0
    )
    return Loaded(n_txn, n_cust, cust_fields | txn_fields)
