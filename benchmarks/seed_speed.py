"""Measure the foundation's bulk paths on a fresh SQLite database, side by side in one run.

    python benchmarks/seed_speed.py [--cases 100000]

1. `safepath seed --cases N` (target: 100,000 cases in under 2 minutes on SQLite);
2. `safepath audit verify` over the chain the seed wrote (two events per case);
3. `safepath keys rotate`, which re-encrypts every encrypted value of those cases.
Each runs as its own process, as an operator would run it; wall-clock seconds include start-up.
Prints a JSON summary; docs/benchmarks.md records the figures with the machine they came from.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 120.0


def run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "safepath", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    cases = parser.parse_args().cases
    with tempfile.TemporaryDirectory(prefix="safepath-bench-") as data_dir:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("SAFEPATH_", "DATABASE_URL"))
        }
        env.update(
            SAFEPATH_MODE="development",
            SAFEPATH_DATA_DIR=data_dir,
            DJANGO_SETTINGS_MODULE="safepath.config.settings",
        )
        run(["migrate", "-v", "0"], env)
        run(["demo", "--no-cases"], env)
        startup = run(["check"], env)
        seed = run(["seed", "--cases", str(cases), "-v", "0"], env)
        verify = run(["audit", "verify"], env)
        rotate = run(["keys", "-v", "0", "rotate"], env)
        size = sum(p.stat().st_size for p in Path(data_dir).glob("safepath.sqlite3*"))
    print(
        json.dumps(
            {
                "cases": cases,
                "process_startup_s": round(startup, 2),
                "seed_s": round(seed, 1),
                "seed_cases_per_s": round(cases / seed),
                "seed_within_target": seed < TARGET_SECONDS * cases / 100_000,
                "audit_verify_s": round(verify, 1),
                "audit_events_per_s": round(2 * cases / verify),
                "keys_rotate_s": round(rotate, 1),
                "database_bytes": size,
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
