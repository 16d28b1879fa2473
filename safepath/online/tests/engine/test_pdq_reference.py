"""SafePath's PDQ agrees with Meta's reference hasher (``pdq-photo-hasher`` from
facebook/ThreatExchange pdq/cpp) on a fixture of harmless generated images whose reference
hashes were produced by that binary (``benchmarks/online_pdq_agreement.py --fixture``).

The PDQ authors' criterion for a correct port: distance <= 10 wherever quality >= 80. The
fixture covers colour and grey PNG, palette PNG, JPEG, and images over 512 pixels (which the
reference shrinks by nearest neighbour first).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safepath.online.engine import hashing

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "pdq_reference"
EXPECTED = json.loads((FIXTURE / "reference_hashes.json").read_text())["hashes"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_agrees_with_the_reference(name: str) -> None:
    expected = EXPECTED[name]
    ours = hashing.hash_file(FIXTURE / name)
    distance = hashing.hamming(ours.pdq, expected["pdq"])
    if expected["quality"] >= 80:
        assert distance <= 10, f"{name}: distance {distance} from the reference"
    assert abs(ours.quality - expected["quality"]) <= 1


def test_the_fixture_covers_every_decode_path() -> None:
    from PIL import Image

    modes = {Image.open(FIXTURE / name).mode for name in EXPECTED}
    sizes = [max(Image.open(FIXTURE / name).size) for name in EXPECTED]
    assert {"RGB", "L", "P"} <= modes
    assert any(name.endswith(".jpg") for name in EXPECTED)
    assert max(sizes) > hashing.DOWNSAMPLE_DIMS
    assert sum(1 for e in EXPECTED.values() if e["quality"] >= 80) >= 10


def test_agreement_is_exact_on_this_fixture() -> None:
    """Stronger than the criterion: today every fixture hash is identical. A decode change that
    moves any bit shows here first."""
    distances = [
        hashing.hamming(hashing.hash_file(FIXTURE / n).pdq, e["pdq"]) for n, e in EXPECTED.items()
    ]
    assert max(distances) == 0
