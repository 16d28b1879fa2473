"""Hashing in memory: the shape of results, the decode rules, and refusals of bad files."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pytest
from PIL import Image

from safepath.online.engine import hashing, synth


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_result_shape_and_exact_hashes() -> None:
    data = synth.image_bytes(3)
    result = hashing.hash_bytes(data, name="x.png")
    assert set(result.as_dict()) == {"file", "pdq", "quality", "md5", "sha1"}
    assert len(result.pdq) == 64
    assert int(result.pdq, 16) >= 0
    assert result.md5 == hashlib.md5(data).hexdigest()  # noqa: S324 - the field's exact hash
    assert result.sha1 == hashlib.sha1(data).hexdigest()  # noqa: S324
    assert 0 <= result.quality <= 100


def test_alpha_is_ignored_and_grey_equals_its_rgb() -> None:
    image = synth.draw(synth.picture(11))
    rgba = image.convert("RGBA")
    rgba.putalpha(Image.new("L", image.size, 90))
    assert hashing.hash_bytes(_png(rgba)).pdq == hashing.hash_bytes(_png(image)).pdq
    grey = image.convert("L")
    assert hashing.hash_bytes(_png(grey)).pdq == hashing.hash_bytes(_png(grey.convert("RGB"))).pdq


def test_palette_is_read_as_its_colours_not_its_indexes() -> None:
    palette = synth.draw(synth.picture(12)).quantize(colors=32)
    as_rgb = palette.convert("RGB")
    assert hashing.hash_bytes(_png(palette)).pdq == hashing.hash_bytes(_png(as_rgb)).pdq


def test_large_images_are_shrunk_by_nearest_neighbour_like_the_reference() -> None:
    pixels = np.arange(1300 * 700, dtype=np.uint32).reshape(700, 1300) % 251
    small = hashing.reference_downsample(pixels.astype(np.uint8))
    assert small.shape == (512, 512)
    assert small[1, 1] == pixels[int(700 / 512), int(1300 / 512)] % 256
    assert small[511, 511] == pixels[int(511 * 700 / 512), int(511 * 1300 / 512)]
    tiny = np.zeros((100, 200), dtype=np.uint8)
    assert hashing.reference_downsample(tiny) is tiny


def test_sixteen_bit_grey_uses_the_high_byte() -> None:
    values = (np.arange(64 * 64).reshape(64, 64) * 16).astype(np.uint16)
    image = Image.fromarray(values)
    assert image.mode.startswith("I;16")
    expected = Image.fromarray((values >> 8).astype(np.uint8), mode="L")
    assert hashing.hash_bytes(_png(image)).pdq == hashing.hash_bytes(_png(expected)).pdq


def test_dihedral_hashes_cover_flips_and_turns() -> None:
    image = synth.draw(synth.picture(13, max_side=500))  # no 512-pixel shrink: copies exact
    result = hashing.hash_bytes(_png(image), dihedral=True)
    assert len(result.dihedral) == 8
    assert result.dihedral[0] == result.pdq
    for kind in (
        "rotate90",
        "rotate180",
        "rotate270",
        "flip_horizontal",
        "flip_vertical",
        "transpose",
        "transverse",
    ):
        copy = hashing.hash_bytes(_png(synth.transpose(image, kind))).pdq
        assert hashing.hamming(copy, result.pdq) > 31
        # hashing the copy's own variants finds the original exactly
        variants = hashing.hash_bytes(_png(synth.transpose(image, kind)), dihedral=True).dihedral
        assert result.pdq in variants


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"plain text, not a picture", "not_an_image"),
        (synth.image_bytes(5)[:300], "corrupt"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(hashing.ImageError) as caught:
        hashing.hash_bytes(data, name="upload.bin")
    assert caught.value.reason == reason
    assert "upload.bin" in str(caught.value)


def test_oversize_is_refused_before_reading(tmp_path: object) -> None:
    with pytest.raises(hashing.ImageError) as caught:
        hashing.hash_bytes(synth.image_bytes(5), max_bytes=100)
    assert caught.value.reason == "too_big"


def test_decompression_bomb_is_refused() -> None:
    bomb = Image.new("L", (9000, 9000))
    out = io.BytesIO()
    bomb.save(out, "PNG")
    with pytest.raises(hashing.ImageError) as caught:
        hashing.hash_bytes(out.getvalue())
    assert caught.value.reason == "too_large"
