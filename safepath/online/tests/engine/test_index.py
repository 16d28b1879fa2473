"""Multi-index hashing finds exactly what a linear scan finds (it may never miss a match)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from safepath.online.engine import index


def _near(rng: np.random.Generator, base: np.ndarray, bits: int) -> np.ndarray:
    out = base.copy()
    for bit in rng.choice(256, size=bits, replace=False):
        out[bit // 64] ^= np.uint64(1) << np.uint64(bit % 64)
    return out


def _as_set(hits: list[index.Hit]) -> set[tuple[int, int, int]]:
    return {(h.query, h.id, h.distance) for h in hits}


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    flips=st.lists(st.integers(0, 60), min_size=1, max_size=12),
    threshold=st.sampled_from([0, 10, 15, 16, 31, 32, 47, 63]),
)
def test_mih_equals_brute_force(seed: int, flips: list[int], threshold: int) -> None:
    rng = np.random.default_rng(seed)
    words = rng.integers(0, 2**63, size=(3000, 4), dtype=np.int64).astype(np.uint64)
    words[:, 0] ^= rng.integers(0, 2, size=3000, dtype=np.uint64) << np.uint64(63)
    targets = rng.integers(0, len(words), size=len(flips))
    queries = np.stack([_near(rng, words[t], f) for t, f in zip(targets, flips, strict=True)])
    mih = index.MIHIndex(words)
    brute = index.BruteForceIndex(words)
    assert _as_set(mih.search(queries, threshold)) == _as_set(brute.search(queries, threshold))


def test_hex_round_trip_and_distance() -> None:
    hashes = ["0" * 63 + "1", "f" * 64, "8" + "0" * 63]
    words = index.hex_to_words(hashes)
    assert index.words_to_hex(words) == hashes
    assert int(index.popcount_distance(words[0], words[1])) == 255
    assert int(index.popcount_distance(words[0], words[2])) == 2


def test_build_chooses_linear_scan_for_small_banks() -> None:
    assert isinstance(index.build(["0" * 64] * 10), index.BruteForceIndex)
    rng = np.random.default_rng(0)
    many = [bytes(rng.integers(0, 256, 32, dtype=np.uint8)).hex() for _ in range(2500)]
    built = index.build(many)
    assert isinstance(built, index.MIHIndex)
    assert _as_set(built.search(index.hex_to_words(many[:5]), 31)) >= {(i, i, 0) for i in range(5)}
