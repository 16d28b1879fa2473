"""HT-15, structuring: the band just below a reporting threshold, and nothing at or above it.

FinCEN's currency transaction report is due at USD 10,000 in cash, so cash deposits of
USD 8,000 (band 0.8) up to 9,999.99 are the structuring band; a deposit of 10,000 or more is
reported anyway and is not structuring. Wires and remittances use the USD 3,000 recordkeeping
threshold the same way. Each customer below is one boundary; one screening run covers them all.
"""

from __future__ import annotations

from typing import Any

import pytest

from safepath.finance.engine import screen
from safepath.finance.tests.engine.builders import frames, tx

CASH = {"channel": "cash_branch", "direction": "in"}
WIRE = {"channel": "wire", "direction": "out"}


def _rows(
    customer: str, amount: str, days: tuple[float, ...] = (0, 2, 4), **kind: str
) -> list[Any]:
    return [tx(customer, day=d, amount=amount, **kind) for d in days]


def _case(*groups: tuple[list[dict[str, Any]], bool]) -> tuple[list[Any], set[str]]:
    """(every transaction, the ids HT-15 must give as evidence): each group says if it is."""
    rows = [row for group, _ in groups for row in group]
    return rows, {row["txn_id"] for group, evidence in groups if evidence for row in group}


def _all(rows: list[dict[str, Any]]) -> tuple[list[Any], set[str]]:
    return _case((rows, True))


def _none(rows: list[dict[str, Any]]) -> tuple[list[Any], set[str]]:
    return _case((rows, False))


# customer -> (transactions, the evidence HT-15 gives: empty when it must stay silent)
CASES: dict[str, tuple[list[dict[str, Any]], set[str]]] = {
    "cash-just-below": _all(_rows("cash-just-below", "9999.99", **CASH)),
    "cash-at-threshold": _none(_rows("cash-at-threshold", "10000.00", **CASH)),
    "cash-far-above": _none(_rows("cash-far-above", "25000.00", **CASH)),
    "cash-band-floor": _all(_rows("cash-band-floor", "8000.00", **CASH)),
    "cash-under-band": _none(_rows("cash-under-band", "7999.99", **CASH)),
    "cash-two-only": _none(_rows("cash-two-only", "9500.00", (0, 2), **CASH)),
    "cash-window-edge": _all(_rows("cash-window-edge", "9500.00", (0, 7, 14), **CASH)),
    "cash-window-past": _none(_rows("cash-window-past", "9500.00", (0, 7, 15), **CASH)),
    "cash-withdrawn": _none(
        _rows("cash-withdrawn", "9500.00", channel="cash_branch", direction="out")
    ),
    "wire-just-below": _all(_rows("wire-just-below", "2999.99", **WIRE)),
    "wire-at-threshold": _none(_rows("wire-at-threshold", "3000.00", **WIRE)),
    "wire-band-floor": _all(_rows("wire-band-floor", "2400.00", **WIRE)),
    "wire-under-band": _none(_rows("wire-under-band", "2399.99", **WIRE)),
    "wire-received": _none(_rows("wire-received", "2999.99", channel="wire", direction="in")),
    "cash-and-wire-apart": _none(
        _rows("cash-and-wire-apart", "9500.00", (0, 1), **CASH)
        + _rows("cash-and-wire-apart", "2900.00", (2,), **WIRE)
    ),
    # the evidence is the structured deposits of one kind, not a wire beside them
    "wire-beside-cash": _case(
        (_rows("wire-beside-cash", "2900.00", (0,), **WIRE), False),
        (_rows("wire-beside-cash", "9500.00", (1, 2, 3), **CASH), True),
    ),
    # nor a deposit 15 days before the last of three (outside the 14-day window)
    "deposit-before-window": _case(
        (_rows("deposit-before-window", "9500.00", (0,), **CASH), False),
        (_rows("deposit-before-window", "9500.00", (14.8, 14.9, 15), **CASH), True),
    ),
}


@pytest.fixture(scope="module")
def evidence() -> dict[str, set[str]]:
    rows = [row for case_rows, _ in CASES.values() for row in case_rows]
    txns, customers = frames(rows)
    result = screen(txns, customers, rule_ids=["HT-15"], threshold=1)
    return {
        alert.customer_id: set(hit.evidence_txn_ids)
        for alert in result.alerts
        for hit in alert.hits
        if hit.rule_id == "HT-15"
    }


@pytest.mark.parametrize("name", list(CASES))
def test_structuring_band_boundaries(name: str, evidence: dict[str, set[str]]) -> None:
    _, expected = CASES[name]
    assert evidence.get(name, set()) == expected
