"""Reading INFORM Risk as published: the JRC workbook (sheet ``INFORM Risk YYYY (a-z)``), the
same table as CSV, or the long trends CSV (``CountryName, Iso3, GNAYear, IndicatorId, ...``).
No Django here: the import service stores what this returns.

Every value is checked: a score is a number from 0 to 10, or empty/``x`` (no data); an ISO3 code
is three capital letters; a problem names the file, the row (as a spreadsheet numbers it) and
the column. Keys are ISO3, never the country's name (names differ between editions).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WIDE_REQUIRED = (
    "COUNTRY",
    "ISO3",
    "INFORM RISK",
    "RISK CLASS",
    "HAZARD & EXPOSURE",
    "VULNERABILITY",
    "LACK OF COPING CAPACITY",
)
TREND_REQUIRED = ("CountryName", "Iso3", "GNAYear", "IndicatorId", "IndicatorScore")
TREND_INDICATORS = {
    "INFORM": "risk",
    "HA": "hazard_exposure",
    "VU": "vulnerability",
    "CC": "lack_of_coping_capacity",
}
RISK_CLASSES = ("Very Low", "Low", "Medium", "High", "Very High")
SHEET = re.compile(r"^INFORM Risk (\d{4}) \(a-z\)$")
FILE_VERSION = re.compile(r"(\d{4})_v(\d)(\d)(\d)")
ISO3 = re.compile(r"^[A-Z]{3}$")
NOT_SCORES = {
    "COUNTRY",
    "ISO3",
    "RISK CLASS",
    "Rank",
    "Countries in HVC",
    "Number of Missing Indicators",
    "% of Missing Indicators",
    "Recentness data (average years)",
    "Lack of Reliability (*)",
}


class InformFileError(ValueError):
    """The file cannot be used: ``problems`` lists each fault with its file, row and column."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


@dataclass
class CountryScore:
    iso3: str
    name: str
    risk: float | None
    risk_class: str = ""
    rank: int | None = None
    hazard_exposure: float | None = None
    vulnerability: float | None = None
    lack_of_coping_capacity: float | None = None
    highly_violent_conflict: bool = False
    components: dict[str, float | None] = field(default_factory=dict)


@dataclass
class Edition:
    label: str
    year: int
    countries: list[CountryScore]


@dataclass
class InformFile:
    name: str
    sha256: str
    editions: list[Edition]


def _score(value: Any, where: str, problems: list[str]) -> float | None:
    if value is None:
        return None
    text = str(value).strip()
    if text in ("", "x", "X"):
        return None
    try:
        number = float(text)
    except ValueError:
        problems.append(f"{where}: {text[:20]!r} is not a number")
        return None
    if not 0 <= number <= 10:
        problems.append(f"{where}: {number} is outside 0 to 10")
        return None
    return round(number, 3)


def _rank(value: Any, where: str, problems: list[str]) -> int | None:
    text = "" if value is None else str(value).strip()
    if text == "":
        return None
    try:
        return int(float(text))
    except ValueError:
        problems.append(f"{where}: {text[:20]!r} is not a rank")
        return None


def _edition_label(source: str, year: int) -> str:
    match = FILE_VERSION.search(source)
    if match and int(match.group(1)) == year:
        return f"INFORM Risk {year} v{match.group(2)}.{match.group(3)}.{match.group(4)}"
    return f"INFORM Risk {year}"


def _wide(
    name: str, header: list[str], rows: Iterable[tuple[int, list[Any]]], year: int, label: str
) -> Edition:
    missing = [column for column in WIDE_REQUIRED if column not in header]
    if missing:
        raise InformFileError([f"{name}: row 1: the header lacks column {missing[0]!r}"])
    index = {column: position for position, column in enumerate(header)}
    problems: list[str] = []
    countries: list[CountryScore] = []
    seen: set[str] = set()
    for number, cells in rows:

        def cell(column: str, cells: list[Any] = cells) -> Any:
            position = index[column]
            return cells[position] if position < len(cells) else None

        iso3 = str(cell("ISO3") or "").strip()
        where = f"{name}: row {number}"
        if not ISO3.match(iso3):
            problems.append(f"{where}, ISO3: {iso3[:10]!r} is not an ISO 3166 alpha-3 code")
            continue
        if iso3 in seen:
            problems.append(f"{where}, ISO3: {iso3} appears twice")
        seen.add(iso3)
        risk_class = str(cell("RISK CLASS") or "").strip()
        if risk_class and risk_class not in RISK_CLASSES:
            problems.append(f"{where}, RISK CLASS: {risk_class[:20]!r} is not an INFORM class")
        components = {
            column: _score(cell(column), f"{where}, {column}", problems)
            for column in header
            if column and column not in NOT_SCORES
        }
        countries.append(
            CountryScore(
                iso3=iso3,
                name=str(cell("COUNTRY") or iso3).strip(),
                risk=components.pop("INFORM RISK", None),
                risk_class=risk_class,
                rank=_rank(cell("Rank"), f"{where}, Rank", problems) if "Rank" in index else None,
                hazard_exposure=components.pop("HAZARD & EXPOSURE", None),
                vulnerability=components.pop("VULNERABILITY", None),
                lack_of_coping_capacity=components.pop("LACK OF COPING CAPACITY", None),
                highly_violent_conflict=str(cell("Countries in HVC") or "").strip().upper() == "YES"
                if "Countries in HVC" in index
                else False,
                components=components,
            )
        )
        if len(problems) > 200:
            break
    if problems:
        raise InformFileError(problems)
    if not countries:
        raise InformFileError([f"{name}: no country row"])
    return Edition(label=label, year=year, countries=countries)


def _trends(name: str, header: list[str], rows: Iterable[tuple[int, list[Any]]]) -> list[Edition]:
    missing = [column for column in TREND_REQUIRED if column not in header]
    if missing:
        raise InformFileError([f"{name}: row 1: the header lacks column {missing[0]!r}"])
    index = {column: position for position, column in enumerate(header)}
    problems: list[str] = []
    by_year: dict[int, dict[str, CountryScore]] = defaultdict(dict)
    for number, cells in rows:
        where = f"{name}: row {number}"
        iso3 = str(cells[index["Iso3"]]).strip()
        indicator = str(cells[index["IndicatorId"]]).strip()
        if not ISO3.match(iso3):
            problems.append(f"{where}, Iso3: {iso3[:10]!r} is not an ISO 3166 alpha-3 code")
            continue
        try:
            year = int(str(cells[index["GNAYear"]]).strip())
        except ValueError:
            problems.append(f"{where}, GNAYear: not a year")
            continue
        if indicator not in TREND_INDICATORS:
            continue
        value = _score(cells[index["IndicatorScore"]], f"{where}, IndicatorScore", problems)
        country = by_year[year].setdefault(
            iso3, CountryScore(iso3=iso3, name=str(cells[index["CountryName"]]).strip(), risk=None)
        )
        setattr(country, TREND_INDICATORS[indicator], value)
    if problems:
        raise InformFileError(problems)
    if not by_year:
        raise InformFileError([f"{name}: no INFORM, HA, VU or CC row"])
    # GNAYear N is the edition labelled "INFORM Risk N+1" (see shared/data/inform/README.md)
    return [
        Edition(
            label=f"INFORM Risk {year + 1} (trend series)",
            year=year + 1,
            countries=sorted(by_year[year].values(), key=lambda c: c.iso3),
        )
        for year in sorted(by_year)
    ]


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(handle)
    header = [h.strip() for h in next(reader, [])]
    return header, (
        (number, cells)
        for number, cells in enumerate(reader, start=2)
        if any(c.strip() for c in cells)
    )


def read(path: Path, *, year: int | None = None) -> InformFile:
    """The editions in an INFORM workbook or CSV; InformFileError says what is wrong where."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise InformFileError([f"{path.name}: {error.strerror}"]) from None
    digest = hashlib.sha256(content).hexdigest()
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return InformFile(path.name, digest, [_workbook(path)])
    if suffix != ".csv":
        raise InformFileError([f"{path.name}: give the INFORM workbook (.xlsx) or a CSV file"])
    header, rows = _csv_rows(path)
    if "IndicatorId" in header:
        return InformFile(path.name, digest, _trends(path.name, header, rows))
    found = FILE_VERSION.search(path.name)
    edition_year = year or (int(found.group(1)) if found else None)
    if edition_year is None:
        raise InformFileError(
            [f"{path.name}: say which edition this is (its year), or keep the year in the name"]
        )
    label = _edition_label(path.name, edition_year)
    return InformFile(path.name, digest, [_wide(path.name, header, rows, edition_year, label)])


def _workbook(path: Path) -> Edition:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as error:
        raise InformFileError([f"{path.name}: not a readable workbook ({error})"]) from None
    sheets = [(SHEET.match(name), name) for name in book.sheetnames]
    found = [(match, name) for match, name in sheets if match]
    if not found:
        raise InformFileError([f"{path.name}: no sheet named 'INFORM Risk YYYY (a-z)'"])
    match, sheet_name = found[0]
    year = int(match.group(1))
    values = book[sheet_name].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(values, ())]
    rows = (
        (number, list(cells))
        for number, cells in enumerate(values, start=2)
        if any(c not in (None, "") for c in cells)
    )
    return _wide(f"{path.name} [{sheet_name}]", header, rows, year, _edition_label(path.name, year))


def class_of(value: float | None) -> int | None:
    """SafePath's display bins for a 0-10 score, after INFORM's classes (Very Low to Very High):
    below 2, 2 to 3.5, 3.5 to 5, 5 to 6.5, 6.5 and over."""
    if value is None:
        return None
    for number, limit in enumerate((2.0, 3.5, 5.0, 6.5)):
        if value < limit:
            return number
    return 4
