"""`safepath import cases`: all rows or none, with every problem named by row and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case
from safepath.testing.fixtures import call_cli

FIXTURES = Path(__file__).parent / "fixtures"
MAPPING = str(FIXTURES / "import_mapping.yaml")


@pytest.mark.django_db
def test_a_good_file_imports_every_row_with_mapped_values(caseworker_a: User) -> None:
    code, out, err = call_cli(
        "import", "cases", str(FIXTURES / "import_good.csv"), "--mapping", MAPPING,
        "--user", "caseworker.a", "--format", "json",
    )  # fmt: skip

    assert code == 0, err
    report = json.loads(out)
    assert (report["rows"], report["created"], report["problems"]) == (2, 2, [])
    first = Case.objects.get(reference=report["references"][0])
    assert first.child.given_name == "Amani"
    assert first.child.sex == "female"
    assert str(first.child.date_of_birth) == "2012-03-02"
    assert first.forms_of_exploitation == ["begging", "forced_labour"]
    assert first.country_of_exploitation == "KE"  # the mapping's default for a blank cell
    assert first.owner_agency_id == caseworker_a.agency_id
    assert AuditEvent.objects.filter(object_type="case", action="create").count() == 2


@pytest.mark.django_db
def test_a_bad_file_stores_nothing_and_names_each_row_and_field(caseworker_a: User) -> None:
    code, out, err = call_cli(
        "import", "cases", str(FIXTURES / "import_bad.csv"), "--mapping", MAPPING,
        "--user", "caseworker.a", "--format", "json",
    )  # fmt: skip

    assert code == 2
    problems = {(p["row"], p["field"]) for p in json.loads(out)["problems"]}
    assert problems == {
        (3, "given_name"),
        (3, "date_of_birth"),
        (3, "nationality"),
        (3, "forms_of_exploitation"),
        (4, "date_of_birth"),
    }
    assert "row 3, date_of_birth: '31/02/2012' is not a date" in err
    assert "over 25" in err
    assert "nothing was imported" in err
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_dry_run_checks_and_stores_nothing(caseworker_a: User) -> None:
    code, out, _ = call_cli(
        "import", "cases", str(FIXTURES / "import_good.csv"), "--mapping", MAPPING,
        "--user", "caseworker.a", "--dry-run",
    )  # fmt: skip
    assert code == 0
    assert "2 case(s) would be imported (dry run)." in out
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_xlsx_files_import_like_csv(caseworker_a: User, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in (FIXTURES / "import_good.csv").read_text(encoding="utf-8").splitlines():
        sheet.append(line.split(","))
    path = tmp_path / "cases.xlsx"
    book.save(path)
    code, _, err = call_cli(
        "import", "cases", str(path), "--mapping", MAPPING, "--user", "caseworker.a"
    )
    assert code == 0, err
    assert Case.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mapping_text", "expected"),
    [
        ("columns: {given_name: 'First name', shoe_size: 'Shoe'}", "unknown field 'shoe_size'"),
        ("columns: {given_name: 'First name'}", "required field 'identified_on'"),
        (
            "columns: {given_name: 'Prénom', identified_on: 'Date identified'}",
            "column 'Prénom' named in the mapping is not in the header",
        ),
    ],
)
def test_an_unusable_mapping_is_refused_with_exit_code_2(
    caseworker_a: User, tmp_path: Path, mapping_text: str, expected: str
) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(mapping_text, encoding="utf-8")
    code, _, err = call_cli(
        "import", "cases", str(FIXTURES / "import_good.csv"), "--mapping", str(mapping),
        "--user", "caseworker.a",
    )  # fmt: skip
    assert code == 2
    assert expected in err
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_only_a_user_who_registers_cases_may_import(
    make_user: object, coordination: object
) -> None:
    code, _, err = call_cli(
        "import", "cases", str(FIXTURES / "import_good.csv"), "--mapping", MAPPING,
        "--user", "nobody",
    )  # fmt: skip
    assert code == 2
    assert "no active user who registers cases" in err


@pytest.mark.django_db
def test_a_row_refused_while_storing_rolls_back_every_row_and_its_audit(
    caseworker_a: User,
) -> None:
    from safepath.cases.importing import Mapping, cases_import_rows
    from safepath.core.exceptions import FieldValidationError

    def refuse_row_3(case: Case, number: int, cells: dict[str, str]) -> None:
        if number == 3:
            raise FieldValidationError({"record": ["already registered elsewhere"]})

    rows = [(n, {"First name": f"Synth{n}", "Date identified": "2026-10-01"}) for n in (2, 3, 4)]
    before = AuditEvent.objects.count()
    report = cases_import_rows(
        rows=rows,
        mapping=Mapping(columns={"given_name": "First name", "identified_on": "Date identified"}),
        user=caseworker_a,
        dry_run=False,
        after_register=refuse_row_3,
    )
    assert [str(p) for p in report.problems] == ["row 3, record: already registered elsewhere"]
    assert report.created == []
    assert Case.objects.count() == 0
    assert AuditEvent.objects.count() == before
