"""camt.053 statements and the AMLworld / SAML-D adapters produce screenable canonical data."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from safepath.finance.engine import InputError, screen
from safepath.finance.engine.adapters import convert_amlworld, convert_samld
from safepath.finance.engine.camt053 import read_camt053

FIXTURES = Path(__file__).parent / "fixtures"
CAMT = FIXTURES / "camt053_sample.xml"


def test_camt053_entries_become_canonical_rows() -> None:
    txns, customers = read_camt053(CAMT)
    rows = txns.to_dict("records")
    assert [
        (r["txn_id"], r["direction"], r["amount"], r["currency"], r["channel"]) for r in rows
    ] == [
        ("TX-1", "in", "1500.00", "EUR", "ach"),
        ("TX-2", "out", "45.00", "EUR", "wire"),
    ]
    assert rows[0]["purpose_code"] == "SALA"
    assert (rows[1]["cp_country"], rows[1]["memo"]) == ("PH", "school fees")
    assert customers["customer_id"].tolist() == ["CUST-1"]
    result = screen(txns, customers, base_currency="EUR")
    assert result.transactions == 2


def test_camt053_failing_its_schema_names_file_and_element(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        CAMT.read_text("utf-8").replace(
            "<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>DEBIT</CdtDbtInd>"
        ),
        "utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_camt053(bad)
    [problem] = caught.value.problems
    assert problem.file == str(bad)
    assert problem.field == "/Document/BkToCstmrStmt/Stmt/Ntry[2]/CdtDbtInd"


def test_camt053_missing_booking_date_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        CAMT.read_text("utf-8").replace("<BookgDt><Dt>2025-03-13</Dt></BookgDt>", ""), "utf-8"
    )
    with pytest.raises(InputError):
        read_camt053(bad)


def test_camt053_rejects_other_messages(tmp_path: Path) -> None:
    other = tmp_path / "pain.xml"
    other.write_text('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>', "utf-8")
    with pytest.raises(InputError) as caught:
        read_camt053(other)
    assert "camt.053" in caught.value.problems[0].message


def test_amlworld_rows_become_a_debit_and_a_credit(tmp_path: Path) -> None:
    txns, customers, labels = convert_amlworld(FIXTURES / "amlworld_sample.csv", tmp_path)
    table = pq.read_table(txns).to_pylist()
    assert len(table) == 20
    yuan = [r for r in table if r["currency"] == "CNY"]
    assert {r["direction"] for r in yuan} == {"in", "out"}
    assert pq.read_table(labels).column("is_laundering").to_pylist().count("1") == 2
    assert screen(txns, customers).transactions == 20


def test_samld_locations_become_country_codes(tmp_path: Path) -> None:
    txns, customers, _labels = convert_samld(FIXTURES / "samld_sample.csv", tmp_path)
    rows = pq.read_table(txns).to_pylist()
    assert {r["cp_country"] for r in rows} == {"GB", "AE", "MA"}
    assert screen(txns, customers).transactions == 12
