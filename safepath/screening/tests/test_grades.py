"""Unverified ILO strengths: every result says so (engine, API, page, CLI, four languages), and
an administrator's transcribed grade table replaces them (checked row by row, audited)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.screening import grades, instruments, signing
from safepath.screening.engine import UNVERIFIED_GRADES, ScreeningInput, score
from safepath.screening.models import GradeTable, ScreeningRecord
from safepath.testing.fixtures import api_client_for, call_cli, web_client_for

ILO_LISTS = ("ilo-adult-labour", "ilo-adult-sexual", "ilo-child-labour", "ilo-child-sexual")
OTHER_LISTS = ("sscst-6", "qyit-4", "child-risk")
# A child, exploited (D4.1 strong + D4.2 medium: the exploitation dimension is positive), with
# an act recorded: "presumed victim" under the shipped (unverified) strengths.
PRESUMED = {"age": 14, "answers": {"D4.1": "yes", "D4.2": "yes"}, "context": {"act_recorded": True}}
# The warning's first words in each language (the catalogs' translations).
WARNING_START = {
    "en": "Unverified strengths:",
    "fr": "Pondérations non vérifiées :",
    "es": "Ponderaciones no verificadas:",
    "ar": "درجات غير مُتحقَّق منها:",
}


def _table(instrument_id: str, **strengths: str) -> dict[str, Any]:
    """A complete table: every item medium, except the ones named (dots as underscores)."""
    instrument = instruments.get(instrument_id)
    named = {key.replace("_", "."): value for key, value in strengths.items()}
    return {
        "instrument": instrument_id,
        "instrument_version": instrument.version,
        "source": "ILO/EC 2009 brochure, transcribed by the test (synthetic grades)",
        "rows": [{"item": i.id, "strength": named.get(i.id, "medium")} for i in instrument.items],
    }


# --- the engine: a table of lists and grade states ------------------------------------------------


@pytest.mark.parametrize(
    ("instrument_id", "transcribed", "warned"),
    [(i, False, True) for i in ILO_LISTS]
    + [(i, True, False) for i in ILO_LISTS]
    + [(i, False, False) for i in OTHER_LISTS],
)
def test_every_result_of_an_unverified_list_carries_the_warning(
    instrument_id: str, transcribed: bool, warned: bool
) -> None:
    instrument = instruments.get(instrument_id)
    if transcribed:
        table = grades.parse_table(_table(instrument_id), instrument)
        instrument = grades.apply(instrument, table)
    for answers in ({}, {item.id: "yes" for item in instrument.items}):
        result = score(instrument, ScreeningInput(answers=answers, age=30))
        codes = [w.code for w in result.warnings]
        assert (UNVERIFIED_GRADES in codes) is warned
        if warned:  # first, before any age warning, and it names the source actually used
            assert codes[0] == UNVERIFIED_GRADES
            assert instrument.grades is not None
            assert instrument.grades.source in result.warnings[0].text
            assert result.grades == {**instrument.grades.to_dict()}
    assert (result.grades is None) is (instrument_id in OTHER_LISTS)


def test_every_shipped_ilo_list_is_marked_unverified_with_its_source() -> None:
    for instrument_id in ILO_LISTS:
        found = instruments.get(instrument_id).grades
        assert found is not None
        assert found.status == "unverified"
        assert "not transcribed from the ILO/EC 2009 brochure" in found.source.replace("Not", "not")
    for instrument_id in OTHER_LISTS:
        assert instruments.get(instrument_id).grades is None


def test_an_ilo_list_without_grades_is_refused() -> None:
    data = dict(instruments.get("ilo-child-labour").raw)
    del data["grades"]
    with pytest.raises(instruments.InstrumentError, match="field grades"):
        instruments.parse(data, source="ilo-child-labour.json")


@pytest.mark.parametrize(
    ("strengths", "outcome"),
    [
        ({}, "presumed_victim"),  # shipped: D4.1 strong + D4.2 medium
        ({"D4_1": "strong", "D4_2": "medium"}, "presumed_victim"),
        ({"D4_1": "weak", "D4_2": "weak"}, "at_risk"),  # two weak: not positive
        ({"D4_1": "medium", "D4_2": "medium"}, "at_risk"),  # two medium: not positive
        ({"D4_1": "strong", "D4_2": "weak"}, "presumed_victim"),
    ],
)
def test_a_table_replaces_the_strengths_the_rule_counts(
    strengths: dict[str, str], outcome: str
) -> None:
    instrument = instruments.get("ilo-child-labour")
    if strengths:
        instrument = grades.apply(
            instrument, grades.parse_table(_table(instrument.id, **strengths), instrument)
        )
    given = ScreeningInput(answers=PRESUMED["answers"], age=14, act_recorded=True)
    assert score(instrument, given).outcome == outcome


def test_the_graded_version_names_the_table() -> None:
    shipped = instruments.get("ilo-adult-labour")
    table = grades.parse_table(_table(shipped.id, D1_1="weak"), shipped)
    graded = grades.apply(shipped, table)
    assert graded.version == f"{shipped.version}+g{table.digest[:8]}"
    assert len(graded.version) <= 20  # ScreeningRecord.instrument_version
    assert graded.grades == instruments.Grades(
        "transcribed", table.document["source"], table.digest
    )
    assert graded.item("D1.1").strength == "weak"
    assert shipped.item("D1.1").strength != "weak" or shipped.grades_unverified  # untouched


# --- the loader: bad rows named by row and field ------------------------------------------------


def _bad(instrument_id: str, row: int, **change: Any) -> dict[str, Any]:
    table = _table(instrument_id)
    table["rows"][row - 1] = {**table["rows"][row - 1], **change}
    return table


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (_bad("ilo-child-labour", 3, strength="very strong"), "row 3, field strength"),
        (_bad("ilo-child-labour", 5, item="D9.9"), "row 5, field item: ilo-child-labour has no"),
        (_bad("ilo-child-labour", 2, item="D1.1"), "row 2, field item: D1.1 is graded twice"),
        (_bad("ilo-child-labour", 4, colour="red"), "row 4, field (row)"),
        (
            {**_table("ilo-child-labour"), "rows": _table("ilo-child-labour")["rows"][:-1]},
            "field rows: every item",
        ),
        ({**_table("ilo-child-labour"), "instrument": "ilo-child-sexual"}, "field instrument"),
        (
            {**_table("ilo-child-labour"), "instrument_version": "2010.1"},
            "field instrument_version",
        ),
        ({**_table("ilo-child-labour"), "source": "short"}, "field source"),
    ],
)
def test_a_bad_table_is_refused_naming_row_and_field(table: dict[str, Any], message: str) -> None:
    with pytest.raises(grades.GradeTableError) as refused:
        grades.parse_table(table, instruments.get("ilo-child-labour"))
    assert message in str(refused.value)


def test_a_csv_row_is_named_by_its_line(tmp_path: Path) -> None:
    instrument = instruments.get("ilo-child-labour")
    lines = ["item,strength,source_ref"] + [f"{i.id},medium,p. 12" for i in instrument.items]
    seventh = instrument.items[6].id  # on line 8, after the header
    lines[7] = f"{seventh},strongish,p. 12"
    path = tmp_path / "grades.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(grades.GradeTableError, match="row 8, field strength"):
        grades.load_file(path, instrument, source="ILO/EC 2009 brochure, children, labour")
    lines[7] = f"{seventh},strong,p. 12"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = grades.load_file(path, instrument, source="ILO/EC 2009 brochure, children, labour")
    assert table.strengths[seventh] == "strong"


# --- loading, through the CLI, into the database ------------------------------------------------


def _write(tmp_path: Path, table: dict[str, Any]) -> str:
    path = tmp_path / "table.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_a_bad_table_leaves_everything_as_it_was(tmp_path: Path, make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.SYSTEM_ADMIN, None, "admin")
    events = AuditEvent.objects.count()
    path = _write(tmp_path, _bad("ilo-child-labour", 6, strength="huge"))
    code, _out, err = call_cli(
        "screen", "grades", "ilo-child-labour", "--file", path, "--user", admin.username
    )
    assert code == 2
    assert "row 6, field strength" in err
    assert "nothing was loaded" in err
    assert GradeTable.objects.count() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_only_an_administrator_loads_a_table(tmp_path: Path, supervisor_a: User) -> None:
    path = _write(tmp_path, _table("ilo-child-labour"))
    code, _, err = call_cli(
        "screen", "grades", "ilo-child-labour", "--file", path, "--user", supervisor_a.username
    )
    assert code == 2
    assert "Only a system administrator" in err
    assert GradeTable.objects.count() == 0


@pytest.mark.django_db
def test_a_loaded_table_grades_new_screenings_without_the_warning(
    tmp_path: Path,
    make_user,
    caseworker_a: User,  # type: ignore[no-untyped-def]
) -> None:
    client = api_client_for(caseworker_a)
    before = client.post(
        "/api/v1/screenings/", {"instrument": "ilo-child-labour", **PRESUMED}, format="json"
    ).json()
    assert before["grades_unverified"] is True
    admin = make_user(Role.SYSTEM_ADMIN, None, "admin")
    table = _table("ilo-child-labour", D4_1="weak", D4_2="weak")
    code, out, err = call_cli(
        "screen", "grades", "ilo-child-labour", "--file", _write(tmp_path, table),
        "--user", admin.username, "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    status = json.loads(out)
    assert status["grades"]["status"] == "transcribed"
    assert status["loaded_by"] == "admin"
    loaded = GradeTable.objects.get()
    assert (loaded.source, loaded.loaded_by) == (table["source"], admin)
    event = AuditEvent.objects.get(object_type="screening.grade_table")
    assert event.object_id == str(loaded.id)
    assert event.actor_id == admin.id
    assert event.details["digest"] == loaded.digest

    after = client.post(
        "/api/v1/screenings/", {"instrument": "ilo-child-labour", **PRESUMED}, format="json"
    ).json()
    assert after["grades_unverified"] is False
    assert after["warnings"] == []
    assert after["result"]["outcome"] == "at_risk"  # the table's strengths were used
    assert after["instrument_version"] == f"2009.1+g{loaded.digest[:8]}"
    assert after["result"]["grades"]["source"] == table["source"]
    described = client.get("/api/v1/screening-instruments/ilo-child-labour/").json()
    assert described["grades"]["status"] == "transcribed"
    listed = {row["id"]: row for row in client.get("/api/v1/screening-instruments/").json()}
    assert listed["ilo-child-labour"]["grades"] == "transcribed"
    assert listed["ilo-child-sexual"]["grades"] == "unverified"
    assert listed["sscst-6"]["grades"] is None
    # both records verify: the one scored before the table and the one after
    for record in ScreeningRecord.objects.all():
        assert signing.verify(record)
    # the earlier record keeps its warning: it was scored with the unverified strengths
    old = client.get(f"/api/v1/screenings/{before['id']}/").json()
    assert old["warnings"][0]["code"] == UNVERIFIED_GRADES


# --- the API and the page, in four languages ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", list(WARNING_START))
def test_the_api_says_the_strengths_are_unverified(caseworker_a: User, language: str) -> None:
    response = api_client_for(caseworker_a).post(
        "/api/v1/screenings/",
        {"instrument": "ilo-child-sexual", **PRESUMED},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["result"]["outcome"] == "presumed_victim"
    assert data["grades_unverified"] is True
    warning = data["warnings"][0]
    assert warning["code"] == UNVERIFIED_GRADES
    assert warning["text"].startswith(WARNING_START[language])
    assert warning["source"] == instruments.get("ilo-child-sexual").grades.source  # type: ignore[union-attr]
    assert data["result"]["warnings"][0]["code"] == UNVERIFIED_GRADES  # in the signed result


@pytest.mark.django_db
def test_sscst_results_carry_no_grade_warning(caseworker_a: User) -> None:
    data = (
        api_client_for(caseworker_a)
        .post(
            "/api/v1/screenings/",
            {"instrument": "sscst-6", "age": 15, "answers": {"ran_away": "yes"}},
            format="json",
        )
        .json()
    )
    assert data["grades_unverified"] is False
    assert UNVERIFIED_GRADES not in [w["code"] for w in data["warnings"]]


@pytest.mark.django_db
@pytest.mark.parametrize("language", list(WARNING_START))
def test_the_result_page_says_the_strengths_are_unverified(
    caseworker_a: User, language: str
) -> None:
    created = api_client_for(caseworker_a).post(
        "/api/v1/screenings/", {"instrument": "ilo-child-labour", **PRESUMED}, format="json"
    )
    client = web_client_for(caseworker_a)
    client.cookies["django_language"] = language
    html = client.get(f"/screening/{created.json()['id']}/").content.decode()
    assert 'data-testid="unverified-grades"' in html
    assert WARNING_START[language] in html
    # above the outcome, so nobody reads "presumed victim" before it
    assert html.index('data-testid="unverified-grades"') < html.index('data-testid="outcome"')


@pytest.mark.django_db
def test_a_record_from_before_the_warning_still_shows_it_and_still_verifies(
    caseworker_a: User,
) -> None:
    """Records signed before this change have no ``grades`` and no warning in their result;
    they are shown with the warning, and never rewritten (their signature still verifies)."""
    client = api_client_for(caseworker_a)
    created = client.post(
        "/api/v1/screenings/", {"instrument": "ilo-adult-labour", **PRESUMED, "age": 30},
        format="json",
    ).json()  # fmt: skip
    record = ScreeningRecord.objects.get(pk=created["id"])
    legacy = {k: v for k, v in record.result.items() if k != "grades"}
    legacy["warnings"] = [w for w in legacy["warnings"] if w["code"] != UNVERIFIED_GRADES]
    old = replace_record(record, legacy)
    assert signing.verify(old)
    data = client.get(f"/api/v1/screenings/{old.id}/").json()
    assert data["grades_unverified"] is True
    assert data["warnings"][0]["code"] == UNVERIFIED_GRADES
    html = web_client_for(caseworker_a).get(f"/screening/{old.id}/").content.decode()
    assert 'data-testid="unverified-grades"' in html
    assert "verified: unchanged since it was saved" in html


def replace_record(record: ScreeningRecord, result: dict[str, Any]) -> ScreeningRecord:
    """A new record as the code before this change wrote it: same content, older result."""
    import uuid

    old = ScreeningRecord(
        **{
            f.attname: getattr(record, f.attname)
            for f in ScreeningRecord._meta.concrete_fields
            if f.attname not in ("id", "interview_id")
        }
    )
    old.id = uuid.uuid4()
    old.result = result
    old.signature = signing.sign(old)
    old.save(force_insert=True)
    return old


# --- the CLI --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", list(WARNING_START))
def test_the_cli_says_the_strengths_are_unverified(tmp_path: Path, language: str) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(PRESUMED), encoding="utf-8")
    code, out, err = call_cli(
        "screen", "run", "ilo-child-labour", "--answers", str(answers), "--language", language
    )
    assert code == 0, err
    first, _source, outcome = out.splitlines()[:3]
    assert first.startswith(f"! {WARNING_START[language]}")
    assert outcome.startswith("presumed_victim")
    code, out, _ = call_cli(
        "screen", "run", "ilo-child-labour", "--answers", str(answers), "--format", "json"
    )
    assert json.loads(out)["warnings"][0]["code"] == UNVERIFIED_GRADES


def test_the_cli_scores_with_a_table_file_and_drops_the_warning(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(PRESUMED), encoding="utf-8")
    table = _write(tmp_path, _table("ilo-child-labour", D4_1="weak", D4_2="weak"))
    code, out, err = call_cli(
        "screen", "run", "ilo-child-labour", "--answers", str(answers), "--grades", table,
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert result["outcome"] == "at_risk"
    assert result["warnings"] == []
    assert result["grades"]["status"] == "transcribed"
    bad = _write(tmp_path, _bad("ilo-child-labour", 2, strength="x"))
    code, _, err = call_cli(
        "screen", "run", "ilo-child-labour", "--answers", str(answers), "--grades", bad
    )
    assert code == 2
    assert "row 2, field strength" in err


def test_the_cli_list_marks_unverified_lists() -> None:
    _code, out, _ = call_cli("screen", "list")
    lines = {line.split()[0]: line for line in out.splitlines()}
    for instrument_id in ILO_LISTS:
        assert "UNVERIFIED STRENGTHS" in lines[instrument_id]
    assert "UNVERIFIED" not in lines["sscst-6"]


@pytest.mark.django_db
def test_a_dry_run_checks_the_table_and_keeps_nothing(tmp_path: Path, make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.SYSTEM_ADMIN, None, "admin")
    path = _write(tmp_path, _table("ilo-adult-sexual"))
    code, out, err = call_cli(
        "screen", "grades", "ilo-adult-sexual", "--file", path, "--user", admin.username,
        "--dry-run",
    )  # fmt: skip
    assert code == 0, err
    assert "ilo-adult-sexual 2009.1: unverified" in out
    assert "nothing was loaded" in out
    assert GradeTable.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="screening.grade_table").exists()
