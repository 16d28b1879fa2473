"""Fetch the rows a report needs (evidence transactions, the customer) from validated input."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb

from safepath.finance.engine.loading import Source, load_inputs, load_mapping
from safepath.finance.engine.money import rates_to_base


def fetch_rows(
    transactions: Source,
    customers: Source,
    txn_ids: Iterable[str],
    customer_ids: Iterable[str],
    *,
    mapping: Any = None,
    base_currency: str = "USD",
    rates: dict[str, Any] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(transactions, customers) as dicts, only the ids asked for, validated like ``screen``."""
    con = duckdb.connect(":memory:")
    try:
        load_inputs(
            con,
            transactions,
            customers,
            mapping=load_mapping(mapping),
            base_rates=rates_to_base(rates, base_currency),
        )
        con.execute("CREATE TEMP TABLE want_t(id VARCHAR)")
        con.executemany("INSERT INTO want_t VALUES (?)", [(i,) for i in txn_ids])
        con.execute("CREATE TEMP TABLE want_c(id VARCHAR)")
        con.executemany("INSERT INTO want_c VALUES (?)", [(i,) for i in customer_ids])
        txns = con.execute(
            "SELECT * REPLACE (strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS ts), strftime(ts, "
            "'%Y-%m-%dT%H:%M:%SZ') AS ts_utc "
            "FROM txn WHERE txn_id IN (SELECT id FROM want_t) ORDER BY ts"
        )
        names = [d[0] for d in txns.description]
        txn_rows = [dict(zip(names, row, strict=True)) for row in txns.fetchall()]
        custs = con.execute("SELECT * FROM cust WHERE customer_id IN (SELECT id FROM want_c)")
        names = [d[0] for d in custs.description]
        cust_rows = [dict(zip(names, row, strict=True)) for row in custs.fetchall()]
        return txn_rows, cust_rows
    finally:
        con.close()
