"""Harmless test images (shapes, noise, text) and their transformed copies, as bytes."""

from __future__ import annotations

from safepath.online.engine import synth


def png(seed: int, **sizes: int) -> bytes:
    return synth.image_bytes(seed, fmt="PNG", **sizes)


def half_size_jpeg(seed: int, quality: int = 70, **sizes: int) -> bytes:
    image = synth.half_size(synth.draw(synth.picture(seed, **sizes)))
    return synth.encode(image, fmt="JPEG", quality=quality)


def flipped_png(seed: int, **sizes: int) -> bytes:
    return synth.encode(
        synth.transpose(synth.draw(synth.picture(seed, **sizes)), "flip_horizontal")
    )
