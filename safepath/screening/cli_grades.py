"""``safepath screen grades ID``: where a list's strengths come from, and loading a transcribed
grade table (``--file TABLE --user ADMIN``) that replaces them. Touches the database."""

from __future__ import annotations

import json
from argparse import Action
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.core.cli import add_format_argument, wants_json
from safepath.core.exceptions import PermissionDeniedError
from safepath.screening import grades, instruments
from safepath.screening.selectors import grade_table_current, instrument_for_scoring
from safepath.screening.services import grade_table_load

EXIT_BAD_INPUT = 2


def add_grades_parser(sub: Action) -> None:
    parser = sub.add_parser(  # type: ignore[attr-defined]
        "grades", help="show a list's grade status, or load a transcribed grade table"
    )
    parser.add_argument("instrument")
    parser.add_argument("--file", type=Path, help="the grade table: .json, or .csv with --source")
    parser.add_argument("--source", default="", help="the document transcribed (needed for CSV)")
    parser.add_argument("--user", help="the system administrator loading the table")
    parser.add_argument("--dry-run", action="store_true", help="check the table, keep nothing")
    add_format_argument(parser)


def _fail(command: BaseCommand, message: str) -> int:
    command.stderr.write(message)
    return EXIT_BAD_INPUT


def _status(instrument: instruments.Instrument) -> dict[str, Any]:
    loaded = grade_table_current(instruments.get(instrument.id))
    return {
        "instrument": instrument.id,
        "version": instrument.version,
        "grades": instrument.grades.to_dict() if instrument.grades else None,
        "loaded_by": loaded.loaded_by.username if loaded else None,
        "loaded_at": loaded.loaded_at.isoformat() if loaded else None,
    }


def run_grades(command: BaseCommand, options: dict[str, Any]) -> int:
    try:
        shipped = instruments.get(options["instrument"])
    except instruments.InstrumentError as error:
        return _fail(command, str(error))
    if shipped.grades is None:
        return _fail(command, f"{shipped.id}: this instrument has no graded indicators")
    if options.get("file"):
        user = User.objects.filter(username=options.get("user") or "", is_active=True).first()
        if user is None:
            return _fail(command, "--user: give the active system administrator loading it")
        try:
            table = grades.load_file(options["file"], shipped, source=options["source"])
        except grades.GradeTableError as error:
            return _fail(command, f"{options['file']}: {error}; nothing was loaded")
        if not options["dry_run"]:
            try:
                grade_table_load(user=user, table=table, channel=Channel.CLI)
            except PermissionDeniedError as error:
                return _fail(command, f"--user {user.username}: {error.message}")
    status = _status(instrument_for_scoring(shipped.id))
    if wants_json(options):
        command.stdout.write(json.dumps(status, ensure_ascii=False))
    else:
        found = status["grades"]
        command.stdout.write(f"{status['instrument']} {status['version']}: {found['status']}")
        command.stdout.write(f"  source: {found['source']}")
        if status["loaded_by"]:
            command.stdout.write(f"  loaded by {status['loaded_by']} at {status['loaded_at']}")
        if options.get("file") and options["dry_run"]:
            command.stdout.write("  (dry run: the table is valid; nothing was loaded)")
    return 0
