"""``safepath services import FILE.csv|yaml`` and ``safepath services list [--format json]``."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.core.cli import add_format_argument, emit
from safepath.referrals.directory import ImportFileError, read_rows, services_import
from safepath.referrals.selectors import ServiceFilters, service_list
from safepath.referrals.serializers import ServiceSerializer


class Command(BaseCommand):
    help = "Import or list the service directory."

    def add_arguments(self, parser: ArgumentParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        load = verbs.add_parser("import", help="create or update services from a CSV or YAML file")
        load.add_argument("file", type=Path)
        add_format_argument(load)
        listing = verbs.add_parser("list", help="list active services")
        listing.add_argument("--country", default="")
        listing.add_argument("--type", dest="service_type", default="")
        add_format_argument(listing)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "import":
            self._import(options)
        else:
            self._list(options)

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            result = services_import(read_rows(path), source_name=path.name)
        except ImportFileError as error:
            raise CommandError(
                "nothing imported:\n" + "\n".join(error.problems), returncode=2
            ) from None
        except (UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"{path.name}: cannot read: {error}", returncode=2) from None
        data = {
            "providers_created": result.providers_created,
            "services_created": result.services_created,
            "services_updated": result.services_updated,
        }
        emit(
            self,
            options,
            data,
            f"{result.services_created} services created, {result.services_updated} updated "
            f"({result.providers_created} new providers).",
        )

    def _list(self, options: dict[str, Any]) -> None:
        filters = ServiceFilters(country=options["country"], service_type=options["service_type"])
        rows = ServiceSerializer(service_list(filters=filters), many=True).data
        text = "\n".join(
            "\t".join(
                (r["country"], r["admin_area"] or "-", r["service_type"], r["provider"], r["name"])
            )
            for r in rows
        )
        emit(self, options, rows, text or "No services.")
