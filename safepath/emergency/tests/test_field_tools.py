"""The XLSForm for ODK Collect / KoboToolbox, and the import of their submissions into cases:
all rows or none, every problem named by row and field, the form version checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from safepath.accounts.models import User
from safepath.cases.models import Case
from safepath.emergency import fieldform, xlsform
from safepath.emergency.models import Registration
from safepath.testing.fixtures import call_cli

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_xlsform_converts_with_pyxform_and_carries_every_field(tmp_path: Path) -> None:
    path = tmp_path / "uasc.xlsx"
    xlsform.write(fieldform.definition(), path)
    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings)
    assert warnings == []
    xml = result.xform
    for name in fieldform.definition().names:
        assert f"/{name}" in xml, name
    assert 'version="2026.1"' in xml
    assert "safepath_uasc_rapid" in xml
    assert "regex(., '^[A-Z]{2}$')" in xml  # the server's country check, on the phone too
    assert "string-length(" in xml
    assert ". &lt;= today()" in xml
    assert "العربية" in xml
    assert "Français" in xml
    settings = load_workbook(path)["settings"]
    assert [c.value for c in settings[2]][:3] == [
        fieldform.definition().title["en"],
        "safepath_uasc_rapid",
        "2026.1",
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_odk_validate_accepts_the_form(tmp_path: Path) -> None:
    """ODK Validate (JavaRosa, the engine of ODK Collect; shipped with pyxform) parses it."""
    path = tmp_path / "uasc.xlsx"
    xlsform.write(fieldform.definition(), path)
    warnings: list[str] = []
    convert(xlsform=str(path), validate=True, warnings=warnings)
    assert warnings == []


def test_the_cli_writes_the_form_without_a_database(tmp_path: Path) -> None:
    out = tmp_path / "forms" / "uasc.xlsx"
    code, stdout, _ = call_cli("emergency", "xlsform", "--out", str(out), "--format", "json")
    assert code == 0
    assert json.loads(stdout)["version"] == "2026.1"
    assert out.exists()
    code, _, err = call_cli("emergency", "xlsform", "--out", str(tmp_path / "uasc.csv"))
    assert code == 2
    assert ".xlsx" in err


@pytest.mark.django_db
def test_a_kobo_csv_export_imports_into_cases(caseworker_a: User) -> None:
    code, out, err = call_cli(
        "emergency", "import-submissions", str(FIXTURES / "kobo_submissions.csv"),
        "--user", "caseworker.a", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert (report["rows"], report["created"], report["problems"]) == (2, 2, [])
    amani = Registration.objects.get(record_id="0b8f7c1e-1c2d-4e5f-8a9b-0c1d2e3f4a51")
    assert amani.source == "odk"
    assert amani.form_version == "2026.1"
    assert amani.case.child.given_name == "Amani"
    assert amani.urgent_needs == [
        "food_water",
        "shelter",
    ]
    assert amani.case.child.care_arrangement == "unaccompanied"
    assert amani.case.family.get().relation == "mother"
    rami = Registration.objects.get(record_id="0b8f7c1e-1c2d-4e5f-8a9b-0c1d2e3f4a52")
    assert rami.case.child.given_name == "رامي"
    assert rami.case.child.other_names == ["Rami"]

    again = json.loads(call_cli(
        "emergency", "import-submissions", str(FIXTURES / "kobo_submissions.csv"),
        "--user", "caseworker.a", "--format", "json",
    )[1])  # fmt: skip
    assert (again["created"], again["already_imported"]) == (0, 2)
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_an_odk_central_json_export_imports(caseworker_a: User) -> None:
    code, _, err = call_cli(
        "emergency", "import-submissions", str(FIXTURES / "odk_central.json"),
        "--user", "caseworker.a", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    registration = Registration.objects.get()
    assert registration.case.child.given_name == "Nyibol"
    assert registration.case.child.languages == ["din"]


@pytest.mark.django_db
def test_bad_submissions_store_nothing_and_name_row_and_field(caseworker_a: User) -> None:
    code, out, err = call_cli(
        "emergency", "import-submissions", str(FIXTURES / "kobo_bad.csv"),
        "--user", "caseworker.a", "--format", "json",
    )  # fmt: skip
    assert code == 2
    problems = {(p["row"], p["field"]) for p in json.loads(out)["problems"]}
    assert problems == {
        (3, "given_name"),
        (3, "sex"),
        (3, "age_estimate"),
        (3, "care_status"),
        (4, "form_version"),
        (5, "instanceID"),
        (5, "area_country"),
    }
    assert "unknown form version '2019.4'" in err
    assert "nothing was imported" in err
    assert Case.objects.count() == 0
    assert Registration.objects.count() == 0


@pytest.mark.django_db
def test_a_malformed_export_is_refused(caseworker_a: User, tmp_path: Path) -> None:
    broken = tmp_path / "export.json"
    broken.write_text('{"results": [ {"child/given_name": "A"', encoding="utf-8")
    code, _, err = call_cli(
        "emergency", "import-submissions", str(broken), "--user", "caseworker.a"
    )
    assert code == 2
    assert "not valid JSON" in err
    other = tmp_path / "other.csv"
    other.write_text("name,age\nA,3\n", encoding="utf-8")
    code, _, err = call_cli("emergency", "import-submissions", str(other), "--user", "caseworker.a")
    assert code == 2
    assert "given_name" in err
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_user_who_does_not_register_cannot_import(
    make_user: object, coordination: object
) -> None:
    make_user("coordinator", coordination, "coordinator")  # type: ignore[operator]
    code, _, err = call_cli(
        "emergency",
        "import-submissions",
        str(FIXTURES / "kobo_submissions.csv"),
        "--user",
        "coordinator",
    )
    assert code == 2
    assert "no active user" in err
    assert Case.objects.count() == 0
