"""Consultation results and feedback figures at the sizes a national programme would reach.

    nice -n 5 .venv/bin/python benchmarks/participation_results.py [--children N] [--services M]

Runs in a scratch SAFEPATH_DATA_DIR (SQLite, migrated here). Times, on synthetic data only:

1. the pure tabulation (``results.tabulate``: counts by answer and age band, the evidence
   engine's threshold and secondary suppression, then hiding zeros beside hidden totals) for
   ``--children`` responses to the 7-question consultation, and the attacker's LP check that no
   hidden count is recoverable;
2. entering ``--children`` answer sets through ``participant_submit`` (checked, encrypted,
   audited) and reading the protected results back through ``consultation_results`` (every
   answer decrypted in memory);
3. ``feedback_submit`` for 11 items per service on ``--services`` services, a tracking-code
   lookup, and the directory's suppressed figures for a page of 25 services and for all.

Prints one JSON object; the figures are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _timed(results: dict[str, Any], name: str, func: Any) -> Any:
    start = time.perf_counter()
    value = func()
    results[f"{name}_s"] = round(time.perf_counter() - start, 3)
    return value


def _answers(instrument: Any, rng: random.Random) -> dict[str, str | None]:
    chosen: dict[str, str | None] = {}
    answers: dict[str, str | None] = {}
    for question in instrument.questions:
        if not instrument.shown(question, chosen):
            continue
        if question.type == "free_text":
            value = "Synthetic idea." if rng.random() < 0.5 else None
        else:
            value = rng.choice([*question.option_ids(), None])
        answers[question.id] = value
        chosen[question.id] = value if question.has_options else None
    return answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="participation benchmark")
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--services", type=int, default=500)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "children": args.children,
        "services": args.services,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }
    with tempfile.TemporaryDirectory() as data_dir:
        for key in [k for k in os.environ if k.startswith(("SAFEPATH_", "DATABASE_URL"))]:
            del os.environ[key]
        os.environ.update(
            SAFEPATH_MODE="development",
            SAFEPATH_DATA_DIR=data_dir,
            DJANGO_SETTINGS_MODULE="safepath.config.settings",
        )
        import django
        import numpy as np

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from safepath.accounts.models import Agency, User
        from safepath.accounts.roles import AgencyType, Role
        from safepath.participation import consultations
        from safepath.participation import results as tables
        from safepath.participation.feedback_selectors import service_feedback_figures
        from safepath.participation.selectors import consultation_results
        from safepath.participation.services.consultations import consultation_create
        from safepath.participation.services.feedback import feedback_status, feedback_submit
        from safepath.participation.services.participants import participant_submit
        from safepath.referrals.models import Service, ServiceProvider

        rng = random.Random(15)
        instrument = consultations.latest()["services-experience"]
        bands = [band.id for band in instrument.age_bands]
        responses = [
            tables.Response(rng.choice(bands), _answers(instrument, rng))
            for _ in range(args.children)
        ]
        found = _timed(results, "tabulate", lambda: tables.tabulate(instrument, responses))
        results["suppressed_cells"] = found.suppressed_cells

        def attack() -> int:
            recovered = 0
            for item in found.questions:
                t = item.table
                values = np.array(
                    [[t.cell(r, c).count or 0 for c in t.columns] for r in t.rows], dtype=float
                )
                mask = np.array([[t.cell(r, c).suppressed for c in t.columns] for r in t.rows])
                recovered += len(tables.recoverable_cells(values, mask))
            return recovered

        results["recoverable_cells"] = _timed(results, "attacker_lp", attack)

        ngo = Agency.objects.create(
            name="NGO", code="ngo", agency_type=AgencyType.NGO, country="FR"
        )
        facilitator = User.objects.create(username="facilitator", role=Role.FACILITATOR, agency=ngo)
        consultation = consultation_create(actor=facilitator, instrument_id=instrument.id)

        def enter() -> None:
            for response in responses:
                participant_submit(
                    actor=facilitator,
                    consultation_id=consultation.id,
                    age_band=response.age_band,
                    language="en",
                    assent=True,
                    caregiver_consent="facilitator_confirmed",
                    answers=dict(response.answers),
                )

        _timed(results, "submit_all", enter)
        results["submit_per_child_ms"] = round(results["submit_all_s"] * 1000 / args.children, 2)
        read = _timed(
            results,
            "consultation_results",
            lambda: consultation_results(user=facilitator, consultation_id=consultation.id),
        )
        results["results_match_pure"] = all(
            a.table.cells == b.table.cells
            for a, b in zip(read.results.questions, found.questions, strict=True)
        )

        provider = ServiceProvider.objects.create(name="NGO", agency=ngo, country="FR")
        services = Service.objects.bulk_create(
            Service(
                provider=provider,
                name=f"Service {n}",
                service_type="shelter.emergency",
                country="FR",
            )
            for n in range(args.services)
        )
        codes: list[str] = []

        def send() -> None:
            for service in services:
                for n in range(11):
                    _feedback, code = feedback_submit(
                        kind=("compliment", "suggestion", "complaint")[n % 3],
                        submitted_by="child",
                        service_id=service.id,
                        message="Synthetic feedback.",
                    )
                    codes.append(code)

        _timed(results, "feedback_submit_all", send)
        results["feedback_submit_per_item_ms"] = round(
            results["feedback_submit_all_s"] * 1000 / len(codes), 2
        )
        _timed(
            results,
            "status_lookup",
            lambda: feedback_status(code=codes[-1], address="198.51.100.1"),
        )
        _timed(
            results,
            "figures_page_of_25",
            lambda: service_feedback_figures([s.id for s in services[:25]]),
        )
        _timed(results, "figures_all", lambda: service_feedback_figures([s.id for s in services]))
    results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
