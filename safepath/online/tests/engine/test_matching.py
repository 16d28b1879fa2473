"""Matching: exact MD5/SHA-1, PDQ within each bank's threshold, dihedral copies, quality."""

from __future__ import annotations

import pytest

from safepath.online.engine import hashing, synth
from safepath.online.engine.banks import Signal
from safepath.online.engine.matching import Matcher


def _bank(seeds: list[int]) -> list[Signal]:
    out = []
    for seed in seeds:
        result = hashing.hash_bytes(synth.image_bytes(seed, max_side=300))
        out += [Signal("pdq", result.pdq, 0, "label"), Signal("md5", result.md5, 0)]
    return out


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    built = Matcher()
    built.add_bank("known", _bank([1, 2, 3]))
    built.add_bank("strict", _bank([1]), threshold=4)
    return built


def test_exact_copy_matches_every_way(matcher: Matcher) -> None:
    result = matcher.match(hashing.hash_bytes(synth.image_bytes(1, max_side=300), dihedral=True))
    kinds = {(m.bank, m.kind, m.distance) for m in result.matches}
    assert ("known", "md5", 0) in kinds
    assert ("known", "pdq", 0) in kinds
    assert ("strict", "pdq", 0) in kinds


def test_resized_jpeg_copy_matches_by_pdq_only(matcher: Matcher) -> None:
    image = synth.half_size(synth.draw(synth.picture(2, max_side=300)))
    result = matcher.match(hashing.hash_bytes(synth.encode(image, fmt="JPEG", quality=70)))
    assert [(m.bank, m.kind) for m in result.matches] == [("known", "pdq")]
    assert result.matches[0].distance <= 31
    assert "not a finding" in result.as_dict()["notice"]


def test_a_bank_threshold_applies(matcher: Matcher) -> None:
    image = synth.half_size(synth.draw(synth.picture(1, max_side=300)))
    hashed = hashing.hash_bytes(synth.encode(image, fmt="JPEG", quality=70))
    banks = {m.bank for m in matcher.match(hashed).matches}
    distance = next(m.distance for m in matcher.match(hashed).matches if m.bank == "known")
    assert ("strict" in banks) == (distance <= 4)


def test_flipped_copy_matches_only_through_dihedral_hashes(matcher: Matcher) -> None:
    flipped = synth.encode(
        synth.transpose(synth.draw(synth.picture(3, max_side=300)), "flip_horizontal")
    )
    assert not matcher.match(hashing.hash_bytes(flipped)).matches
    result = matcher.match(hashing.hash_bytes(flipped, dihedral=True))
    assert [(m.bank, m.kind, m.variant) for m in result.matches] == [
        ("known", "pdq", "flip_horizontal")
    ]
    assert result.matches[0].distance == 0


def test_unrelated_image_does_not_match(matcher: Matcher) -> None:
    result = matcher.match(hashing.hash_bytes(synth.image_bytes(77, max_side=300), dihedral=True))
    assert result.matches == []


def test_low_quality_hash_is_not_matched_by_pdq() -> None:
    flat = synth.encode(synth._image_module()[0].new("RGB", (100, 100), (120, 120, 120)))
    hashed = hashing.hash_bytes(flat)
    assert hashed.quality < 50
    matcher = Matcher()
    matcher.add_bank("b", [Signal("pdq", hashed.pdq, 0)])
    result = matcher.match(hashed)
    assert result.low_quality
    assert result.matches == []


def test_threshold_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 63"):
        Matcher().add_bank("b", [], threshold=64)
