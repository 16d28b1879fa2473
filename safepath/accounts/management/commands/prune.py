"""``safepath prune``: delete expired sessions, long-expired API tokens, old sign-in records and
finished background-task results now (the worker does it daily)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from safepath.accounts.pruning import expired_records_prune
from safepath.audit.models import Channel
from safepath.core.cli import add_format_argument, emit


class Command(BaseCommand):
    help = (
        "Delete what has expired or finished and is past its keeping period: sessions, API "
        "tokens, sign-in records, background-task results. --dry-run counts only."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = expired_records_prune(dry_run=options["dry_run"], channel=Channel.CLI)
        verb = "Would delete" if options["dry_run"] else "Deleted"
        text = f"{verb}: " + ", ".join(
            f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items()
        )
        emit(self, options, {"dry_run": options["dry_run"], "deleted": counts}, text)
