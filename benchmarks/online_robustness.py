"""Does PDQ find transformed copies of known images, and never unrelated ones?

    nice .venv/bin/python benchmarks/online_robustness.py [--known 1000] [--unrelated 10000]

A bank of ``--known`` generated images (shapes, noise, text; ``synth``); PDQ's quality floor (50)
keeps the ones PDQ can hash meaningfully, and the count dropped is reported. Each known image is
copied at half size (Lanczos) and re-encoded as JPEG 70, cropped 5 % and 10 % on every side,
rotated 2 and 5 degrees, mirrored and turned 90 degrees; each copy is matched against the bank at
the default threshold (distance <= 31). ``--unrelated`` further images (other seeds) measure
false matches. Recall is given for the plain hash and for the eight dihedral hashes; and, for
crops and rotations, for ImageHash's crop-resistant hash (Steinebach et al., 2014) as a second
signal, when the ``ImageHash`` package is installed, with its own false-match count.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safepath.online.engine import hashing, index, synth  # noqa: E402

TRANSFORMS = (
    "half_size",
    "jpeg70",
    "half_size_jpeg70",
    "crop5",
    "crop10",
    "rotate2",
    "rotate5",
    "mirror",
    "rotate90",
)
SECOND_SIGNAL = ("crop5", "crop10", "rotate2", "rotate5")
# The dihedral hashes cost eight hashes; they change nothing for resized or re-encoded copies.
DIHEDRAL = ("mirror", "rotate90")
# The crop-resistant hash costs a second or more an image: it is measured on the first
# CROP_KNOWN known images and the first CROP_UNRELATED unrelated ones.
CROP_KNOWN = 100
CROP_UNRELATED = 300


def hash_image(image, *, dihedral: bool = False):  # type: ignore[no-untyped-def]
    """Hash a PIL image's pixels directly (a PNG round trip gives the same pixels)."""
    pixels = hashing._pixels(image, "image")
    if dihedral:
        variants, quality = hashing.dihedral_of_pixels(pixels)
        return variants[0], list(variants), quality
    pdq, quality = hashing.pdq_of_pixels(pixels)
    return pdq, [pdq], quality


def copy_of(image, kind: str):  # type: ignore[no-untyped-def]
    if kind == "half_size":
        return synth.half_size(image)
    if kind == "jpeg70":
        return synth.jpeg(image, 70)
    if kind == "half_size_jpeg70":
        return synth.jpeg(synth.half_size(image), 70)
    if kind.startswith("crop"):
        return synth.crop(image, int(kind[4:]) / 100)
    if kind.startswith("rotate") and kind != "rotate90":
        return synth.rotate(image, float(kind[6:]))
    if kind == "mirror":
        return synth.transpose(image, "flip_horizontal")
    return synth.transpose(image, "rotate90")


def crop_hash(image):  # type: ignore[no-untyped-def]
    try:
        import imagehash
    except ImportError:
        return None
    return imagehash.crop_resistant_hash(image.convert("RGB"), min_segment_size=500)


def known_work(seed: int) -> dict[str, object]:
    image = synth.draw(synth.picture(seed))
    pdq, _, quality = hash_image(image)
    out: dict[str, object] = {"seed": seed, "pdq": pdq, "quality": quality}
    if quality < 50:
        return out
    found = crop_hash(image) if seed <= CROP_KNOWN else None
    out["crop_hash"] = str(found) if found is not None else None
    copies = {}
    for kind in TRANSFORMS:
        copy = copy_of(image, kind)
        copy_pdq, variants, copy_quality = hash_image(copy, dihedral=kind in DIHEDRAL)
        entry: dict[str, object] = {"pdq": copy_pdq, "dihedral": variants, "quality": copy_quality}
        if kind in SECOND_SIGNAL and out["crop_hash"]:
            copied = crop_hash(copy)
            entry["crop_hash"] = str(copied) if copied is not None else None
        copies[kind] = entry
    out["copies"] = copies
    return out


def unrelated_work(seed: int) -> dict[str, object]:
    image = synth.draw(synth.picture(seed))
    pdq, variants, quality = hash_image(image, dihedral=True)
    found = crop_hash(image) if seed < 500_000 + CROP_UNRELATED else None
    return {
        "seed": seed,
        "pdq": pdq,
        "dihedral": variants,
        "quality": quality,
        "crop_hash": str(found) if found is not None else None,
    }


def best_distance(
    bank: index.MIHIndex | index.BruteForceIndex,
    variants: list[str],
    target: int,
    threshold: int = 31,
) -> int | None:
    hits = [h for h in bank.search(index.hex_to_words(variants), threshold) if h.id == target]
    return min((h.distance for h in hits), default=None)


def crop_match(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    import imagehash

    first = imagehash.hex_to_multihash(a)
    second = imagehash.hex_to_multihash(b)
    return bool(first.matches(second, region_cutoff=2, hamming_cutoff=6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--known", type=int, default=1000)
    parser.add_argument("--unrelated", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threshold", type=int, default=31)
    args = parser.parse_args()
    started = time.perf_counter()
    with Pool(args.workers) as pool:
        known = pool.map(known_work, range(1, args.known + 1), chunksize=8)
        unrelated = pool.map(unrelated_work, range(500_000, 500_000 + args.unrelated), chunksize=32)
    kept = [k for k in known if "copies" in k]
    bank = index.build([str(k["pdq"]) for k in kept])
    report: dict[str, object] = {
        "known_images": len(known),
        "kept_quality_at_least_50": len(kept),
        "unrelated_images": len(unrelated),
        "threshold": args.threshold,
    }
    for kind in TRANSFORMS:
        plain = dihedral = second = crop_seen = crop_plain = 0
        distances = []
        for position, item in enumerate(kept):
            copy = item["copies"][kind]  # type: ignore[index]
            d = best_distance(bank, [copy["pdq"]], position, args.threshold)
            plain += d is not None
            dd = best_distance(bank, copy["dihedral"], position, args.threshold)
            dihedral += dd is not None
            distances.append(hashing.hamming(copy["pdq"], str(item["pdq"])))
            if kind in SECOND_SIGNAL and item.get("crop_hash"):
                crop_seen += 1
                crop_plain += d is not None
                second += (d is not None) or crop_match(
                    item.get("crop_hash"), copy.get("crop_hash")
                )
        row: dict[str, object] = {
            "recall_plain": round(plain / len(kept), 4),
            "recall_dihedral": round(dihedral / len(kept), 4),
            "median_distance_plain": float(np.median(distances)),
        }
        if kind in SECOND_SIGNAL and crop_seen:
            row["crop_resistant_subset"] = crop_seen
            row["subset_recall_pdq"] = round(crop_plain / crop_seen, 4)
            row["subset_recall_pdq_or_crop_resistant"] = round(second / crop_seen, 4)
        report[kind] = row
    # false matches: unrelated images against the bank, plain and with the dihedral hashes
    plain_false = len(
        bank.search(index.hex_to_words([str(u["pdq"]) for u in unrelated]), args.threshold)
    )
    dihedral_false = 0
    for u in unrelated:
        dihedral_false += bool(bank.search(index.hex_to_words(list(u["dihedral"])), args.threshold))  # type: ignore[arg-type]
    report["false_matches_plain"] = plain_false
    report["false_matches_dihedral"] = dihedral_false
    unrelated_low_quality = sum(1 for u in unrelated if int(u["quality"]) < 50)  # type: ignore[arg-type]
    report["unrelated_below_quality_50"] = unrelated_low_quality
    if kept and kept[0].get("crop_hash"):
        crop_false = 0
        checked = [u for u in unrelated if u.get("crop_hash")]
        for u in checked:
            if any(
                crop_match(str(k["crop_hash"]), str(u["crop_hash"]))
                for k in kept
                if k.get("crop_hash")
            ):
                crop_false += 1
        report["crop_resistant_unrelated_checked"] = len(checked)
        report["false_matches_crop_resistant"] = crop_false
    report["seconds"] = round(time.perf_counter() - started)
    report["cpus"] = os.cpu_count()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
