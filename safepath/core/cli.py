"""What every data-producing CLI verb shares: ``--format text|json``, and JSON alone on stdout."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.core.exceptions import FieldValidationError


def add_format_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="json prints only JSON on stdout (for scripts)",
    )


def wants_json(options: dict[str, Any]) -> bool:
    return options.get("format") == "json"


def emit(command: BaseCommand, options: dict[str, Any], data: Any, text: str) -> None:
    """Print ``data`` as JSON when asked, else the sentence ``text``."""
    if wants_json(options):
        command.stdout.write(json.dumps(data, ensure_ascii=False, default=str))
    else:
        command.stdout.write(text)


def field_errors(error: FieldValidationError) -> CommandError:
    """A service's field errors as one CLI error line: 'field: reason; field: reason'."""
    return CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.fields.items()))


class ProgressStream:
    """A command's stderr for tqdm: tqdm writes partial lines, and Django's wrapper would end
    each with a newline. tqdm shows a bar only when this is a terminal (``disable=None``)."""

    def __init__(self, command: BaseCommand) -> None:
        self.command = command

    def write(self, text: str) -> None:
        self.command.stderr.write(text, ending="")

    def flush(self) -> None:
        self.command.stderr.flush()

    def isatty(self) -> bool:
        return bool(self.command.stderr.isatty())
