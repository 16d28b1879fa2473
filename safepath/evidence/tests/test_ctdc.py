"""CTDC import: the sample reproduces its frequencies; bad files name field and allowed values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safepath.evidence.engine.ctdc import (
    CTDCError,
    catalogue,
    compare_frequencies,
    import_ctdc,
    read_ctdc,
)
from safepath.evidence.engine.store import AnalysisStore
from safepath.evidence.tests.conftest import FIXTURES, SAMPLE

SHARED = Path("/work/shared/data/ctdc")


def _expected(name: str) -> dict[str, dict[str | None, int]]:
    raw = json.loads((FIXTURES / name).read_text(encoding="utf-8"))["frequencies"]
    return {var: {(None if v == "null" else v): n for v, n in c.items()} for var, c in raw.items()}


def test_sample_reproduces_its_frequencies_in_tabstat_layout(store: AnalysisStore) -> None:
    info = import_ctdc(store, SAMPLE, "vp")
    expected = _expected("ctdc_vp_sample_frequencies.json")
    assert info.rows == 505
    assert info.schema == "vp_synthetic_condensed_20221201"
    assert set(expected) == {d.name for d in info.dimensions}
    assert compare_frequencies(expected, store, "vp") == []


def test_a_wrong_frequency_is_reported(store: AnalysisStore) -> None:
    import_ctdc(store, SAMPLE, "vp")
    expected = _expected("ctdc_vp_sample_frequencies.json")
    expected["gender"]["Female"] += 1
    problems = compare_frequencies(expected, store, "vp")
    assert len(problems) == 1
    assert problems[0].startswith("gender: expected")


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.exists(), reason="needs /work/shared/data/ctdc")
def test_full_file_reproduces_ctdc_tabstat_exactly(store: AnalysisStore) -> None:
    import_ctdc(store, SHARED / "CTDC_VPsynthetic_condensed.csv", "vp_full")
    assert compare_frequencies(_expected("ctdc_vp_tabstat_20221201.json"), store, "vp_full") == []


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _sample_with(tmp_path: Path, old: str, new: str, line: int = 3) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return _write(tmp_path, "\n".join(lines) + "\n")


def test_wrong_value_names_row_field_and_allowed_values(
    tmp_path: Path, store: AnalysisStore
) -> None:
    path = _sample_with(tmp_path, ",Female,", ",Femme,")
    with pytest.raises(CTDCError) as caught:
        import_ctdc(store, path, "vp")
    assert caught.value.field_name == "gender"
    assert str(caught.value) == (
        "bad.csv, row 3, field gender: value 'Femme' is not allowed; "
        "allowed values: Female, Male, or blank."
    )
    assert store.sources() == []


def test_wrong_header_names_the_field_and_the_allowed_fields(
    tmp_path: Path, store: AnalysisStore
) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("majorityStatus", "ageGroup", 1)
    with pytest.raises(CTDCError) as caught:
        import_ctdc(store, _write(tmp_path, text), "vp")
    message = str(caught.value)
    assert caught.value.field_name == "ageGroup"
    assert "unexpected field(s) ageGroup; missing field(s) majorityStatus" in message
    assert "vp_synthetic_condensed_20221201" in message
    assert "yearRegister, gender" in message
    assert store.sources() == []


def test_list_fields_accept_joined_values_only_from_their_base_set(tmp_path: Path) -> None:
    header = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    good = (
        header
        + "\n"
        + ",Female,Adult,1,,Europe,Europe,1,Female;Male,0--29;48+,Asia;Europe,"
        + "FriendAcquaintance,No;Yes,1,1,1\n"
    )
    _schema, table = read_ctdc(_write(tmp_path, good))
    assert table.column("IP_ageBroad").to_pylist() == ["0--29;48+"]
    bad = good.replace("0--29;48+", "0--29;50+")
    with pytest.raises(CTDCError, match="field IP_ageBroad: value '0--29;50\\+' is not allowed"):
        read_ctdc(_write(tmp_path, bad))


def test_kanon_schema_semicolon_file_with_disclaimer_column(tmp_path: Path) -> None:
    fields = [r.name for r in catalogue()["global_kanon_2017_2021"]]
    disclaimer = "By using this data you agree to the Terms of Use: https://example.org/terms"
    row = dict.fromkeys(fields, "") | {
        "gender": "Female",
        "citizenship": "PH",
        "yearOfRegistration": "2016",
    }
    text = ";".join([disclaimer, *fields]) + "\n" + ";".join(["", *(row[f] for f in fields)]) + "\n"
    schema, table = read_ctdc(_write(tmp_path, text))
    assert schema == "global_kanon_2017_2021"
    assert table.num_columns == 63
    assert table.column("citizenship").to_pylist() == ["PH"]
    with pytest.raises(
        CTDCError,
        match="field citizenship: value 'PHL' is not allowed; allowed values: ISO 3166-1 alpha-2",
    ):
        read_ctdc(_write(tmp_path, text.replace(";PH;", ";PHL;")))
    with pytest.raises(CTDCError, match="field yearOfRegistration: value '1999'"):
        read_ctdc(_write(tmp_path, text.replace(";2016;", ";1999;")))


def test_reserved_and_invalid_source_names_are_refused(store: AnalysisStore) -> None:
    with pytest.raises(CTDCError, match="reserved"):
        import_ctdc(store, SAMPLE, "cases")
    with pytest.raises(ValueError, match="Source name 'Bad Name' is not valid"):
        import_ctdc(store, SAMPLE, "Bad Name")


def test_global_synthetic_2024_schema_is_recognised(tmp_path: Path) -> None:
    fields = [r.name for r in catalogue()["global_synthetic_v2024"]]
    row = dict.fromkeys(fields, "") | {
        "yearOfRegistration": "2021",
        "gender": "Woman",
        "ageBroad": "9--17",
        "citizenship": "PHL",
        "isSexualExploit": "1",
    }
    text = ",".join(fields) + "\n" + ",".join(row[f] for f in fields) + "\n"
    schema, table = read_ctdc(_write(tmp_path, text))
    assert schema == "global_synthetic_v2024"
    assert table.column("ageBroad").to_pylist() == ["9--17"]
    with pytest.raises(
        CTDCError,
        match="field isSexualExploit: value '0' is not allowed; allowed values: 1, or blank",
    ):
        read_ctdc(_write(tmp_path, text.replace(",1,", ",0,")))
