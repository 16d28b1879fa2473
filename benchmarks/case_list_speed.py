"""The case list, name search and case page under load, on PostgreSQL with many cases.

    python benchmarks/case_list_speed.py [--cases 1000000] [--clients 20] [--seconds 60]
                                         [--database-url postgres://postgres@127.0.0.1:5432/safepath_bench]
                                         [--reuse]

1. Creates the database afresh, migrates it and times `safepath seed --cases N`
   (target: 1,000,000 cases in under 15 minutes). `--reuse` keeps an earlier run's database.
   The cases are spread over ``--agencies`` agencies with ``--caseworkers-per-agency``
   caseworkers each (default 20 x 25: a supervisor of agency A sees 1/20 of the cases, the
   demo caseworker about 2,000), as a national referral mechanism would hold them.
2. Serves SafePath with gunicorn (2 workers x 10 threads: 20 requests at once) and drives it
   with ``--clients`` concurrent clients for ``--seconds``, mixing four requests:
   the list filtered by status, a later page of the list, an exact name search (POST, blind
   index) and opening one case.
3. Reports the server time of each request (the ``Server-Timing`` header: time inside the app,
   excluding the client's queueing) and the wall time seen by the client; p50, p95, p99.
   Targets: list and search p95 under 100 ms, opening a case under 50 ms.
Prints a JSON summary; docs/benchmarks.md records the figures with the machine they came from.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "var" / "bench-cases"  # keeps the keyring between a seed and a --reuse run
PORT = 8765
TARGETS_MS = {"list_filtered": 100.0, "list_page": 100.0, "name_search": 100.0, "open_case": 50.0}


def environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFEPATH_", "DATABASE_URL"))}
    env.update(
        SAFEPATH_MODE="development",
        SAFEPATH_DATA_DIR=str(DATA_DIR),
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="safepath.config.settings",
    )
    return env


def safepath(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "safepath", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def recreate_database(database_url: str) -> None:
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def analyse(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


class Client:
    def __init__(self, token: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, float, bytes]:
        payload = json.dumps(body) if body is not None else None
        try:
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):  # the server closed an idle connection
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
            self.connection.request(method, path, body=payload, headers=self.headers)
            response = self.connection.getresponse()
        content = response.read()
        timing = response.getheader("Server-Timing") or "app;dur=nan"
        return response.status, float(timing.split("dur=")[1]), content


def token(username: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    password = os.environ.get("SAFEPATH_DEMO_PASSWORD", "safepath-demo")
    body = json.dumps({"username": username, "password": password})
    connection.request(
        "POST", "/api/v1/auth/token/", body=body, headers={"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    data = json.loads(response.read())
    if response.status != 200:
        raise SystemExit(f"cannot sign in as {username}: {data}")
    return str(data["token"])


def names_to_search(count: int) -> list[dict[str, str]]:
    """Exact names of seeded children: the generator is repeatable for the seed's --seed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepath.config.settings")
    from safepath.demo.synthetic import generate

    return [
        {"given_name": case.given_name, "family_name": case.family_name}
        for case in generate(count, seed=2026)
    ]


def drive(
    tokens: list[str],
    clients: int,
    seconds: float,
    names: list[dict[str, str]],
    think_ms: float,
) -> tuple[dict[str, list[tuple[float, float]]], list[str]]:
    """Each client loops over the four requests until time is up, pausing ``think_ms`` between
    them (0: as fast as answers come back); (server ms, wall ms) of each, and any errors."""
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in TARGETS_MS}
    errors: list[str] = []
    lock = threading.Lock()
    views = {}
    for token in tokens:  # what each signed-in user can see: case ids and how many pages
        _, _, body = Client(token).call("GET", "/api/v1/cases/?page_size=100")
        data = json.loads(body)
        views[token] = ([row["id"] for row in data["results"]], max(2, data["count"] // 25))
    deadline = time.monotonic() + seconds

    def work(number: int) -> None:
        rng = random.Random(number)
        token = tokens[number % len(tokens)]
        client = Client(token)
        case_ids, pages = views[token]
        requests = [
            ("list_filtered", "GET", "/api/v1/cases/?status=registered", None),
            ("list_page", "GET", "/api/v1/cases/?page={page}", None),
            ("name_search", "POST", "/api/v1/cases/search/", "name"),
            ("open_case", "GET", "/api/v1/cases/{case}/", None),
        ]
        while time.monotonic() < deadline:
            kind, method, path, body = rng.choice(requests)
            path = path.format(page=rng.randint(2, min(pages, 200)), case=rng.choice(case_ids))
            payload = rng.choice(names) if body == "name" else None
            started = time.perf_counter()
            status, server_ms, _ = client.call(method, path, payload)
            wall_ms = (time.perf_counter() - started) * 1000
            with lock:
                if status == 200:
                    results[kind].append((server_ms, wall_ms))
                else:
                    errors.append(f"{kind} {path} answered {status}")
            if think_ms:
                time.sleep(rng.expovariate(1000 / think_ms))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summarise(results: dict[str, list[tuple[float, float]]]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for kind, rows in results.items():
        server = [s for s, _ in rows]
        wall = [w for _, w in rows]
        summary[kind] = {
            "requests": len(rows),
            "server_ms": {
                "p50": round(statistics.median(server), 1),
                "p95": round(percentile(server, 0.95), 1),
                "p99": round(percentile(server, 0.99), 1),
            },
            "wall_ms_p95": round(percentile(wall, 0.95), 1),
            "target_p95_ms": TARGETS_MS[kind],
            "met": percentile(server, 0.95) < TARGETS_MS[kind],
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/safepath_bench"
    )
    parser.add_argument("--reuse", action="store_true", help="keep the database of a last run")
    parser.add_argument(
        "--agencies", type=int, default=20, help="spread the cases over this many agencies"
    )
    parser.add_argument("--caseworkers-per-agency", type=int, default=25)
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean pause between a client's requests (0: closed loop, as fast as possible)",
    )
    options = parser.parse_args()
    env = environment(options.database_url)
    report: dict[str, Any] = {
        "cases": options.cases,
        "agencies": options.agencies,
        "caseworkers_per_agency": options.caseworkers_per_agency,
        "clients": options.clients,
        "seconds": options.seconds,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }
    if not options.reuse:
        recreate_database(options.database_url)
        safepath(["migrate", "--no-input", "-v", "0"], env)
        seed = [
            "seed",
            "--cases",
            str(options.cases),
            "--agencies",
            str(options.agencies),
            "--caseworkers-per-agency",
            str(options.caseworkers_per_agency),
        ]
        report["seed_seconds"] = round(safepath(seed, env), 1)
        analyse(options.database_url)
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "safepath.config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--threads",
            "10",
            "--keep-alive",
            "75",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(60):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.5)
        tokens = [token("supervisor.a"), token("caseworker.a")]
        results, errors = drive(
            tokens, options.clients, options.seconds, names_to_search(2000), options.think_ms
        )
        report["think_ms"] = options.think_ms
        report["requests"] = summarise(results)
        report["errors"] = errors[:20]
        report["error_count"] = len(errors)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
