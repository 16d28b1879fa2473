"""Turn canonical records into the comparison columns the Splink model reads.

Keys are computed once per distinct value (registers repeat names thousands of times), so
a million records cost as many ``name_keys`` calls as there are distinct spellings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from safepath.linkage.engine.names import NameKeys, name_keys, normalise, to_latin, to_latin_text

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


def prepare(records: pd.DataFrame, *, cross_script: bool = True) -> pd.DataFrame:
    """Comparison-ready frame: ``unique_id`` plus Latin forms, key arrays and blocking keys.

    ``given_name`` absorbs ``other_names`` (aliases are variants of the same person), and a
    name with no Latin letters keeps its normalised form so it still compares exactly.
    """
    keys_of = name_keys if cross_script else plain_keys
    out = pd.DataFrame({"unique_id": records["record_id"].astype(str)})
    for field in NAME_FIELDS:
        values = records[field]
        keys = _per_distinct(values, keys_of)
        latin = keys.map(lambda k: (k.latin or k.normalised) if isinstance(k, NameKeys) else None)
        out[f"{field}_latin"] = latin.astype("string")
        variants = keys.map(lambda k: _keys_list(k) if isinstance(k, NameKeys) else None)
        if field == "given_name" and records["other_names"].notna().any():
            other = _per_distinct(
                records["other_names"],
                lambda text: [v for part in text.split(";") for v in keys_of(part).variants],
            )
            merged = [
                (a or []) + (b if isinstance(b, list) else []) or None
                for a, b in zip(variants, other, strict=True)
            ]
            out[f"{field}_keys"] = pd.Series(merged, index=out.index, dtype=object)
        else:
            out[f"{field}_keys"] = list(variants)
        out[f"{field}_block"] = keys.map(
            lambda k: (
                (k.skeleton[0] if k.skeleton else k.latin) if isinstance(k, NameKeys) else None
            )
        ).astype("string")
        out[f"{field}_dm"] = keys.map(
            lambda k: (
                (k.phonetic[0] if k.phonetic else k.latin) if isinstance(k, NameKeys) else None
            )
        ).astype("string")
    for field in PARENT_FIELDS:
        keys = _per_distinct(records[field], keys_of)
        out[f"{field}_latin"] = keys.map(
            lambda k: (k.latin or k.normalised) if isinstance(k, NameKeys) else None
        ).astype("string")
        out[f"{field}_keys"] = list(
            keys.map(lambda k: _keys_list(k) if isinstance(k, NameKeys) else None)
        )
        out[f"{field}_block"] = keys.map(
            lambda k: (
                (k.skeleton[0] if k.skeleton else k.latin) if isinstance(k, NameKeys) else None
            )
        ).astype("string")
    for field in TEXT_FIELDS:
        out[field] = _per_distinct(records[field], lambda t: to_latin_text(t) or t).astype("string")
    for field in EXACT_FIELDS:
        out[field] = records[field].str.lower().astype("string")
    out["date_of_birth"] = records["date_of_birth"].astype("string")
    out["family_name_initial"] = out["family_name_latin"].str.slice(0, 1)
    for field in NAME_FIELDS:
        out[f"{field}_block1"] = out[f"{field}_block"].str.slice(0, 1)
    dob_year = pd.to_numeric(records["date_of_birth"].str.slice(0, 4), errors="coerce")
    out["birth_year"] = dob_year.fillna(records["birth_year_estimate"].astype("Float64")).astype(
        "Int64"
    )
    return out


def present_columns(prepared: pd.DataFrame) -> set[str]:
    """Columns with at least one value: only these get a comparison in the model."""
    present: set[str] = set()
    for column in prepared.columns:
        series = prepared[column]
        if series.dtype == object:
            if series.map(lambda v: v is not None and v is not pd.NA and len(v) > 0).any():
                present.add(column)
        elif series.notna().any():
            present.add(column)
    return present
