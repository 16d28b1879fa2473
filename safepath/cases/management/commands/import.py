"""`safepath import cases FILE.xlsx|csv --mapping MAP.yaml --agency CODE --user NAME [--dry-run]`"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand
from tqdm import tqdm

from safepath.accounts.models import User
from safepath.cases.importing import ImportFileError, Mapping, cases_import
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.cli import ProgressStream, add_format_argument, emit

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Import cases from a spreadsheet through a column mapping. Every row is checked first; "
        "if any row has a problem, nothing is stored and each problem is named by row and field."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("what", choices=["cases"], help="what to import")
        parser.add_argument("file", type=Path, help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--mapping", type=Path, required=True, help="the column mapping (YAML)")
        parser.add_argument(
            "--user", required=True, help="the caseworker or supervisor registering the cases"
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, store nothing")
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None or not case_policy.user_has_permission(user, CaseAction.CREATE):
            self._fail(f"--user {options['user']}: no active user who registers cases")
        # On stderr, and only on a terminal (disable=None): stdout stays JSON with --format json.
        bar = tqdm(
            desc="prepared", unit="case", file=ProgressStream(self), disable=None, leave=False
        )

        def prepared(count: int) -> None:
            bar.update(count - bar.n)

        try:
            mapping = Mapping.load(options["mapping"])
            report = cases_import(
                path=options["file"],
                mapping=mapping,
                user=user,
                dry_run=options["dry_run"],
                progress=prepared,
            )
        except ImportFileError as error:
            self._fail(str(error))
        finally:
            bar.close()
        if report.problems:
            if options["format"] == "json":
                emit(self, options, report.as_dict(), "")
            for problem in report.problems:
                self.stderr.write(f"{options['file']}: {problem}")
            self._fail(
                f"{len(report.problems)} problem(s) in {report.rows} row(s); nothing was imported."
            )
        done = "would be imported (dry run)" if report.dry_run else "imported"
        emit(self, options, report.as_dict(), f"{report.rows} case(s) {done}.")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(EXIT_BAD_INPUT)
