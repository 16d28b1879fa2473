"""Refreshing the analysis store from 1,000,000 cases: under 60 s and under 2 GB (issue 5).

    python benchmarks/evidence_refresh.py [--cases 1000000] [--via-seed]

1. A scratch SQLite database under a temporary SAFEPATH_DATA_DIR is migrated.
2. N synthetic cases are written. By default the rows are generated directly (the demo's
   synthetic generator for the mix of sex, age, nationality, forms and countries; encrypted
   columns hold a placeholder, because the extract never reads them), which takes a minute
   for a million. ``--via-seed`` uses ``safepath seed --cases N`` instead (real encryption and
   audit trail; about 1,500 cases a second, so 11 minutes or more for a million).
3. ``safepath evidence_refresh --format json`` runs as its own process, as the worker would;
   its wall-clock time and peak resident memory (``ru_maxrss`` of the child) are reported.

Prints a JSON summary; docs/evidence/refresh-benchmark.md records the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

TARGET_SECONDS = 60.0
TARGET_BYTES = 2 * 1024**3
BATCH = 20_000


def _env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFEPATH_", "DATABASE_URL"))}
    env.update(
        SAFEPATH_MODE="development",
        SAFEPATH_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="safepath.config.settings",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "safepath", *args], env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"safepath {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done


def _generate(cases: int, data_dir: str) -> None:
    """Write ``cases`` children and cases straight into the scratch database (this process)."""
    os.environ.update(_env(data_dir))
    import django

    django.setup()
    from django.db import connection, transaction

    from safepath.accounts.models import Agency, User
    from safepath.accounts.roles import AgencyType, Role
    from safepath.cases.models import Case, Child
    from safepath.cases.services import age_on
    from safepath.core.fields import EncryptedField
    from safepath.demo.synthetic import generate

    agencies = [
        Agency.objects.create(
            name=f"Bench {kind}", code=f"bench-{i}", agency_type=kind, country="KE"
        )
        for i, kind in enumerate((AgencyType.CHILD_PROTECTION, AgencyType.NGO, AgencyType.POLICE))
    ]
    author = User.objects.create(username="bench", role=Role.CASEWORKER, agency=agencies[0])

    def template(model: Any) -> tuple[list[Any], list[Any]]:
        fields = list(model._meta.concrete_fields)
        defaults = []
        for field in fields:
            if isinstance(field, EncryptedField):
                defaults.append("")  # never read by the extract; no need to encrypt
            elif field.has_default():
                defaults.append(field.get_db_prep_save(field.get_default(), connection))
            elif field.null or field.get_internal_type() not in {"CharField", "TextField"}:
                defaults.append(None)  # nullable, or overridden per row below
            else:
                defaults.append("")
        return fields, defaults

    def insert(model: Any, fields: list[Any], rows: list[list[Any]]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    child_fields, child_defaults = template(Child)
    case_fields, case_defaults = template(Case)
    child_at = {f.attname: i for i, f in enumerate(child_fields)}
    case_at = {f.attname: i for i, f in enumerate(case_fields)}
    prep_json = Case._meta.get_field("forms_of_exploitation")
    children: list[list[Any]] = []
    rows: list[list[Any]] = []
    for index, spec in enumerate(generate(cases, seed=5)):
        child = list(child_defaults)
        child_id = uuid.uuid4()
        child[child_at["id"]] = child_id.hex
        child[child_at["sex"]] = spec.sex
        child[child_at["nationality"]] = spec.nationality
        child[child_at["age_at_identification"]] = age_on(spec.date_of_birth, spec.identified_on)
        child[child_at["given_name_index"]] = "x"
        case = list(case_defaults)
        case[case_at["id"]] = uuid.uuid4().hex
        case[case_at["reference"]] = f"SP-{index:010d}"
        case[case_at["child_id"]] = child_id.hex
        case[case_at["owner_agency_id"]] = agencies[index % len(agencies)].id.hex
        case[case_at["identified_on"]] = spec.identified_on.isoformat()
        case[case_at["forms_of_exploitation"]] = prep_json.get_db_prep_save(
            spec.forms_of_exploitation, connection
        )
        case[case_at["country_of_exploitation"]] = spec.country_of_exploitation
        case[case_at["created_by_id"]] = author.id.hex
        children.append(child)
        rows.append(case)
        if len(rows) >= BATCH:
            with transaction.atomic():
                insert(Child, child_fields, children)
                insert(Case, case_fields, rows)
            children, rows = [], []
    with transaction.atomic():
        insert(Child, child_fields, children)
        insert(Case, case_fields, rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--via-seed", action="store_true", help="use `safepath seed` (slow)")
    parser.add_argument("--generate-into", help=argparse.SUPPRESS)  # internal: child process
    options = parser.parse_args()
    if options.generate_into:
        _generate(options.cases, options.generate_into)
        return
    with tempfile.TemporaryDirectory(prefix="safepath-bench-evidence-") as data_dir:
        env = _env(data_dir)
        _run(["migrate", "-v", "0"], env)
        started = time.perf_counter()
        if options.via_seed:
            _run(["seed", "--cases", str(options.cases), "-v", "0"], env)
        else:
            subprocess.run(  # noqa: S603 - this script
                [
                    sys.executable,
                    __file__,
                    "--cases",
                    str(options.cases),
                    "--generate-into",
                    data_dir,
                ],
                env=env,
                check=True,
            )
        generated = time.perf_counter() - started
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        refreshed = json.loads(_run(["evidence_refresh", "--format", "json"], env).stdout)
        wall = time.perf_counter() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        store = Path(data_dir) / "evidence" / "analysis.duckdb"
        summary = {
            "cases": options.cases,
            "rows_in_store": refreshed["rows"],
            "generation": "safepath seed" if options.via_seed else "direct rows",
            "generate_s": round(generated, 1),
            "refresh_wall_s": round(wall, 1),
            "refresh_extract_s": refreshed["extract_seconds"],
            "refresh_load_s": refreshed["load_seconds"],
            "refresh_within_target": wall < TARGET_SECONDS,
            # ru_maxrss of children is the largest child so far: valid when the refresh is the
            # largest, which the line below checks.
            "refresh_peak_rss_mb": round(peak_kib / 1024),
            "peak_is_the_refresh": peak_kib > before,
            "memory_within_target": peak_kib * 1024 < TARGET_BYTES,
            "store_bytes": store.stat().st_size if store.exists() else 0,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
        }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
