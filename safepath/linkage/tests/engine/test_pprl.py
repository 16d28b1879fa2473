"""PPRL matching: exact Dice, one-to-one solving, refusal of mismatched encodings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from safepath.linkage.engine import EncodingMismatchError, crossscript, pprl, to_canonical

SECRET = b"shared secret between two agencies"


@pytest.fixture(scope="module")
def parties() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = crossscript.generate(120, seed=3)
    records = to_canonical(frame.drop(columns=["child"]))
    left = records[records.record_id.str.startswith("la")].reset_index(drop=True)
    right = left.copy()
    right["record_id"] = right["record_id"].str.replace("la-", "xx-")
    right.loc[::3, "given_name"] = right.loc[::3, "given_name"].str[:-1]  # typos
    return left, right


def _encode(records: pd.DataFrame, secret: bytes = SECRET, *, bits_per_name: int = 200) -> dict:  # type: ignore[type-arg]
    schema = pprl.default_schema()
    schema["features"][1]["hashing"]["strategy"]["bitsPerFeature"] = bits_per_name
    return pprl.encode_file(pprl.encoding_view(records), schema, secret)


def test_dice_scores_are_exact() -> None:
    rng = np.random.default_rng(1)
    left = np.packbits(rng.random((7, 64)) < 0.4, axis=1)
    right = np.packbits(rng.random((5, 64)) < 0.4, axis=1)
    li, rj, score = (
        np.concatenate(x) for x in zip(*pprl.dice_candidates(left, right, 0.0), strict=True)
    )
    bits_l, bits_r = np.unpackbits(left, axis=1), np.unpackbits(right, axis=1)
    for i, j, s in zip(li, rj, score, strict=True):
        shared = int((bits_l[i] & bits_r[j]).sum())
        assert s == pytest.approx(2 * shared / (bits_l[i].sum() + bits_r[j].sum()))
    assert len(li) == 35


def test_greedy_solver_uses_each_record_once() -> None:
    chosen = pprl.greedy_one_to_one(
        np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([0.9, 0.95, 0.97, 0.5])
    )
    assert chosen == [(1, 0, 0.97), (0, 1, 0.95)]


def test_same_secret_matches_each_record_to_its_copy(
    parties: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    left, right = parties
    pairs = pprl.match(_encode(left), _encode(right), threshold=0.7)
    correct = sum(a.replace("la-", "xx-") == b for a, b, _ in pairs)
    assert correct == len(left)
    assert len(pairs) == len(left)


def test_different_secret_is_refused_by_fingerprint(
    parties: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    left, right = parties
    with pytest.raises(EncodingMismatchError) as caught:
        pprl.match(_encode(left), _encode(right, secret=b"a different secret, same length"))
    assert caught.value.problems == ["the two files were encoded with different secrets"]


def test_different_schema_is_refused(parties: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    left, right = parties
    with pytest.raises(EncodingMismatchError) as caught:
        pprl.match(_encode(left), _encode(right, bits_per_name=150))
    assert "different linkage schemas" in caught.value.problems[0]


def test_statistical_check_refuses_files_without_fingerprints() -> None:
    """Bare clkhash-style files (no fingerprints): bit-position frequencies must agree."""
    frame = crossscript.generate(260, seed=5)
    records = to_canonical(frame.drop(columns=["child"]))
    same_a = _encode(records[records.record_id.str.startswith("la")])
    same_b = _encode(records[records.record_id.str.startswith("cy")])
    other = _encode(records[records.record_id.str.startswith("cy")], secret=b"x" * 32)
    bare = [{"clks": d["clks"], "record_ids": d["record_ids"]} for d in (same_a, same_b, other)]
    assert pprl.match(bare[0], bare[1], threshold=0.99) is not None  # accepted
    with pytest.raises(EncodingMismatchError, match="unrelated"):
        pprl.match(bare[0], bare[2])


def test_garbage_files_are_refused() -> None:
    with pytest.raises(EncodingMismatchError, match="no 'clks'"):
        pprl.match({"hello": 1}, {"clks": ["AA=="]})
    with pytest.raises(EncodingMismatchError, match="lengths differ"):
        pprl.match({"clks": ["AAAA"]}, {"clks": ["AAAAAAAA"]})
