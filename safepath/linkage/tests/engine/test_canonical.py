"""Canonical records: mapping, validation messages naming file, row and field."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from safepath.linkage.engine import CanonicalError, load_mapping, read_records, to_canonical

FIXTURES = Path(__file__).parent / "fixtures"


def _frame(**overrides: list[str]) -> pd.DataFrame:
    data = {
        "record_id": ["a", "b"],
        "given_name": ["Omar", "Sara"],
        "family_name": ["Haddad", "Said"],
        "date_of_birth": ["2012-03-04", "20130506"],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def test_dates_and_blanks_are_normalised() -> None:
    frame = to_canonical(_frame(date_of_birth=["2012-03-04", "2013-00-00"]))
    assert frame["date_of_birth"].tolist()[0] == "2012-03-04"
    assert pd.isna(frame.loc[1, "date_of_birth"])
    assert frame.loc[1, "birth_year_estimate"] == 2013  # partial date keeps its year
    assert pd.isna(frame.loc[0, "mother_given_name"])  # absent optional column


def test_unparseable_date_names_file_row_and_field() -> None:
    with pytest.raises(CanonicalError) as caught:
        to_canonical(_frame(date_of_birth=["2012-03-04", "31/31/2013"]), label="f.csv")
    assert caught.value.problems == [
        "f.csv: row 3, field date_of_birth: unparseable date '31/31/2013'"
    ]


def test_missing_required_columns() -> None:
    with pytest.raises(CanonicalError) as caught:
        to_canonical(pd.DataFrame({"record_id": ["a"], "given_name": ["x"]}), label="f.csv")
    assert "family_name" in caught.value.problems[0]
    assert "date_of_birth or birth_year_estimate" in caught.value.problems[0]


def test_duplicate_and_empty_ids() -> None:
    with pytest.raises(CanonicalError) as caught:
        to_canonical(_frame(record_id=["a", "a"]))
    assert caught.value.problems == ["records: row 3, field record_id: duplicate 'a'"]


def test_bad_year_estimate() -> None:
    with pytest.raises(CanonicalError) as caught:
        to_canonical(_frame(birth_year_estimate=["2010", "ten"]))
    assert "row 3, field birth_year_estimate" in caught.value.problems[0]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(CanonicalError, match="empty"):
        read_records(path)
    path.write_text("record_id,given_name,family_name,date_of_birth\n")
    with pytest.raises(CanonicalError, match="no records"):
        read_records(path)


def test_mapping_from_other_column_names() -> None:
    mapping = load_mapping(FIXTURES / "partner_mapping.yaml")
    frame = read_records(FIXTURES / "partner_export.csv", mapping=mapping)
    assert frame["record_id"].str.startswith("la-").all()
    dated = frame["date_of_birth"].dropna()
    assert len(dated) > 0
    assert dated.str.match(r"^\d{4}-\d{2}-\d{2}$").all()


def test_mapping_with_unknown_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("columns: {shoe_size: size}\n")
    with pytest.raises(CanonicalError, match="unknown canonical columns"):
        load_mapping(path)


def test_invalid_dates_blank_policy_keeps_year() -> None:
    frame = to_canonical(
        _frame(date_of_birth=["2012-03-04", "19450493"]), mapping={"invalid_dates": "blank"}
    )
    assert pd.isna(frame.loc[1, "date_of_birth"])
    assert frame.loc[1, "birth_year_estimate"] == 1945
