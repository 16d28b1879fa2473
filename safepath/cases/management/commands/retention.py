"""``safepath retention run [--dry-run]``: erase what the retention periods say is due (the
worker does it daily). ``safepath retention hold REFERENCE --user NAME --reason TEXT`` and
``safepath retention release HOLD_ID --user NAME``: legal holds, placed and released by a
supervisor of the owning agency."""

from __future__ import annotations

import uuid
from argparse import ArgumentParser
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.models import Case, LegalHold
from safepath.cases.retention import RetentionSettingError
from safepath.cases.services.erasure import legal_hold_place, legal_hold_release, retention_run
from safepath.core.cli import add_format_argument, emit, field_errors
from safepath.core.exceptions import ApplicationError, FieldValidationError

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Retention: erase what is due on closed cases (run), or place and release legal holds "
        "that stop it (hold, release)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        run = verbs.add_parser("run", help="erase what is due now")
        run.add_argument("--dry-run", action="store_true", help="say what is due, erase nothing")
        add_format_argument(run)
        hold = verbs.add_parser("hold", help="keep a case from erasure")
        hold.add_argument("reference", help="the case number, SP-XXXX-XXXX")
        hold.add_argument("--user", required=True, help="a supervisor of the owning agency")
        hold.add_argument("--reason", required=True, help="why the record must be kept")
        add_format_argument(hold)
        release = verbs.add_parser("release", help="release a legal hold")
        release.add_argument("hold", help="the hold's id")
        release.add_argument("--user", required=True, help="a supervisor of the owning agency")
        add_format_argument(release)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['verb']}")(options)
        except RetentionSettingError as error:
            self._fail(str(error))
        except FieldValidationError as error:
            self._fail(str(field_errors(error)))
        except ApplicationError as error:
            self._fail(error.message)

    def _run(self, options: dict[str, Any]) -> None:
        report = retention_run(dry_run=options["dry_run"], channel=Channel.CLI)
        if not report.periods:
            text = "No retention period is set (SAFEPATH_RETENTION_DAYS): nothing is erased."
        else:
            verb = "would be erased" if report.dry_run else "erased"
            text = (
                f"{len(report.erased)} case(s) {verb}; {report.held} held by a legal hold; "
                f"{report.waiting} child categor(ies) waiting for another case of the child."
            )
            for row in report.erased:
                text += f"\n  {row['reference']}: {', '.join(row['categories'])}"
        emit(self, options, report.as_dict(), text)

    def _hold(self, options: dict[str, Any]) -> None:
        user = self._user(options["user"])
        case = Case.objects.filter(reference=options["reference"].strip().upper()).first()
        if case is None:
            self._fail(f"{options['reference']}: no such case")
        hold = legal_hold_place(user=user, case=case, reason=options["reason"], channel=Channel.CLI)
        emit(
            self,
            options,
            {"hold": str(hold.id), "case": case.reference},
            f"Case {case.reference} is held (hold {hold.id}): nothing of it will be erased.",
        )

    def _release(self, options: dict[str, Any]) -> None:
        user = self._user(options["user"])
        try:
            hold_id = uuid.UUID(options["hold"])
        except ValueError:
            self._fail(f"{options['hold']}: not a hold id")
        hold = LegalHold.objects.select_related("case").filter(pk=hold_id).first()
        if hold is None:
            self._fail(f"{options['hold']}: no such hold")
        legal_hold_release(user=user, hold=hold, channel=Channel.CLI)
        emit(
            self,
            options,
            {"hold": str(hold.id), "released": True},
            f"Hold {hold.id} on case {hold.case.reference} is released.",
        )

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            self._fail(f"--user {username}: no active user of that name")
        return user

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(EXIT_BAD_INPUT)
