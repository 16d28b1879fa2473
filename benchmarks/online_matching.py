"""PDQ matching against 1,000,000 hashes: the multi-index (MIH) beside brute-force baselines.

    nice .venv/bin/python benchmarks/online_matching.py [--haystack 1000000] [--queries 10000]

Haystack: ``--real`` PDQ hashes of generated images (shapes, noise, text; see
``safepath.online.engine.synth``), the rest random 256-bit hashes with exactly 128 bits set, as
PDQ's median threshold makes them. Queries: half are haystack hashes with 0 to 30 random bits
flipped (true matches at the default threshold 31), half unrelated random hashes. Measured in
one run, on one thread each:

- SafePath's ``MIHIndex``: build time, memory, single-query latency (p50, p99) and batched
  throughput, and recall against brute force at the threshold (must be 1.0: MIH is exact);
- a brute-force numpy popcount (``BruteForceIndex``, column-wise ``np.bitwise_count``);
- faiss ``IndexBinaryFlat`` and ``IndexBinaryMultiHash`` (16 x 16 bits, the HMA/threatexchange
  choice) ``range_search``, when faiss is installed (threatexchange brings it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safepath.online.engine import hashing, index, synth  # noqa: E402


def balanced_random(n: int, rng: np.random.Generator, chunk: int = 100_000) -> np.ndarray:
    """n random 256-bit hashes with exactly 128 ones each, as (n, 4) uint64."""
    out = np.empty((n, 4), dtype=np.uint64)
    half = np.repeat(np.array([1, 0], dtype=np.uint8), 128)
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        bits = rng.permuted(np.tile(half, (size, 1)), axis=1)
        packed = np.packbits(bits, axis=1)
        out[start : start + size] = packed.view(">u8").astype(np.uint64)
    return out


def real_hashes(count: int) -> np.ndarray:
    hexes = []
    for seed in range(100_000, 100_000 + count * 2):
        result = hashing.hash_bytes(synth.image_bytes(seed, min_side=200, max_side=400))
        if result.quality >= 50:
            hexes.append(result.pdq)
        if len(hexes) == count:
            break
    return index.hex_to_words(hexes)


def flip(words: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    out = words.copy()
    for bit in rng.choice(256, size=bits, replace=False):
        out[bit // 64] ^= np.uint64(1) << np.uint64(63 - bit % 64)
    return out


def pairs(hits: list[index.Hit]) -> set[tuple[int, int]]:
    return {(h.query, h.id) for h in hits}


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--haystack", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--real", type=int, default=2_000)
    parser.add_argument("--threshold", type=int, default=31)
    parser.add_argument("--brute-queries", type=int, default=200)
    parser.add_argument("--cache", type=Path, help="keep the generated haystack here (.npy)")
    args = parser.parse_args()
    rng = np.random.default_rng(11)
    started = time.perf_counter()
    if args.cache and args.cache.exists():
        haystack = np.load(args.cache)
        real = haystack[: args.real]
    else:
        real = real_hashes(args.real)
        haystack = np.concatenate([real, balanced_random(args.haystack - len(real), rng)])
        rng.shuffle(haystack)
        if args.cache:
            np.save(args.cache, haystack)
    prepare = time.perf_counter() - started

    half = args.queries // 2
    targets = rng.integers(0, len(haystack), size=half)
    near = np.stack([flip(haystack[t], int(rng.integers(0, 31)), rng) for t in targets])
    queries = np.concatenate([near, balanced_random(args.queries - half, rng)])

    mih, build = timed(index.MIHIndex, haystack)
    memory_mb = (
        mih.words.nbytes + mih.flat_order.nbytes + mih.sketches.nbytes + mih.offsets.nbytes
    ) / 2**20
    # single queries, one at a time (what a matcher serving uploads sees)
    latencies = []
    sample = queries[rng.permutation(len(queries))[:2000]]
    cpu_started = time.process_time()
    for query in sample:
        start = time.perf_counter()
        mih.search(query[None, :], args.threshold)
        latencies.append(time.perf_counter() - start)
    single_cpu = (time.process_time() - cpu_started) / len(sample)
    # batched throughput over every query (wall clock, and CPU time of this process)
    cpu_started = time.process_time()
    mih_hits, batched = timed(mih.search, queries, args.threshold)
    batched_cpu = time.process_time() - cpu_started

    brute = index.BruteForceIndex(haystack)
    subset = (
        queries[: args.brute_queries // 2].tolist()
        + queries[half : half + args.brute_queries // 2].tolist()
    )
    subset_arr = np.array(subset, dtype=np.uint64)
    cpu_started = time.process_time()
    brute_hits, brute_time = timed(brute.search, subset_arr, args.threshold)
    brute_cpu = time.process_time() - cpu_started
    mih_subset = pairs(mih.search(subset_arr, args.threshold))
    recall = len(mih_subset & pairs(brute_hits)) / max(1, len(pairs(brute_hits)))
    false_extra = len(mih_subset - pairs(brute_hits))
    planted_found = sum(1 for q, t in enumerate(targets) if (q, int(t)) in pairs(mih_hits)) / len(
        targets
    )

    report: dict[str, object] = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}",
        "haystack": len(haystack),
        "real_pdq_hashes_in_haystack": len(real),
        "queries": len(queries),
        "threshold": args.threshold,
        "prepare_s": round(prepare, 1),
        "mih_build_s": round(build, 2),
        "mih_memory_mb": round(memory_mb),
        "mih_single_ms_p50": round(statistics.median(latencies) * 1000, 3),
        "mih_single_ms_p99": round(float(np.percentile(latencies, 99)) * 1000, 3),
        "mih_single_ms_mean": round(statistics.fmean(latencies) * 1000, 3),
        "mih_single_cpu_ms_mean": round(single_cpu * 1000, 3),
        "mih_batched_queries_per_s": round(len(queries) / batched),
        "mih_batched_queries_per_cpu_s": round(len(queries) / batched_cpu),
        "mih_recall_vs_brute_force": recall,
        "mih_matches_not_in_brute_force": false_extra,
        "planted_near_duplicates_found": planted_found,
        "brute_force_ms_per_query": round(brute_time / len(subset_arr) * 1000, 2),
        "brute_force_queries_per_s": round(len(subset_arr) / brute_time, 1),
        "brute_force_cpu_ms_per_query": round(brute_cpu / len(subset_arr) * 1000, 2),
    }
    try:
        import faiss

        faiss.omp_set_num_threads(1)
        packed = np.ascontiguousarray(haystack.astype(">u8")).view(np.uint8).reshape(-1, 32)
        packed_q = np.ascontiguousarray(subset_arr.astype(">u8")).view(np.uint8).reshape(-1, 32)
        flat = faiss.IndexBinaryFlat(256)
        flat.add(packed)
        cpu_started = time.process_time()
        _, flat_time = timed(flat.range_search, packed_q, args.threshold + 1)
        report["faiss_flat_cpu_ms_per_query"] = round(
            (time.process_time() - cpu_started) / len(packed_q) * 1000, 2
        )
        report["faiss_flat_ms_per_query"] = round(flat_time / len(packed_q) * 1000, 2)
        multi = faiss.IndexBinaryMultiHash(256, 16, 16)
        multi.nflip = 1
        _, multi_build = timed(multi.add, packed)
        cpu_started = time.process_time()
        _, multi_time = timed(multi.range_search, packed_q, args.threshold + 1)
        report["faiss_multihash_cpu_ms_per_query"] = round(
            (time.process_time() - cpu_started) / len(packed_q) * 1000, 2
        )
        report["faiss_multihash_build_s"] = round(multi_build, 2)
        report["faiss_multihash_ms_per_query"] = round(multi_time / len(packed_q) * 1000, 2)
    except ImportError:
        report["faiss"] = "not installed"
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
