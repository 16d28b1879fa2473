"""``safepath screen list | describe ID | run ID --answers FILE | validate ID --labels FILE``
and ``safepath screen grades ID [--file TABLE --user ADMIN]`` (a transcribed grade table)."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from safepath.core.cli import add_format_argument, wants_json
from safepath.screening import grades, instruments
from safepath.screening.cli_grades import add_grades_parser, run_grades
from safepath.screening.cli_validate import add_validate_parser, run_validate
from safepath.screening.describe import describe
from safepath.screening.engine import UNVERIFIED_GRADES, ScreeningInputError
from safepath.screening.notices import unverified_grades_text
from safepath.screening.runs import deployment_child_rule, run_one

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Screening instruments: list them, describe one, run answers through one."
    # Instruments are files in the package: no database, secret or settings (core/engine_verbs.py).
    engine_verbs = ("list", "describe", "run", "validate")

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        add_format_argument(sub.add_parser("list", help="the shipped instruments"))
        describe_parser = sub.add_parser("describe", help="one instrument, item by item")
        describe_parser.add_argument("instrument")
        add_format_argument(describe_parser)
        run = sub.add_parser("run", help="score answers (one JSON object or an array)")
        run.add_argument("instrument")
        run.add_argument("--answers", required=True, type=Path, help="JSON file, or - for stdin")
        run.add_argument(
            "--grades",
            type=Path,
            help="a transcribed grade table (JSON, or CSV with --grades-source) to score with",
        )
        run.add_argument("--grades-source", default="", help="what a CSV grade table transcribes")
        run.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="language of the warnings in the text output",
        )
        add_format_argument(run)
        add_validate_parser(sub)
        add_grades_parser(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        code = getattr(self, f"_{options['verb']}")(options)
        if code:
            raise SystemExit(code)

    def _validate(self, options: dict[str, Any]) -> int:
        return run_validate(self, options)

    def _grades(self, options: dict[str, Any]) -> int:
        return run_grades(self, options)

    def _fail(self, message: str) -> int:
        self.stderr.write(message)
        return EXIT_BAD_INPUT

    def _instrument(self, options: dict[str, Any]) -> instruments.Instrument | None:
        try:
            return instruments.get(options["instrument"])
        except instruments.InstrumentError as error:
            self._fail(str(error))
            return None

    def _list(self, options: dict[str, Any]) -> int:
        rows = [
            {
                "id": i.id,
                "version": i.version,
                "title": i.title,
                "kind": i.kind,
                "ages": f"{i.population['min_age']}-{i.population['max_age']}",
                "items": len(i.items),
                "rule": i.rule,
                "grades": i.grades.status if i.grades else None,
            }
            for i in instruments.catalogue().values()
        ]
        if wants_json(options):
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
        else:
            for row in rows:
                unverified = " [UNVERIFIED STRENGTHS]" if row["grades"] == "unverified" else ""
                self.stdout.write(
                    f"{row['id']:<18} {row['version']:<10} ages {row['ages']:<7} "
                    f"{row['items']:>3} items  {row['title']}{unverified}"
                )
        return 0

    def _describe(self, options: dict[str, Any]) -> int:
        instrument = self._instrument(options)
        if instrument is None:
            return EXIT_BAD_INPUT
        data = describe(instrument)
        if wants_json(options):
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return 0
        self.stdout.write(f"{instrument.title} ({instrument.id} {instrument.version})")
        self.stdout.write(f"Rule: {data['scoring'].get('description', instrument.rule)}")
        if instrument.grades is not None:
            self.stdout.write(f"Strengths: {instrument.grades.status}: {instrument.grades.source}")
        for item in data["items"]:
            strength = f" [{item['strength']}]" if item.get("strength") else ""
            weight = f" [weight {item['weight']}]" if item.get("weight") else ""
            self.stdout.write(
                f"  {item['id']:<16} {item['dimension']:<12}{strength}{weight} {item['text']}"
            )
        self.stdout.write(f"Source: {instrument.citation}")
        return 0

    def _run(self, options: dict[str, Any]) -> int:
        instrument = self._instrument(options)
        if instrument is None:
            return EXIT_BAD_INPUT
        if options.get("grades"):
            try:
                table = grades.load_file(
                    options["grades"], instrument, source=options.get("grades_source", "")
                )
            except grades.GradeTableError as error:
                return self._fail(f"{options['grades']}: {error}")
            instrument = grades.apply(instrument, table)
        path: Path = options["answers"]
        try:
            text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
            document = json.loads(text)
        except (OSError, UnicodeDecodeError) as error:
            return self._fail(f"{path}: cannot read the file ({error})")
        except json.JSONDecodeError as error:
            return self._fail(
                f"{path}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            )
        many = isinstance(document, list)
        objects = document if many else [document]
        results = []
        for index, obj in enumerate(objects):
            try:
                results.append(run_one(instrument, obj, child_rule=deployment_child_rule()))
            except ScreeningInputError as error:
                where = f"object {index}" if many else "the object"
                return self._fail(f"{path}: {where}, field {error.field}: {error.reason}")
        payload = [r.to_dict() for r in results]
        if wants_json(options):
            self.stdout.write(json.dumps(payload if many else payload[0], ensure_ascii=False))
        else:
            with translation.override(options.get("language") or "en"):
                for result in results:
                    self._write_result(result)
        return 0

    def _write_result(self, result: Any) -> None:
        unverified = [w for w in result.warnings if w.code == UNVERIFIED_GRADES]
        if unverified and result.grades:
            # first, before the outcome, in the reader's language: the outcome rests on it
            self.stdout.write(f"! {unverified_grades_text()}")
            self.stdout.write(f"  ({result.grades['source']})")
        self.stdout.write(f"{result.outcome} (urgency {result.urgency}): {result.action}")
        for line in result.explanation:
            self.stdout.write(f"  {line}")
        for notice in (*result.warnings, *result.notices):
            if notice.code != UNVERIFIED_GRADES:
                self.stdout.write(f"  ! {notice.text}")
