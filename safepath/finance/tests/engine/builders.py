"""Tiny canonical inputs for engine tests: transactions and customers as pandas frames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import pandas as pd

from safepath.finance.engine import schema

# 2025-03-13 is day 20160 since the epoch, a multiple of 630 = lcm(7, 14, 30, 35, 90), so
# every tumbling window the rules use starts on this day: cases on days 0-6 share one window.
BASE = datetime(2025, 3, 13, tzinfo=UTC)
_ids = count(1)


def tx(
    customer: str = "C1",
    day: float = 0,
    hour: int = 12,
    amount: Any = "100.00",
    *,
    channel: str = "card_pos",
    direction: str = "out",
    **fields: Any,
) -> dict[str, Any]:
    moment = BASE + timedelta(days=day, hours=hour)
    row = dict.fromkeys(schema.TRANSACTION_COLUMNS)
    row.update(
        {
            "txn_id": f"T{next(_ids)}",
            "ts_utc": moment.isoformat().replace("+00:00", "Z"),
            "customer_id": customer,
            "account_id": f"{customer}-01",
            "amount": str(amount),
            "currency": "USD",
            "direction": direction,
            "channel": channel,
        }
    )
    row.update({k: (None if v is None else str(v)) for k, v in fields.items()})
    return row


def customer(customer_id: str = "C1", **fields: Any) -> dict[str, Any]:
    row = {
        "customer_id": customer_id,
        "customer_type": "individual",
        "open_date": "2020-01-01",
        "occupation": "clerk",
        "residence_country": "US",
        "residence_city": "Springfield",
        "nationality": "US",
        "birth_year": "1980",
        "phone_hash": f"ph-{customer_id}",
        "email_hash": f"em-{customer_id}",
        "address_hash": f"ad-{customer_id}",
        "expected_monthly_volume": "3000",
    }
    row.update({k: str(v) for k, v in fields.items()})
    return row


def frames(
    txns: list[dict[str, Any]], customers: list[dict[str, Any]] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = sorted({t["customer_id"] for t in txns} | {c["customer_id"] for c in customers or []})
    given = {c["customer_id"]: c for c in customers or []}
    cust_rows = [given.get(i) or customer(i) for i in ids]
    tx_frame = pd.DataFrame(txns, columns=list(schema.TRANSACTION_COLUMNS), dtype=object)
    return tx_frame, pd.DataFrame(cust_rows, dtype=object)
