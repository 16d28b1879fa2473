"""``safepath pprl_export --schema S --secret-file K --agency CODE --output clks.json``.

Exports Bloom-filter encodings (CLKs) of one agency's children for cross-border matching:
only children whose consent to matching is in force, under random ids that are new for every
export. The file is the engine's encodings format, so ``safepath pprl match`` reads it. The
export is audited with counts, never names.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.audit.models import Channel
from safepath.audit.services import Actor
from safepath.core.cli import add_format_argument, emit, field_errors
from safepath.core.exceptions import FieldValidationError
from safepath.linkage.engine.clk import MIN_SECRET_BYTES
from safepath.linkage.engine.errors import LinkageError
from safepath.linkage.engine.pprl import default_schema

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Export CLK encodings of the children whose consent to matching is in force."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--schema", required=True, help="clkhash v3 schema JSON, or 'default' (shipped)"
        )
        parser.add_argument("--secret-file", required=True, type=Path, help="the shared secret")
        parser.add_argument("--agency", required=True, help="the exporting agency's code")
        parser.add_argument("--output", required=True, type=Path, help="encodings JSON to write")
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from safepath.linkage.services import agency_by_code, linkage_encodings_export

        schema = (
            default_schema() if options["schema"] == "default" else _read_schema(options["schema"])
        )
        secret = _read_secret(options["secret_file"])
        try:
            agency = agency_by_code(options["agency"])
            result = linkage_encodings_export(
                agency=agency, schema=schema, secret=secret, actor=Actor.system(Channel.CLI)
            )
        except FieldValidationError as error:
            raise _bad(str(field_errors(error))) from None
        except LinkageError as error:
            raise _bad(f"{options['schema']}: " + "; ".join(error.problems)) from None
        try:
            options["output"].write_text(json.dumps(result.document), encoding="utf-8")
        except OSError as error:
            raise _bad(f"{options['output']}: cannot write ({error.strerror})") from None
        export = result.export
        summary = {
            "export": str(export.pk),
            "agency": agency.code,
            "exported": export.record_count,
            "excluded_without_consent": export.excluded_count,
            "output": str(options["output"]),
        }
        emit(
            self,
            options,
            summary,
            f"Exported {export.record_count} encodings to {options['output']} "
            f"({export.excluded_count} children left out: no consent to matching in force).",
        )


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_BAD_INPUT)


def _read_schema(name: str) -> dict[str, Any]:
    path = Path(name)
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise _bad(f"{path}: cannot read ({error.strerror})") from None
    except json.JSONDecodeError as error:
        raise _bad(f"{path}: not JSON (line {error.lineno}: {error.msg})") from None
    if not isinstance(schema, dict):
        raise _bad(f"{path}: a linkage schema is a JSON object")
    return schema


def _read_secret(path: Path) -> bytes:
    """The secret file's bytes without surrounding whitespace, as ``safepath pprl`` reads it
    (both sides must derive the same keys from the same file)."""
    try:
        secret = path.read_bytes().strip()
    except OSError as error:
        raise _bad(f"{path}: cannot read ({error.strerror})") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise _bad(f"{path}: the secret must be at least {MIN_SECRET_BYTES} bytes")
    return secret
