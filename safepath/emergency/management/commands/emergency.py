"""``safepath emergency xlsform | import-submissions | risk-import | deadlines``.

``xlsform`` and ``deadlines`` read only the app's data files (no database); the imports store,
all or nothing, and name every problem by file, row and field (exit code 2 on bad input).
"""

from __future__ import annotations

import os
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from safepath.core.cli import add_format_argument, emit

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Emergencies and field registration: export the rapid-registration XLSForm, import "
        "ODK/KoboToolbox submissions, import INFORM Risk, show the deadlines."
    )
    engine_verbs = ("xlsform", "deadlines")  # read the form and rules files only

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        form = sub.add_parser("xlsform", help="write the rapid-registration form as an XLSForm")
        form.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
        add_format_argument(form)
        submissions = sub.add_parser(
            "import-submissions",
            help="import ODK Collect / KoboToolbox submissions (CSV or JSON) into cases",
        )
        submissions.add_argument("file", type=Path)
        submissions.add_argument("--user", required=True, help="who registers the cases")
        submissions.add_argument("--dry-run", action="store_true", help="check, store nothing")
        add_format_argument(submissions)
        risk = sub.add_parser("risk-import", help="import (or update) INFORM Risk")
        risk.add_argument("file", type=Path, help="the INFORM workbook (.xlsx) or a CSV")
        risk.add_argument("--year", type=int, help="the edition's year, for a CSV without it")
        add_format_argument(risk)
        rules = sub.add_parser("deadlines", help="show the deadlines (normal and emergency)")
        add_format_argument(rules)

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "xlsform":
            self._xlsform(options)
        elif verb == "import-submissions":
            self._submissions(options)
        elif verb == "risk-import":
            self._risk(options)
        else:
            self._deadlines(options)

    def _fail(self, lines: list[str]) -> NoReturn:
        for line in lines[:200]:
            self.stderr.write(line)
        raise SystemExit(EXIT_BAD_INPUT)

    def _xlsform(self, options: dict[str, Any]) -> None:
        from safepath.emergency import fieldform, xlsform

        out: Path = options["out"]
        if out.suffix.lower() != ".xlsx":
            self._fail([f"--out {out}: give a .xlsx file name"])
        form = fieldform.definition()
        data = xlsform.to_bytes(form)
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(out)
        emit(
            self,
            options,
            {"file": str(out), "form_id": form.form_id, "version": form.version},
            f"{out}: XLSForm {form.form_id} version {form.version}.",
        )

    def _submissions(self, options: dict[str, Any]) -> None:
        from safepath.accounts.models import User
        from safepath.cases.importing import ImportFileError
        from safepath.emergency.policies import EmergencyAction, emergency_policy
        from safepath.emergency.services.submissions import submissions_import

        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None or not emergency_policy.user_has_permission(user, EmergencyAction.IMPORT):
            self._fail([f"--user {options['user']}: no active user who imports registrations"])
        try:
            report = submissions_import(path=options["file"], user=user, dry_run=options["dry_run"])
        except ImportFileError as error:
            self._fail([str(error)])
        if report.problems:
            if options["format"] == "json":
                emit(self, options, report.as_dict(), "")
            self._fail(
                [
                    *(f"{options['file']}: {problem}" for problem in report.problems),
                    f"{len(report.problems)} problem(s) in {report.rows} row(s); "
                    "nothing was imported.",
                ]
            )
        done = "would be imported (dry run)" if report.dry_run else "imported"
        emit(
            self,
            options,
            report.as_dict(),
            f"{len(report.created) if not report.dry_run else report.rows - report.skipped} "
            f"submission(s) {done}; {report.skipped} already imported.",
        )

    def _risk(self, options: dict[str, Any]) -> None:
        from safepath.emergency.inform import InformFileError
        from safepath.emergency.services.risk import risk_import

        try:
            done = risk_import(path=options["file"], year=options["year"])
        except InformFileError as error:
            self._fail([*error.problems, "Nothing was imported."])
        emit(
            self,
            options,
            [{"edition": d.label, "countries": d.countries, "created": d.created} for d in done],
            "\n".join(
                f"{d.label}: {d.countries} countries ({'new' if d.created else 'updated'})"
                for d in done
            ),
        )

    def _deadlines(self, options: dict[str, Any]) -> None:
        from safepath.emergency.deadlines import PROFILES, RISKS, STEPS, deadlines

        rules = deadlines()
        data = {
            "version": rules.version,
            "source": rules.source,
            "hours": {
                profile: {
                    step: {risk: rules.hours[(profile, step, risk)] for risk in RISKS}
                    for step in STEPS
                }
                for profile in PROFILES
            },
        }
        lines = [f"deadlines {rules.version} (hours: high / medium / low)"]
        for profile in PROFILES:
            for step in STEPS:
                hours = " / ".join(str(rules.hours[(profile, step, r)]) for r in RISKS)
                lines.append(f"  {profile:9} {step:12} {hours}")
        emit(self, options, data, "\n".join(lines))
