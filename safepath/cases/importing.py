"""Import cases from a spreadsheet (CSV or XLSX) through a column mapping: every row checked
first, every problem reported with its row and field, then all rows registered or none.

The mapping file (YAML) names, for each SafePath field, the spreadsheet's column, and may
translate values and give a date format::

    columns: {given_name: "First name", date_of_birth: "DOB", identified_on: "Date seen"}
    values: {sex: {F: female, M: male}}
    date_format: "%d/%m/%Y"
    lists: {forms_of_exploitation: ";"}   # a cell holding several codes, and their separator
    defaults: {nationality: KE}
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.cases.serializers import CaseCreateSerializer
from safepath.cases.services import CaseInput, ChildInput, cases_register_many
from safepath.cases.services.records import check_case_dates
from safepath.core.exceptions import FieldValidationError

CHILD_KEYS = frozenset(ChildInput.__dataclass_fields__)
CASE_KEYS = frozenset(CaseInput.__dataclass_fields__) - {"status"}
LIST_KEYS = frozenset(
    {
        "other_names",
        "languages",
        "forms_of_exploitation",
        "countries_of_transit",
        "means_of_control",
    }
)
DATE_KEYS = frozenset({"date_of_birth", "identified_on"})
BOOLEAN_KEYS = frozenset({"date_of_birth_estimated", "stateless"})
_TRUE = {"1", "true", "yes", "y", "oui", "sí", "si"}
MAX_PROBLEMS = 200


class ImportFileError(Exception):
    """The file or the mapping cannot be used at all (not a row's problem)."""


@dataclass(frozen=True)
class Problem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


@dataclass
class Mapping:
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_format: str = "%Y-%m-%d"
    lists: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Mapping:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise ImportFileError(f"{path}: cannot read the mapping ({error})") from None
        if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
            raise ImportFileError(f"{path}: the mapping needs a 'columns' section")
        known = CHILD_KEYS | CASE_KEYS
        unknown = sorted(set(raw["columns"]) | set(raw.get("defaults") or {}) - known)
        unknown = [name for name in unknown if name not in known]
        if unknown:
            raise ImportFileError(
                f"{path}: unknown field {unknown[0]!r}; fields are: {', '.join(sorted(known))}"
            )
        for required in ("given_name", "identified_on"):
            if required not in raw["columns"] and required not in (raw.get("defaults") or {}):
                raise ImportFileError(f"{path}: map a column to the required field {required!r}")
        return cls(
            columns={str(k): str(v) for k, v in raw["columns"].items()},
            values={
                str(k): {str(a): str(b) for a, b in v.items()}
                for k, v in (raw.get("values") or {}).items()
            },
            date_format=str(raw.get("date_format") or "%Y-%m-%d"),
            lists={str(k): str(v) for k, v in (raw.get("lists") or {}).items()},
            defaults=dict(raw.get("defaults") or {}),
        )


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and the rows (numbered as in the spreadsheet) of a CSV or XLSX file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            handle = path.open(encoding="utf-8-sig", newline="")
        except OSError as error:
            raise ImportFileError(f"{path}: {error.strerror}") from None
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        rows = (
            (number, dict(zip(header, (c.strip() for c in cells), strict=False)))
            for number, cells in enumerate(reader, start=2)
            if any(c.strip() for c in cells)
        )
        return header, rows
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).active
        except (OSError, ValueError, KeyError) as error:
            raise ImportFileError(f"{path}: not a readable XLSX file ({error})") from None
        if sheet is None:
            raise ImportFileError(f"{path}: the workbook has no sheet")
        values = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(values, ())]
        return header, (
            (number, {h: _cell(c) for h, c in zip(header, cells, strict=False)})
            for number, cells in enumerate(values, start=2)
            if any(c not in (None, "") for c in cells)
        )
    raise ImportFileError(f"{path}: give a .csv or .xlsx file")


def _cell(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _convert(mapping: Mapping, name: str, text: str, row: int, problems: list[Problem]) -> Any:
    text = mapping.values.get(name, {}).get(text, text)
    if name in LIST_KEYS:
        separator = mapping.lists.get(name, ";")
        return [part.strip() for part in text.split(separator) if part.strip()]
    if name in BOOLEAN_KEYS:
        return text.lower() in _TRUE
    if name in DATE_KEYS and text:
        for fmt in (mapping.date_format, "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007
            except ValueError:
                continue
        problems.append(
            Problem(row, name, f"{text!r} is not a date in the form {mapping.date_format}")
        )
        return None
    return text


def _body(
    mapping: Mapping, row: int, cells: dict[str, str], problems: list[Problem]
) -> dict[str, Any]:
    values: dict[str, Any] = dict(mapping.defaults)
    for name, column in mapping.columns.items():
        text = cells.get(column, "")
        if text == "" and name in values:
            continue
        converted = _convert(mapping, name, text, row, problems)
        if converted not in ("", None, []):
            values[name] = converted
    child = {k: v for k, v in values.items() if k in CHILD_KEYS}
    case = {k: v for k, v in values.items() if k in CASE_KEYS}
    return {**case, "child": child}


def _flatten(errors: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = key if key != "child" else ""
            yield from _flatten(value, f"{prefix}{name}." if name else prefix)
    elif isinstance(errors, list) and errors and not isinstance(errors[0], str | dict | list):
        yield prefix.rstrip("."), " ".join(str(e) for e in errors)
    elif isinstance(errors, list):
        for item in errors:
            if isinstance(item, dict | list):
                yield from _flatten(item, prefix)
            else:
                yield prefix.rstrip("."), str(item)


@dataclass
class ImportReport:
    rows: int = 0
    created: list[str] = field(default_factory=list)  # case references
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": len(self.created),
            "references": self.created,
            "dry_run": self.dry_run,
            "problems": [
                {"row": p.row, "field": p.field, "message": p.message} for p in self.problems
            ],
        }


def cases_import(
    *,
    path: Path,
    mapping: Mapping,
    user: User,
    dry_run: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every row; if all are valid and this is not a dry run, register them all at once."""
    header, rows = read_rows(path)
    missing = sorted({c for c in mapping.columns.values() if c not in header})
    if missing:
        raise ImportFileError(
            f"{path}: column {missing[0]!r} named in the mapping is not in the header "
            f"(the header has: {', '.join(h for h in header if h)})"
        )
    return cases_import_rows(
        rows=rows, mapping=mapping, user=user, dry_run=dry_run, progress=progress
    )


# Another importer (ODK/KoboToolbox submissions, in the emergency app) adds its own checks of a
# row, and its own records beside each case registered, inside the same all-or-nothing step.
RowCheck = Callable[[int, dict[str, str]], list[Problem]]
AfterRegister = Callable[[Case, int, dict[str, str]], None]
AfterImport = Callable[["ImportReport"], None]
Progress = Callable[[int], None]


def cases_import_rows(
    *,
    rows: Iterable[tuple[int, dict[str, str]]],
    mapping: Mapping,
    user: User,
    dry_run: bool,
    check_row: RowCheck | None = None,
    after_register: AfterRegister | None = None,
    after_import: AfterImport | None = None,
    channel: str = Channel.CLI,
    progress: Progress | None = None,
) -> ImportReport:
    """The rows (numbered as the source numbers them) through the same checks and the same
    all-or-nothing registration as a spreadsheet. ``after_register`` runs for each case and
    ``after_import`` once, both inside the one transaction that stores the cases; ``progress``
    is told how many valid rows have been prepared."""
    report = ImportReport(dry_run=dry_run)
    valid: list[tuple[int, dict[str, Any], dict[str, str]]] = []
    for number, cells in rows:
        report.rows += 1
        problems: list[Problem] = list(check_row(number, cells)) if check_row else []
        body = _body(mapping, number, cells, problems)
        checked = CaseCreateSerializer(data=body)
        if not checked.is_valid():
            problems += [Problem(number, name, text) for name, text in _flatten(checked.errors)]
        else:
            try:
                check_case_dates(
                    date_of_birth=checked.validated_data["child"].get("date_of_birth"),
                    identified_on=checked.validated_data["identified_on"],
                )
            except FieldValidationError as error:
                problems += [Problem(number, k, " ".join(v)) for k, v in error.fields.items()]
        if problems:
            report.problems += problems
        elif not report.problems:
            valid.append((number, dict(checked.validated_data), cells))
        if len(report.problems) >= MAX_PROBLEMS:
            break
    if report.problems or dry_run:
        return report
    entries = []
    for _number, fields, _cells in valid:
        fields = dict(fields)
        entries.append((ChildInput(**fields.pop("child")), CaseInput(**fields)))
    # The per-row work (checks, normalising, blind indexes) happens before the transaction; the
    # transaction only inserts, and chains every audit event at its end, so the service's other
    # users are not kept waiting on its locks (docs/deploy.md, "Imports").

    def beside_each_case(cases: list[Case]) -> None:
        for (number, _fields, cells), case in zip(valid, cases, strict=True):
            if after_register is None:
                break
            try:
                after_register(case, number, cells)
            except FieldValidationError as error:
                report.problems += [
                    Problem(number, name, " ".join(messages))
                    for name, messages in error.fields.items()
                ]
        if report.problems:
            raise _RolledBackError
        report.created = [case.reference for case in cases]
        if after_import is not None:
            after_import(report)

    try:
        cases_register_many(
            user=user, entries=entries, channel=channel, progress=progress, then=beside_each_case
        )
    except _RolledBackError:
        report.created = []
    return report


class _RolledBackError(Exception):
    """A row failed inside the storing transaction: roll it all back, keep the problems."""
