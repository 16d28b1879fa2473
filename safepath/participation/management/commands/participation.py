"""``safepath participation validate | files | results | escalate | safeguarding-lead``.

``validate`` and ``files`` read only files: no database, no secret, no configuration beyond the
settings module. Bad input exits with code 2 and a message naming the file, question and field.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.core.cli import add_format_argument, emit, field_errors
from safepath.core.exceptions import FieldValidationError, NotFoundError
from safepath.participation import consultations, information, results, rules

EXIT_BAD_INPUT = 2


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_BAD_INPUT)


class Command(BaseCommand):
    help = "Children's participation: check consultation files, results, escalation, leads."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        validate = sub.add_parser(
            "validate",
            help="check consultation files (the shipped ones, or the files given), the "
            "information for children and the rules files",
        )
        validate.add_argument("paths", nargs="*", type=Path, help="consultation files to check")
        add_format_argument(validate)
        files = sub.add_parser("files", help="list the shipped consultation files")
        add_format_argument(files)
        found = sub.add_parser("results", help="one consultation's protected results")
        found.add_argument("consultation", help="the consultation's id")
        found.add_argument("--k", type=int, default=results.DEFAULT_K)
        add_format_argument(found)
        escalate = sub.add_parser(
            "escalate", help="escalate late feedback once (as the worker does)"
        )
        add_format_argument(escalate)
        lead = sub.add_parser("safeguarding-lead", help="name an agency's safeguarding lead")
        lead.add_argument("--agency", required=True, help="the agency's short code")
        lead.add_argument("--lead", required=True, help="username")
        lead.add_argument("--deputy", help="username")
        add_format_argument(lead)

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        getattr(self, "_" + verb.replace("-", "_"))(options)

    def _validate(self, options: dict[str, Any]) -> None:
        try:
            if options["paths"]:
                checked = [consultations.load_file(path).key for path in options["paths"]]
            else:
                checked = list(consultations.catalogue())
            topics = list(information.catalogue())
            rules.load_consent_rules()
            rules.load_deadlines()
        except (
            consultations.ConsultationError,
            information.InformationError,
            rules.RulesError,
        ) as error:
            raise _bad(f"bad input: {error}") from None
        except OSError as error:
            raise _bad(f"bad input: {error}") from None
        emit(
            self,
            options,
            {"consultations": checked, "information": topics, "rules": ["consent", "deadlines"]},
            f"OK: {len(checked)} consultation file(s), {len(topics)} information topic(s) and "
            "the consent and deadline rules are valid.",
        )

    def _files(self, options: dict[str, Any]) -> None:
        rows = [
            {
                "id": found.id,
                "version": found.version,
                "title": found.title.get("en"),
                "ages": [found.min_age, found.max_age],
                "questions": len(found.questions),
            }
            for found in consultations.latest().values()
        ]
        emit(
            self,
            options,
            rows,
            "\n".join(
                f"{r['id']} {r['version']}: {r['title']} ({r['questions']} questions)" for r in rows
            ),
        )

    def _results(self, options: dict[str, Any]) -> None:
        from safepath.participation.selectors import consultation_results

        if options["k"] < 2:
            raise _bad("bad input: --k must be at least 2")
        try:
            found = consultation_results(
                user=None, consultation_id=options["consultation"], k=options["k"], channel="cli"
            )
        except (NotFoundError, ValueError):
            raise _bad(f"bad input: no consultation {options['consultation']}") from None
        data = {
            "consultation": str(found.consultation.id),
            "k": found.results.k,
            "taking_part": _table(found.results.taking_part),
            "withdrawn": found.withdrawn.count,
            "questions": {q.question.id: _table(q.table) for q in found.results.questions},
        }
        emit(self, options, data, json.dumps(data, indent=1))

    def _escalate(self, options: dict[str, Any]) -> None:
        from safepath.participation.services.feedback import feedback_escalate_overdue
        from safepath.participation.services.participants import participants_purge_abandoned

        run = feedback_escalate_overdue()
        purged = participants_purge_abandoned()
        emit(
            self,
            options,
            {**run.as_dict(), "abandoned_erased": purged},
            f"{len(run.escalated)} escalated ({run.to_people} people told), "
            f"{run.to_coordination} counted for the coordination; "
            f"{purged} unfinished answer sets erased.",
        )

    def _safeguarding_lead(self, options: dict[str, Any]) -> None:
        from safepath.accounts.models import Agency, User
        from safepath.participation.services.safeguarding import safeguarding_lead_set

        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise _bad(f"bad input: no agency with the code {options['agency']!r}")
        people = {
            u.username: u
            for u in User.objects.filter(username__in=[options["lead"], options["deputy"]])
        }
        for name in ("lead", "deputy"):
            if options[name] and options[name] not in people:
                raise _bad(f"bad input: --{name}: no user {options[name]!r}")
        try:
            record = safeguarding_lead_set(
                actor=None,
                agency_id=agency.id,
                lead_id=people[options["lead"]].id,
                deputy_id=people[options["deputy"]].id if options["deputy"] else None,
                channel="cli",
            )
        except FieldValidationError as error:
            error_line = field_errors(error)
            raise _bad(f"bad input: {error_line}") from None
        emit(
            self,
            options,
            {
                "agency": str(record.agency_id),
                "lead": str(record.lead_id),
                "deputy": str(record.deputy_id) if record.deputy_id else None,
            },
            f"{agency.code}: safeguarding lead {options['lead']}"
            + (f", deputy {options['deputy']}" if options["deputy"] else ""),
        )


def _table(table: results.Table) -> dict[str, Any]:
    return {
        f"{row}|{column}": table.cell(row, column).count
        for row in table.rows
        for column in table.columns
    }
