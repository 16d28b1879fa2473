import getpass
import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.accounts.models import Agency
from safepath.accounts.roles import Role
from safepath.accounts.services import user_create
from safepath.audit.models import Channel
from safepath.audit.services import Actor
from safepath.core.cli import add_format_argument, emit, field_errors
from safepath.core.exceptions import FieldValidationError


class Command(BaseCommand):
    help = "Create a user. The password comes from SAFEPATH_NEW_PASSWORD or a prompt, never argv."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--agency", help="agency code (not needed for system_admin)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency with code {options['agency']!r}.")
        password = os.environ.get("SAFEPATH_NEW_PASSWORD") or getpass.getpass("Password: ")
        try:
            user = user_create(
                username=options["username"],
                password=password,
                role=options["role"],
                agency=agency,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                actor=Actor.system(Channel.CLI),
            )
        except FieldValidationError as error:
            raise field_errors(error) from None
        emit(
            self,
            options,
            {"id": str(user.id), "username": user.username, "role": user.role},
            f"Created user {user.username} ({user.id}) with role {user.role}.",
        )
