"""Hashing throughput: images per second, with the decode cost shown apart from the hash.

    nice .venv/bin/python benchmarks/online_hashing.py [--images 300]

Generated images (shapes, noise, text) at two sizes, as PNG and as JPEG (quality 85), held in
memory. For each: decode (Pillow, to the pixels the reference hasher reads), PDQ (pdqhash over
the reference's 512-pixel shrink and luma), MD5 + SHA-1, the eight dihedral hashes, and the
whole ``hash_bytes`` path; beside them threatexchange's own ``pdq_from_bytes``. One thread.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safepath.online.engine import hashing, synth  # noqa: E402


def per_second(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds else 0.0


def run(blobs: list[bytes]) -> dict[str, float]:
    c0 = time.process_time()
    t0 = time.perf_counter()
    pixels = [hashing.decode(b) for b in blobs]
    t1 = time.perf_counter()
    c1 = time.process_time()
    for p in pixels:
        hashing.pdq_of_pixels(p)
    t2 = time.perf_counter()
    c2 = time.process_time()
    for b in blobs:
        hashlib.md5(b, usedforsecurity=False).hexdigest()
        hashlib.sha1(b, usedforsecurity=False).hexdigest()
    t3 = time.perf_counter()
    for p in pixels[: max(1, len(pixels) // 4)]:
        hashing.dihedral_of_pixels(p)
    t4 = time.perf_counter()
    c4 = time.process_time()
    for b in blobs:
        hashing.hash_bytes(b)
    t5 = time.perf_counter()
    c5 = time.process_time()
    from threatexchange.signal_type.pdq.pdq_hasher import pdq_from_bytes

    for b in blobs:
        pdq_from_bytes(b)
    t6 = time.perf_counter()
    n = len(blobs)
    return {
        "decode_per_s": per_second(n, t1 - t0),
        "pdq_only_per_s": per_second(n, t2 - t1),
        "md5_sha1_per_s": per_second(n, t3 - t2),
        "dihedral_8_hashes_per_s": per_second(max(1, n // 4), t4 - t3),
        "hash_bytes_total_per_s": per_second(n, t5 - t4),
        "threatexchange_pdq_from_bytes_per_s": per_second(n, t6 - t5),
        "decode_share_of_total": round((t1 - t0) / (t5 - t4), 2),
        "decode_per_cpu_s": per_second(n, c1 - c0),
        "pdq_only_per_cpu_s": per_second(n, c2 - c1),
        "hash_bytes_total_per_cpu_s": per_second(n, c5 - c4),
        "mean_bytes": round(sum(len(b) for b in blobs) / n),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=300)
    args = parser.parse_args()
    report: dict[str, object] = {"cpus": os.cpu_count(), "load": round(os.getloadavg()[0], 1)}
    for label, sizes in (("640px", (560, 720)), ("1024px", (900, 1100))):
        images = [
            synth.draw(synth.picture(seed, min_side=sizes[0], max_side=sizes[1]))
            for seed in range(50_000, 50_000 + args.images)
        ]
        for fmt in ("PNG", "JPEG"):
            blobs = [synth.encode(image, fmt=fmt, quality=85) for image in images]
            report[f"{label} {fmt}"] = run(blobs)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
