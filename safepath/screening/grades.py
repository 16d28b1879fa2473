"""Transcribed grade tables: the strengths of an ILO/EC list, loaded to replace unverified ones.

The shipped ILO lists say in their ``grades`` field whether their strengths were transcribed
from the published tables; none of them are (see ``docs/screening/instruments.md``). Whoever
has the 2009 brochure transcribes a list's table into a file (JSON, see
``grade_table_schema.json``, or CSV with the columns ``item,strength[,source_ref]``), and an
administrator loads it (``safepath screen grades load``). The table must grade every item of
the list exactly once; a bad row is refused with its row number and field, and nothing is
loaded. ``apply`` gives the list with the table's strengths, marked transcribed, and a version
that names the table (``2009.1+g1a2b3c4d``) so that each signed record says which grades it was
scored with. No Django here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from safepath.screening.instruments import Grades, Instrument

SCHEMA_FILE = Path(__file__).with_name("grade_table_schema.json")
CSV_COLUMNS = ("item", "strength", "source_ref")
DIGEST_LENGTH = 8  # hex digits of the table's hash in the version: "2009.1+g" + 8 = 16 of 20


class GradeTableError(ValueError):
    """A grade table is refused: ``row`` (1-based; 0 for the whole table) and ``field``."""

    def __init__(self, row: int, field: str, reason: str):
        where = f"row {row}, field {field}" if row else f"field {field}"
        super().__init__(f"{where}: {reason}")
        self.row = row
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class GradeTable:
    instrument_id: str
    instrument_version: str
    source: str
    strengths: Mapping[str, str]  # item id -> strength
    document: Mapping[str, Any]  # the table as loaded, for the record

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.document, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def version_suffix(self) -> str:
        return f"+g{self.digest[:DIGEST_LENGTH]}"


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def read_csv(
    text: str, *, instrument_id: str, instrument_version: str, source: str
) -> tuple[dict[str, Any], list[int]]:
    """A CSV table as the JSON document, with the file's line number of each row."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    if "item" not in header or "strength" not in header:
        raise GradeTableError(0, "header", "the first line must name the columns item,strength")
    extra = [name for name in header if name not in CSV_COLUMNS]
    if extra:
        raise GradeTableError(0, "header", f"unknown column {extra[0]!r}")
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    for found in reader:
        if found.get(None):
            raise GradeTableError(reader.line_num, "(row)", "more cells than columns")
        row = {
            key.strip(): (value or "").strip()
            for key, value in found.items()
            if key is not None and (key.strip() != "source_ref" or (value or "").strip())
        }
        rows.append(row)
        lines.append(reader.line_num)
    document = {
        "instrument": instrument_id,
        "instrument_version": instrument_version,
        "source": source,
        "rows": rows,
    }
    return document, lines


def parse_table(
    document: Any, instrument: Instrument, *, row_numbers: Sequence[int] | None = None
) -> GradeTable:
    """Check a table against the schema and the list it grades. ``row_numbers`` gives, for a
    CSV, the file's line of each row (errors name it); a JSON table's rows count from 1."""

    def row_label(index: int) -> int:
        return row_numbers[index] if row_numbers is not None else index + 1

    if not isinstance(document, Mapping):
        raise GradeTableError(0, "(table)", "a grade table is one JSON object")
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        path = list(errors[0].absolute_path)
        if len(path) >= 2 and path[0] == "rows" and isinstance(path[1], int):
            field = ".".join(str(part) for part in path[2:]) or "(row)"
            raise GradeTableError(row_label(path[1]), field, errors[0].message)
        raise GradeTableError(0, ".".join(str(p) for p in path) or "(table)", errors[0].message)
    if document["instrument"] != instrument.id:
        raise GradeTableError(0, "instrument", f"this table is not for {instrument.id}")
    if instrument.grades is None:
        raise GradeTableError(0, "instrument", f"{instrument.id} has no graded indicators")
    base_version = instrument.version.split("+", 1)[0]
    if document["instrument_version"] != base_version:
        raise GradeTableError(
            0,
            "instrument_version",
            f"the shipped {instrument.id} is version {base_version}, "
            f"not {document['instrument_version']}",
        )
    known = {item.id for item in instrument.items}
    strengths: dict[str, str] = {}
    for index, row in enumerate(document["rows"]):
        if row["item"] not in known:
            raise GradeTableError(
                row_label(index), "item", f"{instrument.id} has no item {row['item']!r}"
            )
        if row["item"] in strengths:
            raise GradeTableError(row_label(index), "item", f"{row['item']} is graded twice")
        strengths[row["item"]] = row["strength"]
    missing = [item.id for item in instrument.items if item.id not in strengths]
    if missing:
        raise GradeTableError(
            0,
            "rows",
            f"every item must be graded; missing {len(missing)}: " + ", ".join(missing[:10]),
        )
    return GradeTable(
        instrument_id=instrument.id,
        instrument_version=base_version,
        source=document["source"],
        strengths=strengths,
        document=dict(document),
    )


def apply(instrument: Instrument, table: GradeTable) -> Instrument:
    """The list graded by ``table``: strengths replaced, marked transcribed, versioned."""
    items = tuple(replace(item, strength=table.strengths[item.id]) for item in instrument.items)
    return replace(
        instrument,
        items=items,
        version=table.instrument_version + table.version_suffix,
        grades=Grades(status="transcribed", source=table.source, table=table.digest),
    )


def load_file(path: Path, instrument: Instrument, *, source: str = "") -> GradeTable:
    """A JSON or CSV table from a file (a CSV needs ``source``: the document transcribed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise GradeTableError(0, "(file)", f"cannot read {path.name}: {error}") from None
    if path.suffix.lower() == ".csv":
        if not source:
            raise GradeTableError(0, "source", "a CSV table needs --source (what was transcribed)")
        document, lines = read_csv(
            text,
            instrument_id=instrument.id,
            instrument_version=instrument.version.split("+", 1)[0],
            source=source,
        )
        return parse_table(document, instrument, row_numbers=lines)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise GradeTableError(
            0, "(file)", f"not valid JSON (line {error.lineno}): {error.msg}"
        ) from None
    if source and isinstance(document, dict):
        document = {**document, "source": source}
    return parse_table(document, instrument)
