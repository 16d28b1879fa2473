"""Harmless synthetic images for tests, benchmarks and the demo: shapes, noise and text.

Every picture is drawn from a seed, so the same seed gives the same bytes. Nothing here is,
or resembles, real content: coloured gradients, geometric shapes, random words and noise.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
    "uniform",
    "victor",
    "whiskey",
    "xray",
    "yankee",
    "zulu",
]
KINDS = ("shapes", "noise", "text", "mixed")


@dataclass(frozen=True)
class Picture:
    seed: int
    kind: str
    width: int
    height: int
    mode: str  # RGB or L


def _image_module() -> Any:
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    return Image, ImageDraw, ImageFilter, ImageFont


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def _background(rng: random.Random, width: int, height: int) -> Any:
    """A two-colour gradient in a random direction, so no two backgrounds agree. Drawn at a
    sixteenth of the size and scaled up (bilinear scaling keeps a gradient linear)."""
    import numpy as np

    image_module = _image_module()[0]
    a = np.array(_colour(rng), dtype=np.float32)
    b = np.array(_colour(rng), dtype=np.float32)
    angle = rng.uniform(0, 6.283)
    small_w, small_h = max(2, width // 16), max(2, height // 16)
    ys, xs = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    t = (np.cos(angle) * xs / small_w + np.sin(angle) * ys / small_h) * 0.5 + 0.5
    t = np.clip(t, 0, 1)[..., None]
    pixels = (a * (1 - t) + b * t).astype(np.uint8)
    small = image_module.fromarray(pixels, "RGB")
    return small.resize((width, height), image_module.Resampling.BILINEAR)


def _shapes(rng: random.Random, draw: Any, width: int, height: int, count: int) -> None:
    for _ in range(count):
        x0, x1 = sorted((rng.randrange(-width // 4, width), rng.randrange(0, width + width // 4)))
        y0, y1 = sorted(
            (rng.randrange(-height // 4, height), rng.randrange(0, height + height // 4))
        )
        shape = rng.choice(("ellipse", "rectangle", "polygon", "line"))
        fill = _colour(rng)
        if shape == "ellipse":
            draw.ellipse((x0, y0, x1, y1), fill=fill, outline=_colour(rng))
        elif shape == "rectangle":
            draw.rectangle((x0, y0, x1, y1), fill=fill)
        elif shape == "polygon":
            points = [
                (rng.randrange(width), rng.randrange(height)) for _ in range(rng.randint(3, 7))
            ]
            draw.polygon(points, fill=fill)
        else:
            draw.line((x0, y0, x1, y1), fill=fill, width=rng.randint(2, max(3, width // 20)))


def _text(rng: random.Random, draw: Any, width: int, height: int, lines: int) -> None:
    font_module = _image_module()[3]
    for _ in range(lines):
        size = rng.randint(max(10, height // 16), max(12, height // 5))
        try:
            font = font_module.load_default(size=size)
        except TypeError:  # an old Pillow without scalable default font
            font = font_module.load_default()
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
        position = (rng.randrange(-width // 8, width), rng.randrange(-height // 8, height))
        draw.text(position, words, fill=_colour(rng), font=font)


def _noise(rng: random.Random, image: Any, amount: float) -> Any:
    """Smooth value noise in two octaves (random cells scaled up bicubically) blended in:
    texture at the scales PDQ sees, with a little fine grain on top."""
    import numpy as np
    from PIL import ImageChops

    image_module = _image_module()[0]
    width, height = image.size
    generator = np.random.default_rng(rng.randrange(2**32))
    layers = []
    for cells in (rng.randint(3, 7), rng.randint(10, 20)):
        grid = generator.integers(0, 256, size=(max(2, cells * height // max(width, 1)), cells, 3))
        layers.append(
            image_module.fromarray(grid.astype(np.uint8), "RGB").resize(
                (width, height), image_module.Resampling.BICUBIC
            )
        )
    texture = image_module.blend(layers[0], layers[1], 0.35)
    noise = generator.normal(128, 6, size=(height, width)).clip(0, 255).astype(np.uint8)
    grain = image_module.fromarray(noise, "L").convert("RGB")
    texture = ImageChops.add(texture, grain, scale=1.0, offset=-128)
    return image_module.blend(image, texture, amount)


def draw(picture: Picture) -> Any:
    """The picture as a PIL image."""
    _, draw_module, filter_module, _ = _image_module()
    rng = random.Random(picture.seed)  # noqa: S311 - synthetic pictures, not secrets
    image = _background(rng, picture.width, picture.height)
    # photographs have texture everywhere: a smooth noise under every picture
    image = _noise(rng, image, rng.uniform(0.25, 0.45))
    canvas = draw_module.Draw(image)
    if picture.kind in ("shapes", "mixed"):
        _shapes(rng, canvas, picture.width, picture.height, rng.randint(4, 14))
    if picture.kind in ("text", "mixed"):
        _text(rng, canvas, picture.width, picture.height, rng.randint(2, 6))
    if picture.kind == "text":
        _shapes(rng, canvas, picture.width, picture.height, rng.randint(1, 3))
    if picture.kind in ("noise", "mixed"):
        image = _noise(rng, image, rng.uniform(0.3, 0.7) if picture.kind == "noise" else 0.2)
    if rng.random() < 0.3:
        image = image.filter(filter_module.GaussianBlur(radius=rng.uniform(0.5, 2.0)))
    return image.convert("L") if picture.mode == "L" else image


def picture(seed: int, *, min_side: int = 320, max_side: int = 1024) -> Picture:
    """A picture description drawn from ``seed``: kind, size, colour or grey."""
    rng = random.Random(seed * 7919 + 17)  # noqa: S311 - synthetic pictures, not secrets
    min_side = min(min_side, max_side)
    width = rng.randint(min_side, max_side)
    height = max(min_side, min(max_side, int(width * rng.uniform(0.6, 1.6))))
    return Picture(
        seed=seed,
        kind=KINDS[seed % len(KINDS)],
        width=width,
        height=height,
        mode="L" if rng.random() < 0.12 else "RGB",
    )


def encode(image: Any, *, fmt: str = "PNG", quality: int = 90) -> bytes:
    out = io.BytesIO()
    if fmt.upper() in ("JPEG", "JPG"):
        image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode).save(
            out, "JPEG", quality=quality
        )
    else:
        image.save(out, fmt.upper())
    return out.getvalue()


def image_bytes(seed: int, *, fmt: str = "PNG", **sizes: int) -> bytes:
    """One synthetic image file's bytes."""
    return encode(draw(picture(seed, **sizes)), fmt=fmt)


def pictures(count: int, *, start: int = 0, **sizes: int) -> Iterator[Picture]:
    for seed in range(start, start + count):
        yield picture(seed, **sizes)


# --- transformed copies (robustness) ---------------------------------------------------------


def half_size(image: Any) -> Any:
    width, height = image.size
    image_module = _image_module()[0]
    return image.resize((max(1, width // 2), max(1, height // 2)), image_module.Resampling.LANCZOS)


def jpeg(image: Any, quality: int = 70) -> Any:
    image_module = _image_module()[0]
    return image_module.open(io.BytesIO(encode(image, fmt="JPEG", quality=quality)))


def crop(image: Any, fraction: float = 0.05) -> Any:
    """Cut ``fraction`` of the width and height from every side."""
    width, height = image.size
    dx, dy = round(width * fraction), round(height * fraction)
    return image.crop((dx, dy, width - dx, height - dy))


def rotate(image: Any, degrees: float) -> Any:
    image_module = _image_module()[0]
    return image.rotate(degrees, resample=image_module.Resampling.BILINEAR, expand=False)


def transpose(image: Any, kind: str) -> Any:
    """A dihedral copy: rotate90/180/270 (counter-clockwise), flip_horizontal (mirror),
    flip_vertical, transpose, transverse."""
    transpose_enum = _image_module()[0].Transpose
    table = {
        "rotate90": transpose_enum.ROTATE_90,
        "rotate180": transpose_enum.ROTATE_180,
        "rotate270": transpose_enum.ROTATE_270,
        "flip_horizontal": transpose_enum.FLIP_LEFT_RIGHT,
        "flip_vertical": transpose_enum.FLIP_TOP_BOTTOM,
        "transpose": transpose_enum.TRANSPOSE,
        "transverse": transpose_enum.TRANSVERSE,
    }
    return image.transpose(table[kind])
