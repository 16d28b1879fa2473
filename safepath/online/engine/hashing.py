"""Hash an image in memory: PDQ (Meta's perceptual hash) with its quality, MD5 and SHA-1.

The bytes are read, hashed and dropped; nothing here writes them anywhere. PDQ itself is
computed by the ``pdqhash`` package (Python bindings over Meta's C++ code). What a port gets
wrong is usually the step before it, the decode and the luminance, so this module reproduces
what Meta's reference hasher (``pdq/cpp``, ``pdq-photo-hasher``) does to a file:

- the image is read without applying EXIF orientation (the dihedral hashes cover turns);
- a grey image stays one channel (luma = the grey value); a palette image becomes RGB; an
  alpha channel is ignored (the reference refuses RGBA; we hash the colour channels);
- an image wider or taller than 512 pixels is first shrunk to 512 x 512 by nearest neighbour,
  picking source column ``floor(x * width / 512)``, as CImg's default ``resize`` does;
- luma = 0.299 R + 0.587 G + 0.114 B.

16-bit images are reduced to 8 bits by their high byte (the reference truncates instead, which
is a bug we do not copy). ``benchmarks/online_pdq_agreement.py`` checks the result against the
reference binary on generated images.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]

# The reference shrinks larger images to this before hashing (pdqio.cpp DOWNSAMPLE_DIMS).
DOWNSAMPLE_DIMS = 512
# Refuse files and images larger than these: a decompression bomb is refused before decoding.
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000
PDQ_HEX_LENGTH = 64
# The eight dihedral copies (turns counter-clockwise), in the order ``dihedral`` holds them.
DIHEDRAL_NAMES = (
    "original",
    "rotate90",
    "rotate180",
    "rotate270",
    "flip_vertical",
    "flip_horizontal",
    "transpose",
    "transverse",
)


class ImageError(ValueError):
    """The file cannot be hashed; ``reason`` is a stable code, ``str()`` a sentence."""

    def __init__(self, file: str, reason: str, message: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {message}")


@dataclass(frozen=True)
class HashResult:
    """What is kept of an image: its hashes and size, never its pixels."""

    file: str
    pdq: str
    quality: int
    md5: str
    sha1: str
    width: int = 0
    height: int = 0
    size: int = 0
    dihedral: tuple[str, ...] = field(default=(), repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The CLI's shape: file, pdq (64 hex digits), quality, md5, sha1."""
        return {
            "file": self.file,
            "pdq": self.pdq,
            "quality": self.quality,
            "md5": self.md5,
            "sha1": self.sha1,
        }

    def full(self) -> dict[str, Any]:
        return asdict(self)


def bits_to_hex(bits: Array) -> str:
    """pdqhash's 256 bits (most significant first) as 64 lowercase hex digits."""
    packed = np.packbits(np.asarray(bits, dtype=np.uint8))
    return bytes(packed).hex()


def _pil() -> Any:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


def decode(data: bytes, *, name: str = "image") -> Array:
    """The image as uint8 pixels, H x W (grey) or H x W x 3 (colour), as the reference reads it."""
    image_module = _pil()
    if not data:
        raise ImageError(name, "empty", "the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", image_module.DecompressionBombWarning)
            image = image_module.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageError(name, "too_large", f"the image has more than {MAX_PIXELS} pixels")
            image.load()
    except ImageError:
        raise
    except (image_module.DecompressionBombError, image_module.DecompressionBombWarning):
        raise ImageError(name, "too_large", "the image is too large to decode") from None
    except image_module.UnidentifiedImageError:
        raise ImageError(name, "not_an_image", "not an image SafePath can read") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError(name, "corrupt", f"the image is damaged ({error})") from None
    return _pixels(image, name)


def _pixels(image: Any, name: str) -> Array:
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # an animation: its first frame, as the reference reads it
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.uint32)
        # 16-bit grey: the high byte (I: clip to 16 bits first)
        return (np.clip(array, 0, 65535) >> 8).astype(np.uint8)
    if mode in ("1", "L"):
        return np.asarray(image.convert("L"), dtype=np.uint8)
    if mode == "LA":
        return np.asarray(image.getchannel("L"), dtype=np.uint8)
    if mode == "P":
        # a palette: colours as RGB; transparency is ignored like an alpha channel
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if mode == "PA":
        image = image.convert("RGBA")
    if image.mode not in ("RGB", "RGBA"):
        try:
            image = image.convert("RGB")  # CMYK, YCbCr, LAB, F ...
        except (OSError, ValueError) as error:
            raise ImageError(name, "corrupt", f"unsupported colour mode ({error})") from None
    array = np.asarray(image, dtype=np.uint8)
    if array.ndim != 3 or array.shape[2] < 3:
        raise ImageError(name, "corrupt", "unexpected pixel layout")
    return np.ascontiguousarray(array[:, :, :3])


def reference_downsample(pixels: Array) -> Array:
    """CImg's nearest-neighbour resize to 512 x 512 when either side is larger than 512."""
    height, width = pixels.shape[:2]
    if height <= DOWNSAMPLE_DIMS and width <= DOWNSAMPLE_DIMS:
        return pixels
    # source index floor(i * size / 512), computed in double precision as CImg does
    rows = (np.arange(DOWNSAMPLE_DIMS, dtype=np.float64) * height / DOWNSAMPLE_DIMS).astype(
        np.int64
    )
    cols = (np.arange(DOWNSAMPLE_DIMS, dtype=np.float64) * width / DOWNSAMPLE_DIMS).astype(np.int64)
    return np.ascontiguousarray(pixels[rows][:, cols])


def _as_rgb(pixels: Array) -> Array:
    """pdqhash takes H x W x 3; a grey image repeats its channel (luma is then the grey value:
    0.299 v + 0.587 v + 0.114 v rounds back to v in single precision)."""
    if pixels.ndim == 2:
        return np.ascontiguousarray(np.repeat(pixels[:, :, None], 3, axis=2))
    return pixels


def pdq_of_pixels(pixels: Array) -> tuple[str, int]:
    """(hash as 64 hex digits, quality 0-100) of decoded pixels."""
    import pdqhash

    bits, quality = pdqhash.compute(_as_rgb(reference_downsample(pixels)))
    return bits_to_hex(bits), int(quality)


def _dihedral_copies(pixels: Array) -> list[Array]:
    return [
        pixels,
        np.rot90(pixels, 1),
        np.rot90(pixels, 2),
        np.rot90(pixels, 3),
        pixels[::-1],
        pixels[:, ::-1],
        pixels.swapaxes(0, 1),
        np.rot90(pixels, 2).swapaxes(0, 1),
    ]


def dihedral_of_pixels(pixels: Array) -> tuple[tuple[str, ...], int]:
    """The hashes of the eight dihedral copies (original, three turns, four flips), in
    DIHEDRAL_NAMES order, and the original's quality.

    Each copy is made from the pixels and hashed, so a flipped or turned file hashes exactly
    like one of them. (PDQ's own one-pass dihedral hashes, ``pdqhash.compute_dihedral``, are
    not invariant: on our synthetic images a mirrored copy lands 28 to 38 bits away, too close
    to the threshold of 31.) Eight hashes cost eight times one.
    """
    import pdqhash

    shrunk = reference_downsample(pixels)
    hashes = []
    quality = 0
    for position, copy in enumerate(_dihedral_copies(shrunk)):
        bits, q = pdqhash.compute(_as_rgb(np.ascontiguousarray(copy)))
        hashes.append(bits_to_hex(bits))
        if position == 0:
            quality = int(q)
    return tuple(hashes), quality


def hash_bytes(
    data: bytes,
    *,
    name: str = "image",
    max_bytes: int = MAX_FILE_BYTES,
    dihedral: bool = False,
) -> HashResult:
    """Hash an image held in memory. The caller drops ``data`` afterwards; this keeps no copy."""
    if len(data) > max_bytes:
        raise ImageError(name, "too_big", f"the file is larger than {max_bytes} bytes")
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    pixels = decode(data, name=name)
    height, width = pixels.shape[:2]
    if dihedral:
        variants, quality = dihedral_of_pixels(pixels)
        pdq = variants[0]
    else:
        variants = ()
        pdq, quality = pdq_of_pixels(pixels)
    return HashResult(
        file=name,
        pdq=pdq,
        quality=quality,
        md5=md5,
        sha1=sha1,
        width=int(width),
        height=int(height),
        size=len(data),
        dihedral=variants,
    )


def hash_file(
    path: Path | str, *, max_bytes: int = MAX_FILE_BYTES, dihedral: bool = False
) -> HashResult:
    """Hash a file on disk; an oversize file is refused before it is read."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImageError(name, "unreadable", f"cannot read the file ({error.strerror})") from None
    if not path.is_file():
        raise ImageError(name, "unreadable", "not a file")
    if size > max_bytes:
        raise ImageError(name, "too_big", f"the file is larger than {max_bytes} bytes")
    return hash_bytes(path.read_bytes(), name=name, max_bytes=max_bytes, dihedral=dihedral)


def hamming(a: str, b: str) -> int:
    """Bits that differ between two PDQ hashes (hex)."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
