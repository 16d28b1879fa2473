"""``safepath demo``: demo agencies, users and synthetic cases, idempotently; prints logins."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.cases.services import case_share, consent_record
from safepath.cases.vocabulary import ConsentGiver, ConsentPurpose
from safepath.core.cli import add_format_argument, emit
from safepath.demo.accounts import USERS, demo_password, ensure_demo_accounts
from safepath.demo.app_demos import load_app_demos
from safepath.demo.loader import load_cases
from safepath.demo.mode import refuse_in_production
from safepath.demo.synthetic import generate
from safepath.demo.workflow import advance_demo_cases

# (username, how many cases assigned to them)
CASELOAD = (("caseworker.a", 24), ("supervisor.a", 8), ("caseworker.b", 16), ("police.a", 6))
SHARED_FROM_A_TO_B = 3


class Command(BaseCommand):
    help = "Load the demo agencies, users and synthetic cases (safe to run again)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-cases", action="store_true", help="accounts only")
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_in_production("demo")
        users = ensure_demo_accounts()
        demo_agencies = {user.agency_id for user in users.values() if user.agency_id}
        if (
            not options["no_cases"]
            and not Case.objects.filter(owner_agency__in=demo_agencies).exists()
        ):
            self._load_cases(users)
        if not options["no_cases"]:
            load_app_demos()
        logins = [
            {"username": spec.username, "role": spec.role, "password": demo_password()}
            for spec in USERS
        ]
        lines = [
            f"  {row['username']:<14} {row['role']:<16} password: {row['password']}"
            for row in logins
        ]
        emit(
            self,
            options,
            {"users": logins},
            "\n".join([self.style.SUCCESS("SafePath demo is ready. Sign in as:"), *lines]),
        )

    @transaction.atomic
    def _load_cases(self, users: dict[str, Any]) -> None:
        seed = 7
        for username, count in CASELOAD:
            load_cases(generate(count, seed=seed), assignees=[users[username]])
            seed += 1
        supervisor = users["supervisor.a"]
        agency_b = users["caseworker.b"].agency
        for case in Case.objects.filter(owner_agency=supervisor.agency_id)[:SHARED_FROM_A_TO_B]:
            consent = consent_record(
                user=supervisor,
                case=case,
                given_by=ConsentGiver.CHILD,
                purpose=ConsentPurpose.REFERRAL,
                data_scope="case record for psychosocial support",
                recipient_agency=agency_b,
                given_on=timezone.localdate(),
                expires_on=None,
                channel=Channel.CLI,
            )
            case_share(
                user=supervisor, case=case, agency=agency_b, consent=consent, channel=Channel.CLI
            )
        advance_demo_cases(worker=users["caseworker.a"], supervisor=supervisor)
