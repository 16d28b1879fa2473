"""Blocking columns built by ``features.prepare``: year bands, broad keys, missing names."""

from __future__ import annotations

import pandas as pd

from safepath.linkage.engine import to_canonical
from safepath.linkage.engine.features import prepare


def _prepared(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in ("date_of_birth", "birth_year_estimate", "mother_given_name"):
        if column not in frame:
            frame[column] = ""
    return prepare(to_canonical(frame, label="test"))


def _share_band(prepared: pd.DataFrame, a: int, b: int) -> bool:
    left, right = prepared.iloc[a], prepared.iloc[b]
    return bool(
        left["birth_band_even"] == right["birth_band_even"]
        or left["birth_band_odd"] == right["birth_band_odd"]
    )


def test_years_one_apart_share_a_band_and_two_apart_do_not() -> None:
    years = [2010, 2011, 2012, 2013]
    prepared = _prepared(
        [
            {
                "record_id": f"r{y}",
                "given_name": "Ali",
                "family_name": "Said",
                "birth_year_estimate": str(y),
            }
            for y in years
        ]
    )
    for i in range(len(years)):
        for j in range(i + 1, len(years)):
            assert _share_band(prepared, i, j) == (years[j] - years[i] <= 1), (years[i], years[j])


def test_cross_script_spellings_share_the_broad_key_and_its_ends() -> None:
    prepared = _prepared(
        [
            {
                "record_id": "a",
                "given_name": "حسن",
                "family_name": "جابر",
                "date_of_birth": "2012-03-01",
            },
            {
                "record_id": "c",
                "given_name": "Гасан",
                "family_name": "Джабер",
                "date_of_birth": "2012-03-01",
            },
            {
                "record_id": "l",
                "given_name": "Hassan",
                "family_name": "Gaber",
                "date_of_birth": "2012-03-01",
            },
        ]
    )
    for column in ("given_name_broad", "family_name_broad", "given_name_ends", "family_name_ends"):
        assert prepared[column].nunique() == 1, prepared[column].tolist()
    # The primary skeleton (used for training) keeps the scripts' readings apart.
    assert prepared["family_name_block"].nunique() > 1


def test_missing_parent_name_keeps_none_keys() -> None:
    prepared = _prepared(
        [
            {
                "record_id": "a",
                "given_name": "Ali",
                "family_name": "Said",
                "mother_given_name": "Amina",
            },
            {"record_id": "b", "given_name": "Ali", "family_name": "Said", "mother_given_name": ""},
        ]
    )
    assert prepared["mother_given_name_keys"].iloc[0]
    assert prepared["mother_given_name_keys"].iloc[1] is None
