"""``safepath schedule``: enqueue periodic tasks (escalations, audit check) at their interval."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from safepath.core.cli import add_format_argument, emit
from safepath.core.schedule import PERIODIC, enqueue_due, run_forever


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks at their interval, for `safepath worker` to run. "
        "--once enqueues every periodic task now and stops (for cron)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue all now, then stop")
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            enqueued = enqueue_due({}, now=0.0, only_due=False)
            emit(self, options, {"enqueued": enqueued}, f"Enqueued {len(enqueued)} tasks.")
            return
        self.stdout.write(
            "Scheduling: " + ", ".join(f"{p.task} every {p.every_seconds} s" for p in PERIODIC)
        )
        run_forever()
