"""``safepath worker``: runs background tasks (django-tasks, database backend)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the background worker: the periodic tasks `safepath schedule` enqueues, linkage and "
        "screening runs, duplicate checks, notification delivery."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--queue-name", default="default")
        parser.add_argument(
            "--batch", action="store_true", help="process what is queued, then stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        extra = ["--batch", "--no-startup-delay"] if options["batch"] else []
        call_command("db_worker", "--queue-name", options["queue_name"], *extra)
