"""Canonical person records for linkage: columns, mapping from other files, validation.

Every source (a SafePath case, a partner's CSV export, a FEBRL benchmark file) is turned
into the same columns before any comparison, so one model serves all of them. A mapping
YAML names, for each canonical column, the source column it comes from::

    version: 1
    source: "Partner NGO export, layout of 2026-05"   # citation, kept with the data
    columns: {record_id: case_no, given_name: first, family_name: last, date_of_birth: dob}
    date_format: "%d/%m/%Y"      # optional; ISO (YYYY-MM-DD) and YYYYMMDD are always tried
    invalid_dates: error         # or "blank": keep the row, drop the date, keep a plain year

Partial dates whose month or day is ``00`` (``1994-00-00``: "born in 1994") are common in
humanitarian registers; they become ``birth_year_estimate`` instead of an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from safepath.linkage.engine.errors import CanonicalError

CANONICAL_COLUMNS: tuple[str, ...] = (
    "record_id",
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "birth_year_estimate",
    "place_of_birth",
    "nationality",
    "mother_given_name",
    "father_given_name",
    "location",
    "source",
)
# Optional identifiers some sources carry (a registration or document number, a postal
# address). They sharpen matching when present and are ignored when absent.
OPTIONAL_COLUMNS: tuple[str, ...] = ("identifier", "address", "postcode")
REQUIRED_COLUMNS: tuple[str, ...] = ("record_id", "given_name", "family_name")
_AGE_COLUMNS = ("date_of_birth", "birth_year_estimate")
_MAX_LISTED_PROBLEMS = 20
_SEX_CODES = {
    "m": "m",
    "male": "m",
    "boy": "m",
    "f": "f",
    "female": "f",
    "girl": "f",
}


def load_mapping(path: str | Path) -> dict[str, Any]:
    """Read and check a mapping YAML; raise CanonicalError naming the file on any defect."""
    label = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CanonicalError([f"{label}: cannot read mapping ({exc})"]) from exc
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise CanonicalError([f"{label}: a mapping needs a 'columns' dictionary"])
    unknown = set(data["columns"]) - set(CANONICAL_COLUMNS) - set(OPTIONAL_COLUMNS)
    if unknown:
        problems.append(f"{label}: unknown canonical columns {sorted(unknown)}")
    if data.get("invalid_dates", "error") not in ("error", "blank"):
        problems.append(f"{label}: invalid_dates must be 'error' or 'blank'")
    if problems:
        raise CanonicalError(problems)
    return data


def read_records(
    path: str | Path, *, mapping: dict[str, Any] | None = None, source: str | None = None
) -> pd.DataFrame:
    """Read a CSV file as canonical records (all values kept as text until validated)."""
    label = str(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError as exc:
        raise CanonicalError([f"{label}: the file is empty"]) from exc
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise CanonicalError([f"{label}: cannot read CSV ({exc})"]) from exc
    return to_canonical(frame, mapping=mapping, label=label, source=source)


def to_canonical(
    frame: pd.DataFrame,
    *,
    mapping: dict[str, Any] | None = None,
    label: str = "records",
    source: str | None = None,
) -> pd.DataFrame:
    """Rename, check and normalise a frame; every problem names file, row and field.

    Rows are numbered as in the CSV file (header = row 1). Text is stripped, blanks become
    missing, ``date_of_birth`` becomes ISO text, ``birth_year_estimate`` a nullable integer.
    """
    mapping = mapping or {}
    renames = {src: canon for canon, src in mapping.get("columns", {}).items()}
    frame = frame.rename(columns=renames)
    if frame.empty:
        raise CanonicalError([f"{label}: the file is empty (no records)"])
    missing = [col for col in REQUIRED_COLUMNS if col not in frame.columns]
    if not any(col in frame.columns for col in _AGE_COLUMNS):
        missing.append("date_of_birth or birth_year_estimate")
    if missing:
        raise CanonicalError([f"{label}: missing required column(s): {', '.join(missing)}"])
    out = pd.DataFrame(index=frame.index)
    for col in (*CANONICAL_COLUMNS, *OPTIONAL_COLUMNS):
        if col in frame.columns:
            values = frame[col].astype("string").str.strip()
            out[col] = values.mask(values == "")
        else:
            out[col] = pd.Series(pd.NA, index=frame.index, dtype="string")
    if source is not None:
        out["source"] = out["source"].fillna(source)
    problems: list[str] = []
    _check_ids(out, label, problems)
    _parse_dates(out, mapping, label, problems)
    _parse_years(out, label, problems)
    out["sex"] = out["sex"].str.lower().map(_SEX_CODES).astype("string")
    if problems:
        extra = len(problems) - _MAX_LISTED_PROBLEMS
        listed = problems[:_MAX_LISTED_PROBLEMS]
        raise CanonicalError(listed + ([f"... and {extra} more"] if extra > 0 else []))
    out = out.reset_index(drop=True)
    out.attrs["safepath_canonical"] = True
    return out


def _csv_row(index: Any) -> int:
    return int(index) + 2


def _check_ids(out: pd.DataFrame, label: str, problems: list[str]) -> None:
    for index in out.index[out["record_id"].isna()]:
        problems.append(f"{label}: row {_csv_row(index)}, field record_id: empty")
    duplicated = out["record_id"].notna() & out["record_id"].duplicated(keep="first")
    for index in out.index[duplicated]:
        value = out.at[index, "record_id"]
        problems.append(f"{label}: row {_csv_row(index)}, field record_id: duplicate {value!r}")


def _parse_dates(
    out: pd.DataFrame, mapping: dict[str, Any], label: str, problems: list[str]
) -> None:
    raw = out["date_of_birth"]
    formats = [f for f in (mapping.get("date_format"), "%Y-%m-%d", "%Y%m%d") if f]
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = raw.notna() & parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(raw[todo], format=fmt, errors="coerce")
    failed = raw.notna() & parsed.isna()
    # Partial dates ("1994-00-00", "19940000", "1994"): keep the year as an estimate.
    digits = raw.str.replace("-", "", regex=False)
    year_text = digits.str.slice(0, 4)
    partial = failed & digits.str.fullmatch(r"(19|20)\d\d(00\d\d|\d\d00)?").fillna(False)
    year_only = year_text.where(partial)
    out["date_of_birth"] = parsed.dt.strftime("%Y-%m-%d").astype("string")
    invalid = failed & ~partial
    if mapping.get("invalid_dates", "error") == "blank":
        plausible = invalid & year_text.str.fullmatch(r"(19|20)\d\d").fillna(False)
        year_only = year_only.fillna(year_text.where(plausible))
    else:
        for index in out.index[invalid]:
            problems.append(
                f"{label}: row {_csv_row(index)}, field date_of_birth: "
                f"unparseable date {raw[index]!r}"
            )
    out["_partial_birth_year"] = year_only


def _parse_years(out: pd.DataFrame, label: str, problems: list[str]) -> None:
    raw = out["birth_year_estimate"]
    numbers = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & (numbers.isna() | (numbers < 1900) | (numbers > 2100))
    for index in out.index[bad]:
        problems.append(
            f"{label}: row {_csv_row(index)}, field birth_year_estimate: not a year {raw[index]!r}"
        )
    partial = pd.to_numeric(out.pop("_partial_birth_year"), errors="coerce")
    out["birth_year_estimate"] = numbers.where(~bad).fillna(partial).astype("Int64")
