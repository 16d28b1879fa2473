"""Soak: the paced 20-client case-list load for 30 minutes while background work runs.

    nice .venv/bin/python benchmarks/soak.py [--minutes 30] [--cases 20000] [--clients 20]
        [--think-ms 1000] [--jobs-every 10] [--import-rows 2000] [--finance-customers 1000]
        [--database-url postgres://postgres@127.0.0.1:5432/safepath_soak]

1. A fresh data folder (a temporary directory; SQLite in it unless ``--database-url`` names a
   PostgreSQL database, which is then recreated), migrated, the demo loaded (``safepath demo``:
   accounts, demo cases, the apps' demo data) and ``safepath seed --cases N --agencies 20``.
2. Starts gunicorn (2 workers x 10 threads, as ``case_list_speed.py``) and ``safepath worker``
   beside it, as ``make demo`` does.
3. Drives the paced case-list load of ``case_list_speed.py`` (the list filtered by status, a
   later page, an exact name search, opening a case; half the clients as ``supervisor.a``, half
   as ``caseworker.a``; exponential think time) for ``--minutes``.
4. Meanwhile, from minute 1 and then every ``--jobs-every`` minutes, three background jobs start
   (each waits for its previous one to finish): ``safepath import cases`` of a synthetic
   spreadsheet of ``--import-rows`` rows (its own process, as an operator runs it), a linkage
   deduplication run over agency A (``POST /api/v1/linkage/runs/``, run by the worker) and a
   finance screening run of a synthetic bank (``POST /api/v1/finance/runs/``, run by the worker).
5. Prints, minute by minute, the requests, errors and p50/p95 of server time (``Server-Timing``)
   and wall time seen by the client, with the jobs that were running; then the totals, each
   job's duration and outcome, and the data size. Goal: 0 errors.

Only 127.0.0.1 is contacted; the load stops by itself at the deadline.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import case_list_speed as bench  # the paced load's client, sign-in, names and percentiles

ROOT = Path(__file__).resolve().parent.parent
PORT = 8793  # not case_list_speed's, so both can run on one machine


def environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFEPATH_", "DATABASE_URL"))}
    env.update(
        SAFEPATH_MODE="development",
        SAFEPATH_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="safepath.config.settings",
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def safepath_process(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.Popen[Any]:
    return subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "safepath", *args], env=env, cwd=ROOT, **kwargs
    )


def safepath(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "safepath", *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


# --- inputs of the background jobs ------------------------------------------------------------
IMPORT_MAPPING = ROOT / "safepath" / "cases" / "tests" / "fixtures" / "import_mapping.yaml"


def import_file(path: Path, rows: int) -> None:
    """A synthetic spreadsheet in the columns of the test mapping (names from the generator)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepath.config.settings")
    from safepath.demo.synthetic import generate

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["First name", "Surname", "Gender", "DOB", "Nationality", "Date identified",
             "Exploitation", "Where exploited"]
        )  # fmt: skip
        for number, case in enumerate(generate(rows, seed=4242)):
            writer.writerow(
                [case.given_name, case.family_name, "F" if number % 2 else "M",
                 f"{1 + number % 28:02d}/{1 + number % 12:02d}/2012", "KE", "01/10/2026",
                 "forced_labour", "KE"]
            )  # fmt: skip


def finance_files(directory: Path, customers: int) -> dict[str, Path]:
    from safepath.finance.engine.synth import SynthConfig, generate

    output = generate(SynthConfig(customers=customers, days=60, seed=11), directory, fmt="csv")
    return {"transactions": output.transactions, "customers": output.customers}


def multipart(fields: dict[str, str], files: dict[str, Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, path in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{path.name}"\r\nContent-Type: text/csv\r\n\r\n'
        )
        parts.append(head.encode() + path.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def api(
    token: str, method: str, path: str, body: bytes | None = None, content_type: str = ""
) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
    headers = {"Authorization": f"Token {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    connection.close()
    try:
        return response.status, json.loads(content)
    except ValueError:
        return response.status, content[:200]


# --- the jobs ---------------------------------------------------------------------------------
class Jobs:
    """Each kind of job in its own thread: start, wait for the end, wait for the next slot."""

    def __init__(self, env: dict[str, str], started: float, deadline: float, every: float):
        self.env, self.started, self.deadline, self.every = env, started, deadline, every
        self.log: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def running_at(self, minute: int) -> list[str]:
        low, high = minute * 60, (minute + 1) * 60
        with self.lock:
            return sorted(
                {
                    j["job"]
                    for j in self.log
                    if j["start_s"] < high and (j.get("end_s") or 1e12) > low
                }
            )

    def loop(self, name: str, start_one: Any) -> None:
        slot = self.started + 60
        while True:
            time.sleep(max(0.0, slot - time.monotonic()))
            if time.monotonic() >= self.deadline - 30:
                return
            entry: dict[str, Any] = {
                "job": name,
                "start_s": round(time.monotonic() - self.started, 1),
            }
            with self.lock:
                self.log.append(entry)
            try:
                entry["outcome"] = start_one()
            except Exception as error:
                entry["outcome"] = f"error: {error!r}"[:300]
            entry["end_s"] = round(time.monotonic() - self.started, 1)
            entry["seconds"] = round(entry["end_s"] - entry["start_s"], 1)
            while slot <= time.monotonic():
                slot += self.every

    def poll(self, token: str, path: str, done: set[str]) -> str:
        while time.monotonic() < self.deadline + 1800:  # a run may end after the load
            status, body = api(token, "GET", path)
            if status != 200:
                return f"poll answered {status}"
            if body.get("status") in done:
                wanted = ("record_count", "pair_count", "alerts_raised")
                extra = {k: body[k] for k in wanted if body.get(k) is not None}
                return f"{body['status']} {json.dumps(extra)}"
            time.sleep(2)
        return "still running at the end"


def run(options: argparse.Namespace) -> dict[str, Any]:
    bench.PORT = PORT
    data_dir = Path(tempfile.mkdtemp(prefix="safepath-soak-"))
    work = data_dir / "inputs"
    work.mkdir()
    env = environment(data_dir, options.database_url)
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "database": "PostgreSQL" if options.database_url else "SQLite",
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "minutes": options.minutes,
        "clients": options.clients,
        "think_ms": options.think_ms,
    }
    if options.database_url:
        bench.recreate_database(options.database_url)
    setup = time.perf_counter()
    safepath(["migrate", "--no-input", "-v", "0"], env)
    safepath(["demo"], env)
    safepath(
        ["seed", "--cases", str(options.cases), "--agencies", "20", "--caseworkers-per-agency",
         "25"],
        env,
    )  # fmt: skip
    if options.database_url:
        bench.analyse(options.database_url)
    report["setup_s"] = round(time.perf_counter() - setup, 1)
    import_csv = work / "import.csv"
    import_file(import_csv, options.import_rows)
    bank = finance_files(work / "bank", options.finance_customers)
    report["inputs"] = {
        "import_rows": options.import_rows,
        "finance_transactions_bytes": bank["transactions"].stat().st_size,
        "finance_customers": options.finance_customers,
    }
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    logs = (data_dir / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own server
        [str(Path(sys.executable).with_name("gunicorn")), "safepath.config.wsgi", "--bind",
         f"127.0.0.1:{PORT}", "--workers", "2", "--threads", "10", "--keep-alive", "75",
         "--log-level", "warning", "--timeout", "120"],
        env=env, cwd=ROOT, stdout=logs, stderr=logs,
    )  # fmt: skip
    worker = safepath_process(["worker"], env, stdout=logs, stderr=logs)
    try:
        for _ in range(120):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        tokens = [bench.token("supervisor.a"), bench.token("caseworker.a")]
        analyst = bench.token("fiu.analyst")
        names = bench.names_to_search(2000)
        views = {}
        for token in tokens:
            _, _, body = bench.Client(token).call("GET", "/api/v1/cases/?page_size=100")
            data = json.loads(body)
            views[token] = ([row["id"] for row in data["results"]], max(2, data["count"] // 25))

        started = time.monotonic()
        deadline = started + options.minutes * 60
        jobs = Jobs(env, started, deadline, options.jobs_every * 60)

        def one_import() -> str:
            process = safepath_process(
                ["import", "cases", str(import_csv), "--mapping", str(IMPORT_MAPPING),
                 "--user", "caseworker.a"],
                env, **quiet,
            )  # fmt: skip
            return f"exit {process.wait()}"

        def one_linkage() -> str:
            status, body = api(
                tokens[0], "POST", "/api/v1/linkage/runs/", b"{}", "application/json"
            )
            if status != 202:
                return f"start answered {status}: {body}"
            return jobs.poll(
                tokens[0], f"/api/v1/linkage/runs/{body['id']}/", {"finished", "failed"}
            )

        def one_screening() -> str:
            payload, kind = multipart({"base_currency": "USD"}, bank)
            status, body = api(analyst, "POST", "/api/v1/finance/runs/", payload, kind)
            if status != 201:
                return f"start answered {status}: {body}"
            return jobs.poll(analyst, f"/api/v1/finance/runs/{body['id']}/", {"done", "failed"})

        job_threads = [
            threading.Thread(target=jobs.loop, args=(name, start_one), daemon=True)
            for name, start_one in (
                ("import", one_import),
                ("linkage run", one_linkage),
                ("finance screening", one_screening),
            )
        ]
        samples: list[tuple[float, str, int, float, float]] = []
        lock = threading.Lock()

        def client(number: int) -> None:
            rng = random.Random(number)
            token = tokens[number % len(tokens)]
            connection = bench.Client(token)
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
                at = time.monotonic()
                try:
                    status, server_ms, _ = connection.call(method, path, payload)
                except (http.client.HTTPException, OSError):
                    connection = bench.Client(token)
                    status, server_ms = 0, float("nan")
                wall_ms = (time.monotonic() - at) * 1000
                with lock:
                    samples.append((at - started, kind, status, server_ms, wall_ms))
                time.sleep(rng.expovariate(1000 / options.think_ms))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(options.clients)]
        for thread in [*threads, *job_threads]:
            thread.start()
        for thread in threads:
            thread.join()
        report["load_after"] = [round(x, 2) for x in os.getloadavg()]
        for thread in job_threads:  # the last runs end in the worker
            thread.join(timeout=1800)
        report["per_minute"] = per_minute(samples, jobs)
        report["total"] = totals(samples)
        report["errors_by_status"] = errors_by_status(samples)
        report["jobs"] = jobs.log
        report["data"] = data_size(data_dir, options.database_url, env)
    finally:
        for process in (worker, server):
            process.terminate()
            process.wait(timeout=60)
        logs.close()
        server_log = (data_dir / "server.log").read_text(errors="replace")
        report["server_log_tracebacks"] = server_log.count("Traceback")
        if not options.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            report["data_dir"] = str(data_dir)
    return report


def _stats(rows: list[tuple[float, str, int, float, float]]) -> dict[str, Any]:
    good = [r for r in rows if r[2] == 200]
    server = [r[3] for r in good]
    wall = [r[4] for r in good]
    return {
        "requests": len(rows),
        "errors": len(rows) - len(good),
        "server_p50_ms": round(statistics.median(server), 1) if server else None,
        "server_p95_ms": round(bench.percentile(server, 0.95), 1) if server else None,
        "wall_p50_ms": round(statistics.median(wall), 1) if wall else None,
        "wall_p95_ms": round(bench.percentile(wall, 0.95), 1) if wall else None,
    }


def per_minute(samples: list[tuple[float, str, int, float, float]], jobs: Jobs) -> list[Any]:
    minutes: dict[int, list[tuple[float, str, int, float, float]]] = {}
    for sample in samples:
        minutes.setdefault(int(sample[0] // 60), []).append(sample)
    return [
        {"minute": m + 1, **_stats(rows), "jobs": jobs.running_at(m)}
        for m, rows in sorted(minutes.items())
    ]


def totals(samples: list[tuple[float, str, int, float, float]]) -> dict[str, Any]:
    kinds = sorted({s[1] for s in samples})
    return {"all": _stats(samples), **{k: _stats([s for s in samples if s[1] == k]) for k in kinds}}


def errors_by_status(samples: list[tuple[float, str, int, float, float]]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for _, kind, status, _, _ in samples:
        if status != 200:
            key = f"{kind} {status or 'no answer'}"
            counted[key] = counted.get(key, 0) + 1
    return counted


def data_size(data_dir: Path, database_url: str | None, env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "safepath", "shell", "-c",
         "from safepath.cases.models import Case; from safepath.audit.models import AuditEvent;"
         "print(Case.objects.count(), AuditEvent.objects.count())"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    counts = out.stdout.split()[-2:]  # after the shell's own banner
    size: dict[str, Any] = {
        "cases": int(counts[0]) if len(counts) == 2 else None,
        "audit_events": int(counts[1]) if len(counts) == 2 else None,
    }
    if database_url:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as connection:
            row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
        size["database_mb"] = round(row[0] / 1e6, 1) if row else None
    else:
        size["database_mb"] = round((data_dir / "safepath.sqlite3").stat().st_size / 1e6, 1)
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--think-ms", type=float, default=1000)
    parser.add_argument("--jobs-every", type=float, default=10, help="minutes between job starts")
    parser.add_argument("--import-rows", type=int, default=2000)
    parser.add_argument("--finance-customers", type=int, default=1000)
    parser.add_argument("--database-url", help="a PostgreSQL database to recreate (default SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    options = parser.parse_args()
    print(json.dumps(run(options), indent=1))


if __name__ == "__main__":
    main()
