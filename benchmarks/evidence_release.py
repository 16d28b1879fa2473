"""A release end to end on N synthetic cases: draft (suppression or DP), review, publish, files.

    nice -n 5 .venv/bin/python benchmarks/evidence_release.py [--cases 1000000]

Runs in a scratch SAFEPATH_DATA_DIR (SQLite, migrated here). Loads N synthetic cases into the
analysis store (same generator as ``evidence_engine.py``), then times the services a user's
click runs: ``release_draft`` (table + privacy-budget spend + audit + methodology note + stored
JSON), ``release_submit``/``release_review``/``release_publish``, and rendering the downloads.
The first DP draft in the process includes ``import opendp`` (the "cold" figure); the others
show what a running server pays. Prints one JSON object; figures in docs/evidence/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _timed(results: dict[str, Any], name: str, func: Any) -> Any:
    start = time.perf_counter()
    value = func()
    results[f"{name}_s"] = round(time.perf_counter() - start, 3)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="evidence release benchmark")
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"cases": args.cases}
    with tempfile.TemporaryDirectory() as data_dir:
        for key in [k for k in os.environ if k.startswith(("SAFEPATH_", "DATABASE_URL"))]:
            del os.environ[key]
        os.environ.update(
            SAFEPATH_MODE="development",
            SAFEPATH_DATA_DIR=data_dir,
            DJANGO_SETTINGS_MODULE="safepath.config.settings",
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from evidence_engine import synthetic_cases

        from safepath.accounts.models import Agency, User
        from safepath.accounts.roles import AgencyType, Role
        from safepath.evidence import services
        from safepath.evidence.engine import formats
        from safepath.evidence.engine.dimensions import cases_dimensions
        from safepath.evidence.engine.tables import Table
        from safepath.evidence.selectors import analysis_store

        rows = synthetic_cases(args.cases)
        _timed(
            results,
            "refresh",
            lambda: analysis_store().replace_source("cases", rows, cases_dimensions()),
        )
        rows = None
        agency = Agency.objects.create(
            name="Coordination", code="nrm", agency_type=AgencyType.NATIONAL_COORDINATION
        )
        author = User.objects.create(username="coordinator", role=Role.COORDINATOR, agency=agency)
        officer = User.objects.create(
            username="dpo", role=Role.DATA_PROTECTION_OFFICER, agency=agency
        )
        by = ["sex", "age_group_glotip", "year_identified"]
        suppressed = _timed(
            results,
            "draft_suppression_3d",
            lambda: services.release_draft(actor=author, source="cases", by=by),
        )
        _timed(
            results,
            "draft_dp_3d_cold",
            lambda: services.release_draft(actor=author, source="cases", by=by, epsilon=1.0),
        )
        _timed(
            results,
            "draft_dp_3d_warm",
            lambda: services.release_draft(actor=author, source="cases", by=by, epsilon=1.0),
        )
        wide = ["citizenship", "sex", "age_group_glotip"]
        _timed(
            results,
            "draft_dp_citizenship_warm",
            lambda: services.release_draft(actor=author, source="cases", by=wide, epsilon=1.0),
        )

        def workflow() -> None:
            services.release_submit(actor=author, release_id=suppressed.id)
            services.release_review(actor=officer, release_id=suppressed.id, approve=True)
            services.release_publish(actor=author, release_id=suppressed.id)

        _timed(results, "submit_review_publish", workflow)
        table = Table(cells=suppressed.result["cells"], metadata=suppressed.result["metadata"])
        for fmt in formats.FORMATS:
            _timed(results, f"render_{fmt}", lambda fmt=fmt: formats.render(table, fmt))
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
