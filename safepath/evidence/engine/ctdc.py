"""Reading CTDC-format files: the field catalogue, header and value validation, import.

CTDC has published three schemas (k-anonymised Global Dataset, Global Synthetic Dataset 2024,
victim-perpetrator synthetic dataset 2022); ``data/ctdc_field_catalog.csv`` lists each field's
allowed values. A file is accepted only if its header is exactly one schema's field set and
every value is allowed; otherwise the error names the file, row, field and allowed values,
and nothing is stored.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pycountry

from safepath.evidence.engine.dimensions import CASES_SOURCE, DATA_DIR, Dimension, InputError
from safepath.evidence.engine.store import AnalysisStore, SourceInfo, table_name

# The k-anonymised download opens with this disclaimer column (empty cells); it is dropped.
DISCLAIMER_PREFIX = "By using this data"

# HXL tags for CTDC fields that have a standard hashtag (HXL dictionary 1.1); the rest get
# ``#meta+<field>``. Citizenship/exploitation follow the origin/dest convention of HXL.
CTDC_HXL = {
    "gender": "#meta+sex",
    "ageBroad": "#meta+age_broad",
    "majorityStatus": "#meta+age_group",
    "citizenship": "#country+code+origin",
    "CountryOfExploitation": "#country+code+dest",
    "UN_COO_Region": "#region+name+origin",
    "UN_COE_Region": "#region+name+dest",
    "yearOfRegistration": "#date+year+reported",
    "yearRegister": "#date+year+reported",
}


class CTDCError(InputError):
    """A CTDC file that does not match the catalogue; the message names field and allowed values."""

    def __init__(self, message: str, *, field_name: str, row: int | None = None) -> None:
        super().__init__(message, field_name=field_name)
        self.row = row


@dataclass(frozen=True)
class FieldRule:
    schema: str
    position: int
    name: str
    kind: str
    allowed_text: str
    values: frozenset[str] | None  # exact allowed values (None: see ``check``)
    is_list: bool
    check: Callable[[str], bool]
    missing_text: str

    def allows(self, value: str) -> bool:
        if self.is_list:
            return all(self.check(part) for part in value.split(";"))
        return self.check(value)

    def describe(self) -> str:
        if self.values is not None:
            text = ", ".join(sorted(self.values))
            if self.is_list:
                text += " (or several joined by ';')"
            return f"{text}, or blank"
        return f"{self.allowed_text}, or blank"


def _rule(row: dict[str, str]) -> FieldRule:
    kind = row["type"]
    text = row["allowed_values"].strip()
    is_list = kind.startswith("string(list")
    values: frozenset[str] | None = None
    check: Callable[[str], bool]
    years = re.match(r"^(\d{4})\.\.(\d{4})", text)
    if "ISO 3166-1 alpha-2" in text:
        codes = frozenset(c.alpha_2 for c in pycountry.countries) | {"ZZ"}
        check = codes.__contains__
    elif "ISO 3166-1 alpha-3" in text:
        codes = frozenset(c.alpha_3 for c in pycountry.countries)
        check = codes.__contains__
    elif kind == "int" and years:
        low, high = int(years.group(1)), int(years.group(2))
        check = lambda v: v.isdigit() and low <= int(v) <= high  # noqa: E731
    elif '"' in text or "(" in text:
        check = lambda v: True  # noqa: E731 - free text in the catalogue; not enumerable
    else:
        base = text.replace(" and ;-joined combinations", "")
        separator = "|" if "|" in base else ";"
        values = frozenset(part.strip() for part in base.split(separator) if part.strip())
        check = values.__contains__
    return FieldRule(
        schema=row["schema"],
        position=int(row["position"]),
        name=row["field"],
        kind=kind,
        allowed_text=text,
        values=values,
        is_list=is_list,
        check=check,
        missing_text=row["missing"],
    )


@cache
def catalogue() -> dict[str, tuple[FieldRule, ...]]:
    """Schema id -> its fields in order, from ``data/ctdc_field_catalog.csv``."""
    schemas: dict[str, list[FieldRule]] = {}
    with (DATA_DIR / "ctdc_field_catalog.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            schemas.setdefault(row["schema"], []).append(_rule(row))
    for fields in schemas.values():
        fields.sort(key=lambda f: f.position)
    return {name: tuple(fields) for name, fields in schemas.items()}


def dimensions_for_schema(schema: str) -> list[Dimension]:
    """An imported source's dimensions: its CTDC field names with their public values."""
    dims = []
    for rule in catalogue()[schema]:
        public = (
            tuple(sorted(rule.values)) if rule.values is not None and not rule.is_list else None
        )
        dims.append(
            Dimension(
                name=rule.name,
                label=rule.name,
                values=public,
                hxl=CTDC_HXL.get(rule.name, f"#meta+{rule.name.lower()}"),
                ctdc=rule.name,
            )
        )
    return dims


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def detect_schema(path: Path, header: list[str]) -> str:
    """The schema whose field set equals ``header``, or a CTDCError naming the bad fields."""
    fields = set(header)
    best, best_overlap = "", -1
    for schema, rules in catalogue().items():
        names = {r.name for r in rules}
        if names == fields and len(header) == len(fields):
            return schema
        overlap = len(names & fields)
        if overlap > best_overlap:
            best, best_overlap = schema, overlap
    expected = [r.name for r in catalogue()[best]]
    unknown = [f for f in header if f not in expected]
    missing = [f for f in expected if f not in fields]
    duplicated = sorted({f for f in header if header.count(f) > 1})
    problems = []
    if unknown:
        problems.append(f"unexpected field(s) {', '.join(unknown)}")
    if missing:
        problems.append(f"missing field(s) {', '.join(missing)}")
    if duplicated:
        problems.append(f"repeated field(s) {', '.join(duplicated)}")
    field_name = (unknown or missing or duplicated or ["header"])[0]
    raise CTDCError(
        f"{path.name}, header: {'; '.join(problems)}. The header does not match any CTDC "
        f"schema; the nearest is {best}, whose allowed fields are: {', '.join(expected)}.",
        field_name=field_name,
        row=1,
    )


def read_ctdc(path: Path) -> tuple[str, pa.Table]:
    """Parse and validate a CTDC file; (schema id, table of strings with nulls for blanks)."""
    path = Path(path)
    if not path.is_file():
        raise CTDCError(f"{path}: no such file.", field_name="file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first_line = handle.readline()
    delimiter = _sniff_delimiter(first_line)
    header = next(csv.reader([first_line], delimiter=delimiter))
    header = [name.strip() for name in header]
    disclaimer = bool(header) and header[0].startswith(DISCLAIMER_PREFIX)
    fields = header[1:] if disclaimer else header
    schema = detect_schema(path, fields)
    rules = {r.name: r for r in catalogue()[schema]}
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding="utf8", block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                null_values=["", "-99"],
                strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as error:
        raise CTDCError(
            f"{path.name}: not a readable CSV file ({error}).", field_name="file"
        ) from error
    if disclaimer:
        table = table.drop_columns([header[0]])
    columns = []
    for name in fields:
        column = pc.utf8_trim_whitespace(table.column(name))
        column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
        rule = rules[name]
        for value in pc.unique(column).to_pylist():
            if value is not None and not rule.allows(value):
                row = int(pc.index(column, value).as_py()) + 2  # 1-based, after the header
                raise CTDCError(
                    f"{path.name}, row {row}, field {name}: value '{value}' is not allowed; "
                    f"allowed values: {rule.describe()}.",
                    field_name=name,
                    row=row,
                )
        columns.append(column)
    return schema, pa.table(columns, names=fields)


def import_ctdc(store: AnalysisStore, path: Path, name: str) -> SourceInfo:
    """Validate a CTDC file and load it as source ``name`` (replacing any earlier load)."""
    if name == CASES_SOURCE:
        raise CTDCError(
            f"The source name '{CASES_SOURCE}' is reserved for this system's own case data; "
            "choose another --name.",
            field_name="name",
        )
    table_name(name)  # validates the name before reading anything
    schema, table = read_ctdc(Path(path))
    return store.replace_source(
        name, table, dimensions_for_schema(schema), schema=schema, origin=Path(path).name
    )


def parse_tabstat(path: Path) -> dict[str, dict[str | None, int]]:
    """CTDC's ``TabStat`` sheet: variable -> {value (None = missing): count, "__total__": n}."""
    import openpyxl

    sheet = openpyxl.load_workbook(path, read_only=True)["TabStat"]
    tables: dict[str, dict[str | None, int]] = {}
    current: dict[str | None, int] | None = None
    in_valid = False
    for row in sheet.iter_rows(values_only=True):
        first, second, freq = row[0], row[1], row[2]
        if first not in (None, "Valid", "Missing", "Total") and second is not None and freq is None:
            current = tables.setdefault(str(first), {})
            in_valid = False
            continue
        if current is None:
            continue
        if first == "Valid":
            in_valid = True
        if first == "Missing":
            current[None] = int(str(freq))
            in_valid = False
        elif first == "Total":
            current["__total__"] = int(str(freq))
            current = None
        elif second == "Total":
            in_valid = False
        elif in_valid and second is not None:
            current[str(second)] = int(str(freq))
    return tables


def compare_frequencies(
    expected: dict[str, dict[str | None, int]], store: AnalysisStore, source: str
) -> list[str]:
    """Differences between published frequencies and an imported source's (empty: identical)."""
    from safepath.evidence.engine.tables import validation_frequencies

    problems = []
    for variable, counts in expected.items():
        observed = validation_frequencies(store, source, variable)
        want = {v: n for v, n in counts.items() if v != "__total__"}
        if observed != want:
            problems.append(f"{variable}: expected {want}, imported {observed}")
        total = counts.get("__total__", sum(want.values()))
        if sum(observed.values()) != total:
            problems.append(f"{variable}: total {sum(observed.values())} != {total}")
    return problems
