"""goAML STR XML validates against our schema; bad reports are refused; SAR fields map."""

from __future__ import annotations

from datetime import date

import pytest

from safepath.finance.engine import Alert, RuleHit
from safepath.finance.reports import (
    ReportError,
    indicator_codes,
    load_profile,
    render_goaml,
    render_sar_fields,
    validate_goaml,
)

ALERT = Alert(
    customer_id="C1",
    score=85,
    band="high",
    typologies=("OCSE-consumer",),
    period_start=date(2025, 3, 1),
    period_end=date(2025, 3, 31),
    hits=(
        RuleHit(
            "CSE-01",
            "Low-value transfers",
            "OCSE-consumer",
            35,
            ("T1", "T2"),
            {"min_count": 3},
            "AUSTRAC 2022 A1",
        ),
        RuleHit("CSE-07", "Streaming", "OCSE-consumer", 20, ("T3",), {"min_count": 3}, "FINTRAC"),
        RuleHit("HT-15", "Structuring", "funnel", 30, ("T2",), {"band": 0.8}, "FinCEN"),
    ),
)
TXNS = [
    {
        "txn_id": "T1",
        "ts_utc": "2025-03-02T10:00:00Z",
        "account_id": "A1",
        "amount": "50.00",
        "amount_base": "50.00",
        "currency": "USD",
        "direction": "out",
        "channel": "msb_remittance",
        "cp_name": "Beneficiary",
        "cp_account": "PH1",
        "cp_country": "PH",
    },
    {
        "txn_id": "T2",
        "ts_utc": "2025-03-03T10:00:00Z",
        "account_id": "A1",
        "amount": "40.00",
        "amount_base": "43.20",
        "currency": "EUR",
        "direction": "out",
        "channel": "msb_remittance",
        "cp_name": "Beneficiary",
        "cp_account": "PH1",
        "cp_country": "PH",
    },
    {
        "txn_id": "T3",
        "ts_utc": "2025-03-04T23:00:00Z",
        "account_id": "A1",
        "amount": "30.00",
        "amount_base": "30.00",
        "currency": "USD",
        "direction": "out",
        "channel": "card_cnp",
        "merchant_name": "Stream",
        "cp_country": "CY",
    },
    {
        "txn_id": "T9",
        "ts_utc": "2025-03-05T10:00:00Z",
        "account_id": "A1",
        "amount": "999.00",
        "currency": "USD",
        "direction": "in",
        "channel": "ach",
    },
]
CUSTOMERS = [
    {
        "customer_id": "C1",
        "customer_type": "individual",
        "residence_country": "US",
        "first_name": "Sam",
        "last_name": "Example",
    }
]
ENTITY = {
    "rentity_id": 42,
    "name": "Example Bank",
    "submission_date": "2025-04-01T09:00:00Z",
    "reporting_person": {"first_name": "Alex", "last_name": "Officer"},
}


def test_goaml_report_is_valid_and_cites_only_evidence() -> None:
    xml = render_goaml(ALERT, TXNS, CUSTOMERS, "test", ENTITY)
    validate_goaml(xml)
    text = xml.decode()
    assert text.count("<transaction>") == 3
    assert "T9" not in text
    assert "<foreign_currency_code>EUR</foreign_currency_code>" in text
    assert "<rentity_id>42</rentity_id>" in text


def test_indicators_come_from_the_profile_mapping() -> None:
    assert indicator_codes(ALERT, load_profile("test")) == [
        "SPCSE-REMIT",
        "SPCSE-STREAM",
        "SPHT-STRUCT",
    ]


def test_schema_rejects_an_indicator_the_fiu_does_not_know() -> None:
    xml = render_goaml(ALERT, TXNS, CUSTOMERS, "test", ENTITY).replace(
        b"SPCSE-REMIT", b"NOT-A-CODE"
    )
    with pytest.raises(ReportError) as caught:
        validate_goaml(xml)
    assert any("indicator" in e for e in caught.value.errors)


def test_schema_rejects_a_report_without_transactions() -> None:
    xml = render_goaml(ALERT, TXNS, CUSTOMERS, "test", ENTITY)
    start, end = xml.index(b"<transaction>"), xml.rindex(b"</transaction>") + len(b"</transaction>")
    with pytest.raises(ReportError):
        validate_goaml(xml[:start] + xml[end:])


def test_no_evidence_rows_is_refused() -> None:
    with pytest.raises(ReportError):
        render_goaml(ALERT, [TXNS[3]], CUSTOMERS, "test", ENTITY)


def test_sar_fields_map_typologies_keywords_and_structuring() -> None:
    fields = render_sar_fields(ALERT, TXNS, CUSTOMERS, "fincen_sar", ENTITY)
    assert fields["FilingInstitutionNotetoFinCEN"] == "OCSE-FIN-2021-NTC3"
    assert fields["SuspiciousActivityClassification"] == [
        {
            "SuspiciousActivityTypeID": 9,
            "SuspiciousActivitySubtypeID": 9999,
            "OtherSuspiciousActivityTypeText": "OCSE",
        },
        {"SuspiciousActivityTypeID": 1, "SuspiciousActivitySubtypeID": 999},
    ]
    assert fields["TotalSuspiciousAmountText"] == "123"
    assert (fields["SuspiciousActivityFromDateText"], fields["SuspiciousActivityToDateText"]) == (
        "20250301",
        "20250331",
    )
    assert all(len(block) <= 4000 for block in fields["ActivityNarrativeText"])


def test_profile_format_mismatch_is_refused() -> None:
    with pytest.raises(ReportError):
        render_sar_fields(ALERT, TXNS, CUSTOMERS, "test", ENTITY)
