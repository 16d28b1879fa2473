"""Capacity per core: CPU time of one case-list and one case-page request, app and database.

    nice .venv/bin/python benchmarks/web_capacity.py --cases 20000 [--cases 100000 ...]
        [--database-url postgres://postgres@127.0.0.1:5432/safepath_capacity] [--seconds 30]

For each case count: a fresh PostgreSQL database, migrated and seeded (``safepath seed``, as
``case_list_speed.py``), gunicorn (2 workers x 4 threads), then for each request kind a few
clients in a closed loop for ``--seconds``. It reads the CPU time (``/proc/<pid>/stat``) of the
gunicorn workers and of this database's PostgreSQL backends before and after, so the figure
is CPU milliseconds per request, which other work on a shared machine does not inflate (it
inflates wall time, not CPU time). Requests per second per core = 1000 / (app ms + db ms).
Also the database's size per case. Signed in as ``supervisor.a`` (their agency's cases).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import case_list_speed as bench  # the same seeding, environment and port

TICKS = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    out = subprocess.run(  # noqa: S603
        ["/usr/bin/pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(p) for p in out.stdout.split()]


def backends(database_url: str) -> list[int]:
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return [int(r[0]) for r in rows]


class Browser:
    """A signed-in web session (form sign-in with the CSRF token), for the HTML pages."""

    def __init__(self, username: str) -> None:
        self.cookies: dict[str, str] = {}
        page = self.get("/accounts/login/")[1].decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token"  # noqa: S101
        password = os.environ.get("SAFEPATH_DEMO_PASSWORD", "safepath-demo")
        body = f"csrfmiddlewaretoken={token.group(1)}&username={username}&password={password}"
        status, _ = self.request("POST", "/accounts/login/", body)
        assert status == 302, f"sign-in: {status}"  # noqa: S101

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", bench.PORT, timeout=300)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://127.0.0.1:{bench.PORT}/accounts/login/"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        content = response.read()
        connection.close()
        return response.status, content

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)


class CpuMeter:
    """CPU seconds used by a changing set of processes, sampled twice a second.

    PostgreSQL backends come and go with connections; each one's last sample is kept, so a
    backend that exits during the run still counts (up to its last sample).
    """

    def __init__(self, pids: Any) -> None:
        self.pids = pids
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.running = True
        self.started = False

    def sample(self) -> None:
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            value = (int(fields[11]) + int(fields[12])) / TICKS
            self.first.setdefault(pid, value if not self.started else 0.0)
            self.last[pid] = value

    def run(self) -> None:
        self.sample()
        self.started = True
        while self.running:
            time.sleep(0.5)
            self.sample()

    def used(self) -> float:
        self.running = False
        self.sample()
        return sum(self.last[p] - self.first[p] for p in self.last)


def measure(
    kind: str, paths: list[str], make_client: Any, clients: int, seconds: float, pids: Any
) -> dict[str, Any]:
    count, errors = 0, 0
    lock = threading.Lock()
    sessions = [make_client() for _ in range(clients)]  # signed in before the meters start
    app, db = CpuMeter(lambda: pids()[0]), CpuMeter(lambda: pids()[1])
    meters = [threading.Thread(target=m.run) for m in (app, db)]
    for meter in meters:
        meter.start()
    time.sleep(1)
    stop = time.monotonic() + seconds

    def loop(client: Any) -> None:
        nonlocal count, errors
        while time.monotonic() < stop:
            status, _ = client.get(random.choice(paths))
            with lock:
                count += 1
                errors += status != 200

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(c,)) for c in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    app_ms = app.used() * 1000 / max(count, 1)
    db_ms = db.used() * 1000 / max(count, 1)
    for meter in meters:
        meter.join()
    return {
        "request": kind,
        "requests": count,
        "errors": errors,
        "app_cpu_ms": round(app_ms, 1),
        "db_cpu_ms": round(db_ms, 1),
        "requests_per_second_per_core": round(1000 / (app_ms + db_ms), 1),
        "wall_rps_here": round(count / wall, 1),
    }


def _token(username: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", bench.PORT, timeout=300)
    password = os.environ.get("SAFEPATH_DEMO_PASSWORD", "safepath-demo")
    connection.request(
        "POST",
        "/api/v1/auth/token/",
        body=json.dumps({"username": username, "password": password}),
        headers={"Content-Type": "application/json"},
    )
    return str(json.loads(connection.getresponse().read())["token"])


class ApiClient:
    def __init__(self, token: str) -> None:
        self.client = bench.Client(token)

    def get(self, path: str) -> tuple[int, bytes]:
        status, _ms, body = self.client.call("GET", path)
        return status, body


def run(
    cases: int, database_url: str, clients: int, seconds: float, *, reuse: bool = False
) -> dict[str, Any]:
    import psycopg

    env = bench.environment(database_url)
    seed_s = None
    if not reuse:
        bench.recreate_database(database_url)
        bench.safepath(["migrate", "--no-input", "-v", "0"], env)
        seed_s = bench.safepath(
            ["seed", "--cases", str(cases), "--agencies", "20", "--caseworkers-per-agency", "25"],
            env,
        )
    bench.analyse(database_url)
    with psycopg.connect(database_url, autocommit=True) as connection:
        counted = connection.execute("SELECT count(*) FROM cases_case").fetchone()
    cases = int(counted[0]) if counted else cases
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "safepath.config.wsgi", "--bind",
         f"127.0.0.1:{bench.PORT}", "--workers", "2", "--threads", "4", "--timeout", "600"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(300):  # both workers up and warm: every request of the run is measured
            try:
                connection = http.client.HTTPConnection("127.0.0.1", bench.PORT, timeout=120)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(1)
        token = _token("supervisor.a")
        _, _, body = bench.Client(token).call("GET", "/api/v1/cases/?page_size=100")
        listing = json.loads(body)
        ids = [row["id"] for row in listing["results"]]
        visible = int(listing["count"])

        def pids() -> tuple[list[int], list[int]]:
            return children(server.pid), backends(database_url)

        pages = [f"/cases/?page={p}" for p in range(1, 5)]
        api_pages = [f"/api/v1/cases/?page={p}" for p in range(1, 5)]
        results = []
        for kind, paths, make in (
            ("case list (web page)", pages, lambda: Browser("supervisor.a")),
            (
                "case page (web page)",
                [f"/cases/{i}/" for i in ids],
                lambda: Browser("supervisor.a"),
            ),
            ("case list (API)", api_pages, lambda: ApiClient(token)),
            ("case (API)", [f"/api/v1/cases/{i}/" for i in ids], lambda: ApiClient(token)),
        ):
            measure(kind, paths[:1], make, 1, 3, pids)  # warm up
            results.append(measure(kind, paths, make, clients, seconds, pids))
        with psycopg.connect(database_url, autocommit=True) as connection:
            size = connection.execute("SELECT pg_database_size(current_database())").fetchone()
        return {
            "cases": cases,
            "visible_to_supervisor_a": visible,
            "seed_s": round(seed_s, 1) if seed_s is not None else None,
            "database_bytes_per_case": int(size[0] / cases) if size else None,
            "results": results,
        }
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, action="append")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/safepath_capacity"
    )
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--reuse", action="store_true", help="measure the database as it is")
    args = parser.parse_args()
    out = {"load_before": [round(x, 2) for x in os.getloadavg()], "runs": []}
    for cases in args.cases or [20000]:
        out["runs"].append(
            run(cases, args.database_url, args.clients, args.seconds, reuse=args.reuse)
        )
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
