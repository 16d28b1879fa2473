"""``safepath seed --cases N``: many synthetic cases, fast (for load tests and benchmarks)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.core.cli import add_format_argument, emit, wants_json
from safepath.demo.accounts import ensure_demo_accounts, ensure_seed_staff
from safepath.demo.loader import load_cases
from safepath.demo.mode import refuse_in_production
from safepath.demo.synthetic import generate


class Command(BaseCommand):
    help = "Add N synthetic cases, spread over the caseworkers of the existing agencies."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026, help="random seed (repeatable)")
        parser.add_argument(
            "--agencies",
            type=int,
            default=0,
            help="spread the cases over this many agencies (demo A and B, then synthetic ones); "
            "default: the existing caseworkers",
        )
        parser.add_argument(
            "--caseworkers-per-agency", type=int, default=25, help="with --agencies (default 25)"
        )
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_in_production("seed")
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1.")
        if options["agencies"] > 0:
            assignees = ensure_seed_staff(
                agencies=options["agencies"],
                caseworkers_per_agency=max(1, options["caseworkers_per_agency"]),
            )
        else:
            assignees = list(
                User.objects.filter(role=Role.CASEWORKER, is_active=True).order_by("username")
            )
        if not assignees:
            ensure_demo_accounts()
            assignees = list(User.objects.filter(role=Role.CASEWORKER).order_by("username"))
        with tqdm(
            total=options["cases"],
            unit="case",
            disable=options["verbosity"] < 1 or wants_json(options),
        ) as bar:
            loaded = load_cases(
                generate(options["cases"], seed=options["seed"]),
                assignees=assignees,
                progress=bar.update,
            )
        emit(self, options, {"added": loaded}, f"Added {loaded} synthetic cases.")
