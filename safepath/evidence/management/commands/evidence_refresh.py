"""``safepath evidence_refresh [--enqueue] [--format json]``: rebuild the ``cases`` source."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from safepath.audit.models import Channel
from safepath.core.cli import add_format_argument, emit
from safepath.evidence.tasks import cases_source_refresh, refresh_analysis_store


class Command(BaseCommand):
    help = (
        "Rebuild the de-identified `cases` source of the analysis store from the case records "
        "(now, or queued for the worker with --enqueue)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the refresh for `safepath worker`"
        )
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            queued = refresh_analysis_store.enqueue()
            emit(
                self,
                options,
                {"queued": True, "task_id": str(queued.id)},
                f"Refresh queued as task {queued.id}.",
            )
            return
        result = cases_source_refresh(channel=Channel.CLI)
        emit(
            self,
            options,
            result.to_json(),
            f"Source `{result.source}` refreshed: {result.rows} cases "
            f"(extract {result.extract_seconds} s, load {result.load_seconds} s).",
        )
