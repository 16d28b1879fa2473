from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from safepath.accounts.roles import AgencyType
from safepath.accounts.services import agency_create
from safepath.audit.models import Channel
from safepath.audit.services import Actor
from safepath.core.cli import add_format_argument, emit, field_errors
from safepath.core.exceptions import FieldValidationError


class Command(BaseCommand):
    help = "Create an agency."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--code", required=True, help="short code, letters and digits")
        parser.add_argument("--type", required=True, choices=AgencyType.values, dest="agency_type")
        parser.add_argument("--country", required=True, help="ISO 3166-1 alpha-2, e.g. KE")
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency = agency_create(
                name=options["name"],
                code=options["code"],
                agency_type=options["agency_type"],
                country=options["country"],
                actor=Actor.system(Channel.CLI),
            )
        except FieldValidationError as error:
            raise field_errors(error) from None
        emit(
            self,
            options,
            {"id": str(agency.id), "code": agency.code},
            f"Created agency {agency.code} ({agency.id}).",
        )
