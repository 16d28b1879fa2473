"""k-anonymous export (pycanon-checked) and the output formats (HXL validated by libhxl)."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook
from pycanon import anonymity

from safepath.evidence.engine import formats, kanon
from safepath.evidence.engine.dimensions import InputError
from safepath.evidence.engine.store import AnalysisStore
from safepath.evidence.engine.tables import TOTAL, build_table

QUASI = ["gender", "majorityStatus", "UN_COO_Region", "UN_COE_Region"]


def test_export_is_k_anonymous_and_reports_what_was_dropped(vp_store: AnalysisStore) -> None:
    result = kanon.export(vp_store, "vp", quasi=QUASI, k=5, max_suppression=0.1)
    report = result.report
    assert report["records_in"] == 505
    assert report["records_out"] + report["records_dropped"] == 505
    assert report["pycanon_k"] >= 5
    rows = list(csv.DictReader(io.StringIO(kanon.to_csv(result))))
    assert len(rows) == report["records_out"]
    frame = pd.DataFrame(rows)[QUASI]
    assert anonymity.k_anonymity(frame, QUASI) >= 5
    assert list(rows[0]) == [
        "yearRegister",
        "gender",
        "majorityStatus",
        "isForcedLabour",
        "isSexualExploit",
        "UN_COO_Region",
        "UN_COE_Region",
        "IP_Exploiter",
        "IP_Gender",
        "IP_ageBroad",
        "IP_citizen_UNRegion",
        "IP_Relation",
        "IP_PayMoney",
        "IP_RecruiterBroker",
        "IP_TransactionProcess",
        "IP_ControlAbuseKidnap",
    ]
    shares = [item["share_dropped"] for item in report["dropped_by_value"]]
    assert shares == sorted(shares, reverse=True)
    assert "Rare groups disappear first" in kanon.report_text(report)


def test_strict_suppression_limit_generalises_a_field_to_blank(vp_store: AnalysisStore) -> None:
    result = kanon.export(vp_store, "vp", quasi=[*QUASI, "yearRegister"], k=11, max_suppression=0.0)
    assert result.report["generalised_to_blank"]
    blanked = result.report["generalised_to_blank"][0]
    assert result.frame[blanked].isna().all()
    assert result.report["records_dropped"] == 0


def test_export_refuses_bad_k_and_unknown_quasi_identifier(vp_store: AnalysisStore) -> None:
    with pytest.raises(InputError, match="at least 2"):
        kanon.export(vp_store, "vp", quasi=QUASI, k=1)
    with pytest.raises(InputError, match="Unknown dimension 'age'"):
        kanon.export(vp_store, "vp", quasi=["age"], k=5)


def test_csv_json_xlsx_carry_the_same_cells(vp_store: AnalysisStore) -> None:
    table = build_table(vp_store, "vp", ["gender", "UN_COE_Region"])
    rows = list(csv.DictReader(io.StringIO(formats.to_csv(table))))
    assert len(rows) == len(table.cells)
    for row, cell in zip(rows, table.cells, strict=True):
        assert row["count"] == ("" if cell["count"] is None else str(cell["count"]))
        assert row["suppressed"] == ("yes" if cell["suppressed"] else "no")
    assert json.loads(formats.to_json(table))["cells"] == table.cells
    workbook = load_workbook(io.BytesIO(formats.to_xlsx(table, "# Note\nline")))
    assert workbook.sheetnames == ["Table", "Metadata", "Methodology"]
    assert workbook["Table"].max_row == len(table.cells) + 1


def test_hxl_pivots_sex_and_age_into_affected_attributes(vp_store: AnalysisStore) -> None:
    table = build_table(vp_store, "vp", ["UN_COO_Region", "gender", "majorityStatus"])
    text = formats.to_hxl(table)
    tags = formats.validate_hxl(text)
    assert tags[0] == "#region+name+origin"
    assert "#affected+f+children" in tags
    assert "#affected+m+adults" in tags
    assert "#affected+total" in tags
    lines = text.splitlines()
    assert len(lines) == 2 + 5 + 1  # header, hashtags, four regions + not recorded, total


def test_hxl_long_format_and_glotip_rows(vp_store: AnalysisStore) -> None:
    table = build_table(vp_store, "vp", ["UN_COE_Region"], epsilon=1.0)
    tags = formats.validate_hxl(formats.to_hxl(table))
    assert tags == [
        "#region+name+dest",
        "#affected+num",
        "#meta+suppressed",
        "#meta+noise_scale",
        "#affected+ci95_low",
        "#affected+ci95_high",
    ]
    with pytest.raises(ValueError, match="A GLOTIP table is by sex and age group"):
        formats.glotip_rows(table)
    glotip = build_table(vp_store, "vp", ["gender", "majorityStatus"])
    rows = formats.glotip_rows(glotip, country="Testland")
    girls = next(r for r in rows if r["Sex"] == "Female" and r["Age"] == "0 to 17 years")
    cell = next(
        c for c in glotip.cells if c["gender"] == "Female" and c["majorityStatus"] == "Minor"
    )
    assert girls["txtVALUE"] == ("x" if cell["suppressed"] else cell["count"])
    assert girls["Indicator"] == "Detected trafficking victims"
    total = next(r for r in rows if r["Sex"] == "Total" and r["Age"] == "Total")
    assert total["txtVALUE"] == 505
    assert all(c["gender"] != TOTAL or c["count"] is not None for c in glotip.cells)
