# ruff: noqa: S608 - SQL assembled from our own constants and the caller's file path only
"""Adapters from public AML datasets' layouts (AMLworld, SAML-D) to the canonical layout.

Each source row is one transfer between two accounts, so it becomes two canonical rows: the
sender's debit and the receiver's credit. AMLworld has no transaction id; we hash the row
(research notes s3.6). The datasets' laundering labels go to a separate ``labels`` file.
Conversion runs in DuckDB and writes Parquet, so the 5-32 M-row files convert without pandas.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pycountry

AMLWORLD_COLUMNS = (
    "ts",
    "from_bank",
    "from_acct",
    "to_bank",
    "to_acct",
    "amount_received",
    "receiving_currency",
    "amount_paid",
    "payment_currency",
    "payment_format",
    "is_laundering",
)
AMLWORLD_CURRENCIES = {
    "US Dollar": "USD",
    "Euro": "EUR",
    "Yuan": "CNY",
    "Yen": "JPY",
    "UK Pound": "GBP",
    "Rupee": "INR",
    "Ruble": "RUB",
    "Canadian Dollar": "CAD",
    "Australian Dollar": "AUD",
    "Swiss Franc": "CHF",
    "Mexican Peso": "MXN",
    "Brazil Real": "BRL",
    "Shekel": "ILS",
    "Saudi Riyal": "SAR",
    "Bitcoin": "BTC",
}
AMLWORLD_FORMATS = {
    "ACH": "ach",
    "Wire": "wire",
    "Cheque": "cheque",
    "Credit Card": "card_cnp",
    "Cash": "cash_branch",
    "Reinvestment": "ach",
    "Bitcoin": "crypto",
}
SAMLD_COLUMNS = (
    "time",
    "date",
    "sender",
    "receiver",
    "amount",
    "payment_currency",
    "received_currency",
    "sender_location",
    "receiver_location",
    "payment_type",
    "is_laundering",
    "laundering_type",
)
SAMLD_CURRENCIES = {
    "UK pounds": "GBP",
    "Euro": "EUR",
    "US dollar": "USD",
    "Dirham": "AED",
    "Naira": "NGN",
    "Indian rupee": "INR",
    "Mexican Peso": "MXN",
    "Pakistani rupee": "PKR",
    "Turkish lira": "TRY",
    "Swiss franc": "CHF",
    "Yen": "JPY",
    "Albanian lek": "ALL",
    "Moroccan dirham": "MAD",
}
SAMLD_TYPES = {
    "Cash Deposit": "cash_branch",
    "Cash Withdrawal": "cash_atm",
    "Cross-border": "wire",
    "Credit card": "card_cnp",
    "Debit card": "card_pos",
    "ACH": "ach",
    "Cheque": "cheque",
}
LOCATION_ALIASES = {"UK": "GB", "UAE": "AE", "USA": "US", "Turkey": "TR"}


def _case(column: str, table: dict[str, str]) -> str:
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in table.items())
    return f"(CASE {column} {whens} ELSE {column} END)"


def _country(name: str) -> str:
    if name in LOCATION_ALIASES:
        return LOCATION_ALIASES[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return name


def _write(con: duckdb.DuckDBPyConnection, out_dir: Path, prefix: str) -> tuple[Path, Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = (
        out_dir / f"{prefix}_transactions.parquet",
        out_dir / f"{prefix}_customers.parquet",
        out_dir / f"{prefix}_labels.parquet",
    )
    con.execute(
        f"COPY (SELECT * EXCLUDE (is_laundering, laundering_type) FROM canon) TO '{paths[0]}' "
        "(FORMAT parquet)"
    )
    con.execute(
        f"COPY (SELECT DISTINCT customer_id, NULL::VARCHAR AS customer_type FROM canon) TO "
        f"'{paths[1]}' (FORMAT parquet)"
    )
    con.execute(
        f"COPY (SELECT txn_id, customer_id, is_laundering, laundering_type FROM canon) TO "
        f"'{paths[2]}' (FORMAT parquet)"
    )
    return paths


def convert_amlworld(source: Path | str, out_dir: Path | str) -> tuple[Path, Path, Path]:
    """``*_Trans.csv`` -> (transactions, customers, labels) Parquet in ``out_dir``."""
    con = duckdb.connect(":memory:")
    names = str(list(AMLWORLD_COLUMNS))
    con.execute(
        f"CREATE VIEW src AS SELECT * FROM read_csv('{source}', header=true, all_varchar=true, "
        f"names={names})"
    )
    ts = "strftime(strptime(ts, '%Y/%m/%d %H:%M'), '%Y-%m-%dT%H:%M:%SZ')"
    key = (
        "md5(concat_ws('|', ts, from_bank, from_acct, to_bank, to_acct, amount_paid, "
        "payment_currency, payment_format))"
    )
    common = (
        f"{ts} AS ts_utc, {_case('payment_format', AMLWORLD_FORMATS)} AS channel, "
        "is_laundering, NULL::VARCHAR AS laundering_type"
    )
    con.execute(
        "CREATE TABLE canon AS "
        f"SELECT 'AW' || {key} || '-o' AS txn_id, from_bank || ':' || from_acct AS customer_id, "
        f"from_bank || ':' || from_acct AS account_id, amount_paid AS amount, "
        f"{_case('payment_currency', AMLWORLD_CURRENCIES)} AS currency, 'out' AS direction, "
        f"to_bank || ':' || to_acct AS cp_account, {common} FROM src "
        "UNION ALL "
        f"SELECT 'AW' || {key} || '-i', to_bank || ':' || to_acct, to_bank || ':' || to_acct, "
        "amount_received, "
        f"{_case('receiving_currency', AMLWORLD_CURRENCIES)}, 'in', from_bank || ':' || from_acct, "
        f"{common} FROM src"
    )
    return _write(con, Path(out_dir), "amlworld")


def convert_samld(source: Path | str, out_dir: Path | str) -> tuple[Path, Path, Path]:
    """SAML-D CSV -> (transactions, customers, labels) Parquet in ``out_dir``."""
    con = duckdb.connect(":memory:")
    names = str(list(SAMLD_COLUMNS))
    con.execute(
        f"CREATE VIEW src AS SELECT *, row_number() OVER () AS n FROM read_csv('{source}', "
        f"header=true, all_varchar=true, names={names})"
    )
    locations = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT sender_location FROM src UNION SELECT DISTINCT receiver_location FROM "
            "src"
        ).fetchall()
        if r[0]
    ]
    countries = {name: _country(name) for name in locations}
    ts = "strftime(CAST(date || ' ' || time AS TIMESTAMP), '%Y-%m-%dT%H:%M:%SZ')"
    common = (
        f"{ts} AS ts_utc, amount, {_case('payment_currency', SAMLD_CURRENCIES)} AS currency, "
        f"{_case('payment_type', SAMLD_TYPES)} AS channel, is_laundering, laundering_type"
    )
    con.execute(
        "CREATE TABLE canon AS "
        f"SELECT 'SD' || n || '-o' AS txn_id, sender AS customer_id, sender AS account_id, 'out' "
        "AS direction, "
        f"receiver AS cp_account, {_case('receiver_location', countries)} AS cp_country, {common} "
        "FROM src "
        "UNION ALL "
        f"SELECT 'SD' || n || '-i', receiver, receiver, 'in', sender, "
        f"{_case('sender_location', countries)}, {common} FROM src"
    )
    return _write(con, Path(out_dir), "samld")
