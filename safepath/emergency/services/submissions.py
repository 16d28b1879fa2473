"""ODK Collect and KoboToolbox submissions of the rapid-registration XLSForm, imported into cases
through the cases import (``cases.importing.cases_import_rows``): every row checked first (the
form's own checks, then the case's), every problem named by row and field, then all rows
registered or none.

Accepted: KoboToolbox's CSV export (``;`` or ``,``, groups joined by ``/``) and JSON (a list, or
the API's ``{"results": [...]}``); ODK Central's CSV (groups joined by ``-``) and OData JSON
(``{"value": [...]}``). Each submission must carry the form version (the form's calculated
``form_version``, or ODK Central's ``FormVersion``); an unknown version is refused. A submission
already imported (same instance id) is skipped, so importing a cumulative export again is safe.
The photograph is not imported (it is an attachment, kept in the collection tool).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.cases.importing import (
    ImportFileError,
    ImportReport,
    Mapping,
    Problem,
    cases_import_rows,
)
from safepath.cases.models import Case
from safepath.emergency import fieldform
from safepath.emergency.messages import problem_text
from safepath.emergency.models import Registration, RegistrationSource
from safepath.emergency.services.registration import birth_of, registration_attach

VERSION_COLUMNS = ("form_version", "FormVersion")
INSTANCE_COLUMNS = ("instanceID", "_uuid", "KEY", "__id")
CASE_MAPPING = Mapping(
    columns={
        "given_name": "given_name",
        "family_name": "family_name",
        "other_names": "other_names",
        "sex": "sex",
        "date_of_birth": "date_of_birth",
        "date_of_birth_estimated": "date_of_birth_estimated",
        "nationality": "nationality",
        "languages": "languages",
        "care_arrangement": "care_status",
        "identified_on": "registered_on",
    },
    lists={"other_names": ";", "languages": ";"},
)
NAMESPACE = uuid.UUID("6f1c4c0e-2d8b-4c8e-9d8e-5a1f7b0c3e21")  # SafePath's, for instance ids


@dataclass
class SubmissionReport:
    rows: int = 0
    created: list[str] = field(default_factory=list)
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": len(self.created),
            "references": self.created,
            "already_imported": self.skipped,
            "dry_run": self.dry_run,
            "problems": [
                {"row": p.row, "field": p.field, "message": p.message} for p in self.problems
            ],
        }


def _short(key: str) -> str:
    """``child/given_name`` (Kobo) and ``child-given_name`` (ODK Central) are ``given_name``."""
    return key.replace("-", "/").rsplit("/", 1)[-1]


def _flat(item: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in item.items():
        if isinstance(value, dict):  # ODK Central's OData nests groups as objects
            out.update(_flat(value, f"{prefix}{key}/"))
        elif isinstance(value, list):
            out[f"{prefix}{key}"] = " ".join(str(v) for v in value)
        else:
            out[f"{prefix}{key}"] = "" if value is None else str(value)
    return out


def read_submissions(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Each submission as short names -> text, numbered as its source numbers it (a CSV's header
    is row 1; a JSON file's first submission is row 1)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"{path}: cannot read the file ({error})") from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(
                f"{path}: not valid JSON ({error.msg}, line {error.lineno})"
            ) from None
        if isinstance(data, dict):
            data = data.get("results", data.get("value"))
        if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
            raise ImportFileError(f"{path}: expected a list of submissions (or results/value)")
        for number, item in enumerate(data, start=1):
            yield number, {_short(k): v.strip() for k, v in _flat(item).items()}
        return
    if suffix != ".csv":
        raise ImportFileError(f"{path}: give the CSV or JSON export of the submissions")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_short(h.strip()) for h in next(reader, [])]
    if "given_name" not in header:
        raise ImportFileError(
            f"{path}: row 1 has no given_name column: is this an export of the SafePath "
            "rapid-registration form?"
        )
    for number, cells in enumerate(reader, start=2):
        if any(c.strip() for c in cells):
            yield number, dict(zip(header, (c.strip() for c in cells), strict=False))


def _record_id(cells: dict[str, str]) -> uuid.UUID | None:
    for column in INSTANCE_COLUMNS:
        value = cells.get(column, "").strip()
        if value:
            try:
                return uuid.UUID(value.removeprefix("uuid:"))
            except ValueError:
                return uuid.uuid5(NAMESPACE, value)
    return None


def _form_values(cells: dict[str, str]) -> dict[str, Any]:
    names = fieldform.definition().data_names
    return {name: cells[name] for name in names if name in cells and cells[name] != ""}


def submissions_import(*, path: Path, user: User, dry_run: bool) -> SubmissionReport:
    """Check every submission; import all (or none) through the cases import."""
    form = fieldform.definition()
    today = timezone.localdate()
    report = SubmissionReport(dry_run=dry_run)
    rows: list[tuple[int, dict[str, str]]] = []
    known = set(Registration.objects.values_list("record_id", flat=True))
    checked: dict[int, tuple[uuid.UUID, dict[str, Any], str]] = {}
    seen: set[uuid.UUID] = set()
    for number, cells in read_submissions(path):
        report.rows += 1
        record_id = _record_id(cells)
        if record_id is not None and record_id in known:
            report.skipped += 1
            continue
        version = next((cells[c] for c in VERSION_COLUMNS if cells.get(c)), "")
        problems = []
        if not version:
            problems.append(
                Problem(number, "form_version", "missing: export with the form_version column")
            )
        elif version not in form.accepted_versions:
            problems.append(
                Problem(
                    number,
                    "form_version",
                    f"unknown form version {version!r}; "
                    f"accepted: {', '.join(form.accepted_versions)}",
                )
            )
        if record_id is None:
            problems.append(
                Problem(number, "instanceID", "missing: every submission has an instance id")
            )
        elif record_id in seen:
            problems.append(Problem(number, "instanceID", "the same submission appears twice"))
        values, found = fieldform.clean_values(form, _form_values(cells), today=today)
        problems += [Problem(number, p.field, problem_text(p)) for p in found]
        if problems:
            report.problems += problems
            continue
        assert record_id is not None  # noqa: S101 - checked above
        seen.add(record_id)
        born, estimated = birth_of(values)
        cells = {
            **cells,
            "date_of_birth": born.isoformat() if born else "",
            "date_of_birth_estimated": "yes" if estimated else "",
            "nationality": values["nationality"],
            "languages": ";".join(values["languages"]),
            "other_names": ";".join(values["other_names"]),
        }
        checked[number] = (record_id, values, version)
        rows.append((number, cells))
    if report.problems:
        return report

    def attach(case: Case, number: int, cells: dict[str, str]) -> None:
        record_id, values, version = checked[number]
        registration_attach(
            user=user,
            case=case,
            record_id=record_id,
            values=values,
            channel=Channel.CLI,
            source=RegistrationSource.ODK,
            form_version=version,
        )

    def record(imported: ImportReport) -> None:
        audit_record(
            actor=Actor.of(user, Channel.CLI),
            action=Action.CREATE,
            object_type="emergency.submissions_import",
            object_id=path.name[:64],
            details={"created": len(imported.created), "already_imported": report.skipped},
        )

    # No transaction here: the cases import prepares its rows first and then stores the cases,
    # the registrations and this summary in one short transaction of its own.
    imported = cases_import_rows(
        rows=rows,
        mapping=CASE_MAPPING,
        user=user,
        dry_run=dry_run,
        after_register=attach,
        after_import=record,
    )
    report.problems += imported.problems
    report.created = imported.created
    return report
