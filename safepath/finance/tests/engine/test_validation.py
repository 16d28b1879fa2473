"""Bad input is reported by file, row and field (first 50 problems); empty input is no alert."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from safepath.finance.engine import InputError, screen
from safepath.finance.engine.loading import load_mapping
from safepath.finance.tests.engine.builders import customer, frames, tx

HEADER = "txn_id,ts_utc,customer_id,amount,currency,direction,channel,cp_country\n"


def _csv(tmp_path: Path, body: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _customers(tmp_path: Path) -> Path:
    path = tmp_path / "c.csv"
    path.write_text("customer_id,customer_type\nC1,individual\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("T1,not-a-time,C1,10.00,USD,out,wire,US", "ts_utc", "not an ISO 8601 timestamp"),
        ("T1,2025-01-01T10:00:00Z,C1,ten,USD,out,wire,US", "amount", "not a decimal number"),
        ("T1,2025-01-01T10:00:00Z,C1,10.00,XYZ,out,wire,US", "currency", "unknown currency code"),
        (
            "T1,2025-01-01T10:00:00Z,C1,10.00,USD,out,wire,ZZ",
            "cp_country",
            "unknown ISO 3166 alpha-2 country code",
        ),
        ("T1,2025-01-01T10:00:00Z,C1,10.00,USD,sideways,wire,US", "direction", "must be in or out"),
        ("T1,2025-01-01T10:00:00Z,C1,10.00,USD,out,pigeon,US", "channel", "unknown channel"),
        (
            "T1,2025-01-01T10:00:00Z,C9,10.00,USD,out,wire,US",
            "customer_id",
            "customer not in the customers file",
        ),
    ],
)
def test_bad_value_names_file_row_and_field(
    tmp_path: Path, line: str, field: str, message: str
) -> None:
    good = "T0,2025-01-01T09:00:00Z,C1,5.00,USD,in,ach,US\n"
    path = _csv(tmp_path, good + line + "\n")
    with pytest.raises(InputError) as caught:
        screen(path, _customers(tmp_path))
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.field, problem.message) == (
        str(path),
        3,
        field,
        message,
    )


def test_duplicate_transaction_id_points_at_the_second_row(tmp_path: Path) -> None:
    row = "T1,2025-01-01T10:00:00Z,C1,10.00,USD,out,wire,US\n"
    path = _csv(tmp_path, row + row)
    with pytest.raises(InputError) as caught:
        screen(path, _customers(tmp_path))
    assert [(p.row, p.field, p.message) for p in caught.value.problems] == [
        (3, "txn_id", "duplicate transaction id")
    ]


def test_missing_required_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("txn_id,ts_utc,customer_id,amount,direction,channel\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        screen(path, _customers(tmp_path))
    assert [(p.row, p.field, p.message) for p in caught.value.problems] == [
        (None, "currency", "required column is missing")
    ]


def test_at_most_fifty_problems(tmp_path: Path) -> None:
    body = "".join(f"T{i},bad,C1,10,USD,out,wire,US\n" for i in range(80))
    with pytest.raises(InputError) as caught:
        screen(_csv(tmp_path, body), _customers(tmp_path))
    assert len(caught.value.problems) == 50
    assert caught.value.problems[0].row == 2


def test_empty_inputs_give_an_empty_result(tmp_path: Path) -> None:
    result = screen(_csv(tmp_path, ""), _customers(tmp_path))
    assert (result.alerts, result.transactions) == ([], 0)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert screen(empty, empty).alerts == []


def test_offsets_are_converted_to_utc_and_amounts_to_base_currency() -> None:
    txns = [
        tx(
            day=i,
            channel="card_cnp",
            amount="10.00",
            mcc="7311",
            merchant_name="Classified Ads Online",
        )
        for i in range(3)
    ]
    txns[0]["ts_utc"] = "2025-03-13T02:00:00+05:00"
    txns[1]["currency"] = "EUR"
    t, c = frames(txns)
    result = screen(t, c, rule_ids=["HT-01"], threshold=1)
    [alert] = result.alerts
    assert str(alert.period_start) == "2025-03-12"  # 02:00 at +05:00 is the previous day in UTC
    assert str(alert.total_amount_base) == "30.80"  # 10 + 10.80 (EUR at 1.08) + 10


def test_column_mapping_renames_and_translates_values(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_text(
        "Ref,Booked,Client,Sum,Ccy,DC,Kind\nR1,2025-03-13T10:00:00Z,C1,25.50,EUR,D,W\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "transactions:\n  columns: {txn_id: Ref, ts_utc: Booked, customer_id: Client, amount: Sum, "
        "currency: Ccy, direction: DC, channel: Kind}\n  values: {direction: {D: out, C: in}, "
        "channel: {W: wire}}\n",
        encoding="utf-8",
    )
    result = screen(path, pd.DataFrame([customer("C1")]), mapping=mapping)
    assert result.transactions == 1


def test_mapping_rejects_unknown_canonical_names(tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("transactions:\n  columns: {txn_number: Ref}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_mapping(mapping)
    assert caught.value.problems[0].field == "transactions.columns.txn_number"


def test_rule_missing_required_field_is_skipped_not_failed() -> None:
    t, c = frames([tx(day=0)])
    result = screen(t, c)
    skipped = {s.id: s.missing_fields for s in result.skipped_rules}
    assert skipped["CSE-09"] == ("crypto_tag",)
    assert "CSE-09" not in result.rules_run
    assert "HT-08" in result.rules_run
