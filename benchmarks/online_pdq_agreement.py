"""Do SafePath's PDQ hashes agree with Meta's reference hasher? (issue 11, a hard requirement)

    # build the reference once, in a scratch folder outside the repository (never commit it):
    #   its sources are pdq/cpp in the public facebook/ThreatExchange repository
    g++ -std=c++11 -O3 -I../.. -I. -Dcimg_use_png -Dcimg_use_jpeg -Dcimg_display=0 \
        bin/pdq-photo-hasher.cpp common/*.cpp io/*.cpp hashing/*.cpp downscaling/*.cpp \
        -o /tmp/pdqref/pdq-photo-hasher -lpng -ljpeg -lz -lpthread
    nice .venv/bin/python benchmarks/online_pdq_agreement.py \
        --reference /tmp/pdqref/pdq-photo-hasher --count 400 \
        [--fixture safepath/online/tests/data/pdq_reference]

Generates harmless images (shapes, noise, text; colour and grey; PNG, palette PNG and JPEG;
sizes from 64 to 1,400 pixels so that the reference's 512-pixel nearest-neighbour shrink is
exercised), hashes each with the reference binary and with SafePath, and prints the distances.
The PDQ authors' criterion for a correct port: distance <= 10 wherever quality >= 80.

Also compares the plain ``threatexchange`` hasher (Pillow + pdqhash with no decode care), to
show where ports drift. With ``--fixture DIR`` it writes a small set of the images and their
reference hashes for the test suite (``safepath/online/tests/engine/test_pdq_reference.py``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safepath.online.engine import hashing, synth  # noqa: E402

VARIANTS = ("png", "jpeg", "palette", "grey", "large")


def make_images(directory: Path, count: int) -> list[Path]:
    """``count`` files: each seed drawn once, in one of the variants, in turn."""
    paths = []
    for seed in range(count):
        variant = VARIANTS[seed % len(VARIANTS)]
        sizes = {"min_side": 64, "max_side": 500}
        if variant == "large":
            sizes = {"min_side": 513, "max_side": 1400}
        image = synth.draw(synth.picture(10_000 + seed, **sizes))
        if variant == "grey":
            image = image.convert("L")
        if variant == "palette":
            image = image.convert("RGB").quantize(colors=64)
        if variant == "jpeg":
            path = directory / f"img{seed:04d}.jpg"
            path.write_bytes(synth.encode(image, fmt="JPEG", quality=85))
        else:
            path = directory / f"img{seed:04d}.png"
            path.write_bytes(synth.encode(image, fmt="PNG"))
        paths.append(path)
    return paths


def reference_hashes(binary: Path, paths: list[Path]) -> dict[str, tuple[str, int]]:
    """``pdq-photo-hasher`` prints ``hash,quality,filename`` per file."""
    listing = "\n".join(str(p) for p in paths) + "\n"
    run = subprocess.run(  # noqa: S603 - a binary the operator built and named
        [str(binary), "-k", "-i"], input=listing, capture_output=True, text=True, check=False
    )
    out: dict[str, tuple[str, int]] = {}
    for line in run.stdout.splitlines():
        parts = line.strip().split(",")
        if len(parts) >= 3 and len(parts[0]) == 64:
            out[parts[2]] = (parts[0], int(parts[1]))
    return out


def threatexchange_hash(path: Path) -> tuple[str, int]:
    from threatexchange.signal_type.pdq.pdq_hasher import pdq_from_file

    pdq, quality = pdq_from_file(path)
    return pdq, int(quality)


def summarise(name: str, distances: list[tuple[int, int]]) -> dict[str, object]:
    strong = [d for d, q in distances if q >= 80]
    return {
        "hasher": name,
        "images": len(distances),
        "quality>=80": len(strong),
        "max distance (q>=80)": max(strong) if strong else None,
        "over 10 (q>=80)": sum(1 for d in strong if d > 10),
        "exact (all)": sum(1 for d, _ in distances if d == 0),
        "mean distance": round(statistics.fmean(d for d, _ in distances), 3),
        "max distance (all)": max(d for d, _ in distances),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, required=True, help="pdq-photo-hasher binary")
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--fixture", type=Path, help="write a small fixture set here")
    parser.add_argument("--fixture-count", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        paths = make_images(directory, args.count)
        started = time.perf_counter()
        reference = reference_hashes(args.reference, paths)
        reference_seconds = time.perf_counter() - started
        ours: list[tuple[int, int]] = []
        theirs: list[tuple[int, int]] = []
        by_variant: dict[str, list[int]] = {v: [] for v in VARIANTS}
        missing = 0
        started = time.perf_counter()
        rows = []
        for index, path in enumerate(paths):
            if str(path) not in reference:
                missing += 1
                continue
            ref_hash, ref_quality = reference[str(path)]
            mine = hashing.hash_file(path)
            distance = hashing.hamming(mine.pdq, ref_hash)
            ours.append((distance, ref_quality))
            by_variant[VARIANTS[index % len(VARIANTS)]].append(distance)
            rows.append((path, ref_hash, ref_quality, distance, mine.quality))
        ours_seconds = time.perf_counter() - started
        for path in paths:
            if str(path) in reference:
                tx_hash, _ = threatexchange_hash(path)
                ref_hash, ref_quality = reference[str(path)]
                theirs.append((hashing.hamming(tx_hash, ref_hash), ref_quality))
        report = {
            "images": len(paths),
            "reference failed on": missing,
            "reference seconds": round(reference_seconds, 2),
            "safepath seconds": round(ours_seconds, 2),
            "safepath": summarise("safepath", ours),
            "threatexchange pdq_from_file": summarise("threatexchange", theirs),
            "safepath max distance by variant": {
                v: (max(d) if d else None) for v, d in by_variant.items()
            },
            "quality agreement (|ours - ref| max)": max(abs(row[4] - row[2]) for row in rows),
        }
        print(json.dumps(report, indent=2))
        if args.fixture:
            write_fixture(args.fixture, rows, args.fixture_count)


def write_fixture(directory: Path, rows: list[tuple[Path, str, int, int, int]], count: int) -> None:
    """Small images (each variant represented) and their reference hashes, for the suite."""
    directory.mkdir(parents=True, exist_ok=True)
    chosen = []
    per_variant = max(1, count // len(VARIANTS))
    for offset, _variant in enumerate(VARIANTS):
        picked = [r for i, r in enumerate(rows) if i % len(VARIANTS) == offset]
        picked.sort(key=lambda r: r[0].stat().st_size)
        chosen.extend(picked[:per_variant])
    expected = {}
    for path, ref_hash, ref_quality, _distance, _quality in chosen:
        target = directory / path.name
        target.write_bytes(path.read_bytes())
        expected[path.name] = {"pdq": ref_hash, "quality": ref_quality}
    (directory / "reference_hashes.json").write_text(
        json.dumps(
            {
                "produced_by": "pdq-photo-hasher from facebook/ThreatExchange pdq/cpp "
                "(commit baefb4ed), built with -Dcimg_use_png -Dcimg_use_jpeg",
                "hashes": expected,
            },
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )
    print(f"fixture: {len(expected)} images in {directory}")


if __name__ == "__main__":
    main()
