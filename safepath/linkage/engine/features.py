"""Turn canonical records into the comparison columns the Splink model reads.

Keys are computed once per distinct value (registers repeat names thousands of times), so
a million records cost as many ``name_keys`` calls as there are distinct spellings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from safepath.linkage.engine.names import (
    NameKeys,
    broad_key,
    name_keys,
    normalise,
    to_latin,
    to_latin_text,
)

NAME_FIELDS: tuple[str, ...] = ("given_name", "family_name")
PARENT_FIELDS: tuple[str, ...] = ("mother_given_name", "father_given_name")
TEXT_FIELDS: tuple[str, ...] = ("place_of_birth", "location", "address")
EXACT_FIELDS: tuple[str, ...] = ("sex", "nationality", "postcode", "identifier")


def _per_distinct(values: pd.Series, compute: Callable[[str], Any]) -> pd.Series:
    """Apply ``compute`` once per distinct non-missing value; missing stays missing."""
    distinct = values.dropna().unique()
    lookup = {value: compute(value) for value in distinct}
    return values.map(lookup)


def _keys_list(keys: NameKeys) -> list[str]:
    """The keys compared as arrays: Latin tokens, phonetic codes, skeletons.

    Native-script forms are left out (the exact and Jaro-Winkler levels already compare
    them) unless there is no Latin form at all: short arrays keep a million-record run fast.
    """
    tokens = keys.latin.split() or keys.normalised.split()
    return [*tokens, *(f"dm:{c}" for c in keys.phonetic), *(f"sk:{s}" for s in keys.skeleton)]


def plain_keys(text: str) -> NameKeys:
    """Latin-only baseline: names transliterated and compared as text, no phonetic keys."""
    normalised = normalise(text)
    latin = to_latin(normalised) or normalised
    return NameKeys(normalised, latin, (), (), tuple(dict.fromkeys([latin, *latin.split()])))


def _name_columns(
    values: pd.Series, keys_of: Callable[[str], NameKeys], *, with_dm: bool
) -> dict[str, pd.Series]:
    """Latin form, key array and blocking keys of one name column.

    Everything is derived once per distinct name and then looked up, so a million rows
    cost dictionary lookups, not a million ``_keys_list`` calls (measured: a third of the
    feature time at 1 M records).
    """
    derived: dict[str, tuple[str, list[str], str, str]] = {}
    for value in values.dropna().unique():
        keys = keys_of(value)
        derived[value] = (
            keys.latin or keys.normalised,
            _keys_list(keys),
            keys.skeleton[0] if keys.skeleton else keys.latin,
            keys.phonetic[0] if keys.phonetic else keys.latin,
        )
    suffixes = ("latin", "keys", "block", "dm") if with_dm else ("latin", "keys", "block")
    columns: dict[str, pd.Series] = {}
    for position, suffix in enumerate(suffixes):
        lookup = {value: parts[position] for value, parts in derived.items()}
        if suffix == "keys":
            # Missing names stay None (not NaN): Splink's null level and the alias merge
            # both test for None.
            column = [lookup.get(value) for value in values]
            columns[suffix] = pd.Series(column, index=values.index, dtype=object)
        else:
            columns[suffix] = values.map(lookup).astype("string")
    return columns


def prepare(records: pd.DataFrame, *, cross_script: bool = True) -> pd.DataFrame:
    """Comparison-ready frame: ``unique_id`` plus Latin forms, key arrays and blocking keys.

    ``given_name`` absorbs ``other_names`` (aliases are variants of the same person), and a
    name with no Latin letters keeps its normalised form so it still compares exactly.
    """
    keys_of = name_keys if cross_script else plain_keys
    out = pd.DataFrame({"unique_id": records["record_id"].astype(str)})
    for field in (*NAME_FIELDS, *PARENT_FIELDS):
        columns = _name_columns(records[field], keys_of, with_dm=field in NAME_FIELDS)
        for suffix, column in columns.items():
            out[f"{field}_{suffix}"] = column
    if records["other_names"].notna().any():
        other = _per_distinct(
            records["other_names"],
            lambda text: [v for part in text.split(";") for v in keys_of(part).variants],
        )
        merged = [
            (a or []) + (b if isinstance(b, list) else []) or None
            for a, b in zip(out["given_name_keys"], other, strict=True)
        ]
        out["given_name_keys"] = pd.Series(merged, index=out.index, dtype=object)
    for field in TEXT_FIELDS:
        out[field] = _per_distinct(records[field], lambda t: to_latin_text(t) or t).astype("string")
    for field in EXACT_FIELDS:
        out[field] = records[field].str.lower().astype("string")
    out["date_of_birth"] = records["date_of_birth"].astype("string")
    out["family_name_initial"] = out["family_name_latin"].str.slice(0, 1)
    for field in NAME_FIELDS:
        out[f"{field}_block1"] = out[f"{field}_block"].str.slice(0, 1)
        out[f"{field}_broad"] = _per_distinct(out[f"{field}_block"], broad_key).astype("string")
        # First and last consonant: survives a typo inside the name, and is five to nine
        # times more selective than the first consonant alone (1 M run: docs/linkage).
        broad = out[f"{field}_broad"]
        out[f"{field}_ends"] = broad.str.slice(0, 1) + broad.str.slice(-1)
    dob_year = pd.to_numeric(records["date_of_birth"].str.slice(0, 4), errors="coerce")
    out["birth_year"] = dob_year.fillna(records["birth_year_estimate"].astype("Float64")).astype(
        "Int64"
    )
    # Two overlapping two-year bands: any two years at most one apart share at least one
    # band, so an estimated age one year off still blocks with an equality join.
    out["birth_band_even"] = out["birth_year"] // 2
    out["birth_band_odd"] = (out["birth_year"] + 1) // 2
    return out


def present_columns(prepared: pd.DataFrame) -> set[str]:
    """Columns with at least one value: only these get a comparison in the model."""
    present: set[str] = set()
    for column in prepared.columns:
        series = prepared[column]
        if series.dtype == object:
            # any() stops at the first value: a full column is seldom scanned to the end.
            if any(v is not None and v is not pd.NA and len(v) > 0 for v in series):
                present.add(column)
        elif series.notna().any():
            present.add(column)
    return present
