"""``safepath referrals escalate``: mark overdue referrals and escalate them, once.
``safepath referrals validate``: load and check the taxonomy, deadlines and pathway files."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.core.cli import add_format_argument, emit
from safepath.referrals import catalogue
from safepath.referrals.selectors import pathways
from safepath.referrals.services import referrals_escalate_overdue


class Command(BaseCommand):
    help = "Referral housekeeping (the worker runs the escalation periodically)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        escalate = verbs.add_parser("escalate", help="mark overdue referrals and escalate them")
        add_format_argument(escalate)
        validate = verbs.add_parser("validate", help="check the referral data files")
        add_format_argument(validate)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "validate":
            self._validate(options)
            return
        run = referrals_escalate_overdue()
        emit(
            self,
            options,
            run.as_dict(),
            f"{len(run.marked_overdue)} referrals newly overdue; {run.to_worker} escalations to "
            f"workers, {run.to_supervisor} to supervisors.",
        )

    def _validate(self, options: dict[str, Any]) -> None:
        try:
            catalogue.taxonomy.cache_clear()
            catalogue.deadlines.cache_clear()
            pathways.cache_clear()
            loaded = pathways()
            types = len(catalogue.taxonomy().types)
            regions = sorted({p.region for p in loaded})
            urgencies = sorted(catalogue.deadlines())
        except (catalogue.CatalogueError, OSError, ValueError) as error:
            raise CommandError(str(error), returncode=2) from None
        data = {
            "service_types": types,
            "urgencies": urgencies,
            "pathways": len(loaded),
            "regions": regions,
        }
        emit(
            self,
            options,
            data,
            f"{types} service types, {len(loaded)} pathways ({', '.join(regions)}): valid.",
        )
