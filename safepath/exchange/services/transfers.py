"""A case transfer from one country's instance to another's.

Sender: a caseworker prepares it; the gates (a consent in force for sharing with the receiving
agency, an approved best-interests determination that decided a solution across the border,
by the one rule in ``cases/lifecycle.py``, and a partner registered for case transfer) are
checked then and again at approval; the package holds only the categories both the consent
and the registration allow, and the supervisor approves exactly that package, which then
leaves. Receiver: a caseworker of the agency it is addressed to accepts it (a new case in that
agency, linked to the sender's reference) or declines it; the sender is told either way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.cases.lifecycle import Refusal, determination_refusals
from safepath.cases.models import BestInterestsDetermination, Case, Consent, consent_in_force
from safepath.cases.policies import CaseAction
from safepath.cases.services import case_facts, case_register, family_member_add, note_add
from safepath.cases.services.checks import require
from safepath.cases.vocabulary import NEEDS_DETERMINATION
from safepath.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from safepath.exchange import packages
from safepath.exchange.models import CaseLink, Message, Partner, Transfer
from safepath.exchange.policies import may_answer_transfer, may_approve_transfer
from safepath.exchange.services.receiving import acknowledge
from safepath.exchange.services.sending import message_audit, message_queue
from safepath.exchange.vocabulary import (
    CONSENT_FOR,
    Direction,
    Kind,
    MessageStatus,
    Purpose,
    TransferStatus,
)

logger = logging.getLogger(__name__)


class TransferRefusedError(ApplicationError):
    """A gate is closed; ``reasons`` names every one, with a code and words."""

    code = "transfer_refused"

    def __init__(self, refusals: list[Refusal]):
        super().__init__(
            " ".join(str(r) for r in refusals),
            extra={"reasons": [{"code": r.code, "message": str(r)} for r in refusals]},
        )
        self.refusals = refusals


@dataclass
class Gates:
    consent: Consent | None = None
    determination: BestInterestsDetermination | None = None
    categories: list[str] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)


def transfer_gates(*, case: Case, partner: Partner, recipient_agency: Agency) -> Gates:
    """Every gate in front of sending ``case`` to ``recipient_agency`` at ``partner``."""
    gates = Gates()
    if not partner.allows(Purpose.CASE_TRANSFER):
        gates.refusals.append(
            Refusal(
                "partner_not_registered", _("This partner is not registered for case transfer.")
            )
        )
    if not partner.agencies.filter(pk=recipient_agency.pk).exists():
        gates.refusals.append(
            Refusal("agency_not_of_partner", _("The partner does not speak for this agency."))
        )
    gates.consent = (
        Consent.objects.filter(
            consent_in_force(),
            case=case,
            purpose=CONSENT_FOR[Purpose.CASE_TRANSFER],
            recipient_agency=recipient_agency,
        )
        .order_by("-recorded_at")
        .first()
    )
    if gates.consent is None:
        gates.refusals.append(
            Refusal(
                "consent_missing",
                _("No consent in force covers sharing this case with the receiving agency."),
            )
        )
    facts = case_facts(case=case)
    for determination in case.determinations.filter(
        approved_at__isnull=False, decision__in=NEEDS_DETERMINATION
    ).order_by("-decided_on", "-recorded_at"):
        if not determination_refusals(facts, determination.decision):
            gates.determination = determination
            break
    if gates.determination is None:
        solution = case.durable_solution if case.durable_solution in NEEDS_DETERMINATION else ""
        gates.refusals += determination_refusals(facts, solution) or [
            Refusal(
                "determination_missing",
                _(
                    "A transfer needs an approved best-interests determination that decided a "
                    "return, a transfer or a reunification across the border."
                ),
            )
        ]
    if gates.consent is not None:
        gates.categories = packages.package_categories(
            gates.consent.data_categories, partner.data_categories
        )
        if not gates.categories:
            gates.refusals.append(
                Refusal(
                    "no_category",
                    _("The consent and the partner's registration share no data category."),
                )
            )
    return gates


@transaction.atomic
def transfer_prepare(
    *, user: User, case: Case, partner: Partner, recipient_agency: Agency, channel: str
) -> Transfer:
    """Check the gates and build the package a supervisor will see and approve."""
    require(user, CaseAction.SHARE, case, _("You may not share this case."))
    gates = transfer_gates(case=case, partner=partner, recipient_agency=recipient_agency)
    if gates.refusals:
        raise TransferRefusedError(gates.refusals)
    if Transfer.objects.filter(case=case, partner=partner, status=TransferStatus.PREPARED).exists():
        raise ApplicationError(_("A transfer of this case to this partner waits for approval."))
    assert gates.consent is not None  # noqa: S101 - no refusal means both were found
    assert gates.determination is not None  # noqa: S101
    package = packages.case_package(case, gates.categories)
    transfer = Transfer.objects.create(
        case=case,
        partner=partner,
        recipient_agency=recipient_agency,
        consent=gates.consent,
        determination=gates.determination,
        categories=gates.categories,
        package=package,
        package_digest=packages.package_digest(package),
        prepared_by=user,
    )
    _audit(transfer, user, channel, "prepared")
    return transfer


def _audit(transfer: Transfer, user: User, channel: str, event: str) -> None:
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.SHARE,
        object_type="exchange_transfer",
        object_id=transfer.id,
        details={
            "event": event,
            "case": str(transfer.case_id),
            "partner": transfer.partner.instance_id,
            "categories": transfer.categories,
            "package_digest": transfer.package_digest,
        },
    )


@transaction.atomic
def transfer_approve(*, user: User, transfer: Transfer, channel: str) -> Transfer:
    """The supervisor approves the package they saw; the gates are checked again, and if the
    case or its consent changed since, the package would differ, so it must be prepared again."""
    transfer = (
        Transfer.objects.select_for_update().select_related("case", "partner").get(pk=transfer.pk)
    )
    require(user, CaseAction.APPROVE, transfer.case, _("Only a supervisor approves a transfer."))
    if not may_approve_transfer(
        user, owner_agency_id=transfer.case.owner_agency_id, prepared_by_id=transfer.prepared_by_id
    ):
        raise PermissionDeniedError(
            _("A supervisor other than the person who prepared it approves the transfer.")
        )
    if transfer.status != TransferStatus.PREPARED:
        raise ApplicationError(_("This transfer is not waiting for approval."))
    gates = transfer_gates(
        case=transfer.case, partner=transfer.partner, recipient_agency=transfer.recipient_agency
    )
    if gates.refusals:
        raise TransferRefusedError(gates.refusals)
    current = packages.case_package(transfer.case, gates.categories)
    if packages.package_digest(current) != transfer.package_digest:
        raise TransferRefusedError(
            [
                Refusal(
                    "package_changed",
                    _(
                        "The case or its consent changed since the package was prepared: "
                        "prepare it again and review what will be sent."
                    ),
                )
            ]
        )
    message = message_queue(
        partner=transfer.partner,
        kind=Kind.CASE_TRANSFER,
        purpose=Purpose.CASE_TRANSFER,
        body={
            "format": packages.FORMAT,
            "package": transfer.package,
            "categories": transfer.categories,
            "consent": str(transfer.consent_id),
            "recipient_agency": {
                "code": transfer.recipient_agency.code,
                "name": transfer.recipient_agency.name,
            },
            "determination": {
                "decision": transfer.determination.decision,
                "decided_on": transfer.determination.decided_on.isoformat(),
            },
        },
        channel=channel,
        user=user,
        case=transfer.case,
    )
    transfer.status = TransferStatus.APPROVED
    transfer.approved_by = user
    transfer.approved_at = timezone.now()
    transfer.message = message
    transfer.save(update_fields=["status", "approved_by", "approved_at", "message"])
    _audit(transfer, user, channel, "approved")
    return transfer


def _incoming(user: User, message: Message) -> Message:
    fresh = Message.objects.select_for_update().select_related("partner").get(pk=message.pk)
    if (
        fresh.direction != Direction.IN
        or fresh.kind != Kind.CASE_TRANSFER
        or fresh.agency_id is None
        or not may_answer_transfer(user, agency_id=fresh.agency_id)
    ):
        raise NotFoundError(_("No such transfer for your agency."))
    if fresh.status != MessageStatus.RECEIVED:
        raise ApplicationError(_("This transfer was answered already."))
    return fresh


@transaction.atomic
def transfer_accept(*, user: User, message: Message, channel: str) -> Case:
    """Import the package as a new case in the caseworker's agency, linked to the sender's."""
    message = _incoming(user, message)
    body: dict[str, Any] = message.body or {}
    package = body.get("package") or {}
    child, case_input = packages.import_inputs(package)
    case = case_register(user=user, child=child, case=case_input, channel=channel)
    for member in package.get("family", []):
        family_member_add(
            user=user,
            case=case,
            relation=str(member.get("relation", "")) or "-",
            name=str(member.get("name", "")) or "-",
            contact=str(member.get("contact", "")),
            is_caregiver=bool(member.get("is_caregiver")),
            whereabouts_known=bool(member.get("whereabouts_known")),
            tracing_requested=bool(member.get("tracing_requested")),
            channel=channel,
        )
    for note in package.get("notes", []):
        if str(note.get("body", "")).strip():
            note_add(user=user, case=case, body=str(note["body"]), channel=channel)
    CaseLink.objects.create(
        case=case,
        partner=message.partner,
        direction=Direction.IN,
        remote_case_id=str(package.get("id", ""))[:64],
        remote_reference=str(package.get("reference", ""))[:32],
        remote_consent_id=str(body.get("consent", ""))[:64],
        categories=list(body.get("categories", [])),
        message=message,
    )
    message.status = MessageStatus.APPLIED
    message.applied_at = timezone.now()
    message.case = case
    message.save(update_fields=["status", "applied_at", "case"])
    message_audit(message, Actor.of(user, channel), "applied", case=str(case.id))
    acknowledge(
        message,
        outcome="accepted",
        channel=channel,
        extra={"reference": case.reference, "case": str(case.id)},
    )
    return case


@transaction.atomic
def transfer_decline(*, user: User, message: Message, channel: str) -> Message:
    """Decline: the package is dropped here and the sender told."""
    message = _incoming(user, message)
    message.status = MessageStatus.DECLINED
    message.body = None
    message.save(update_fields=["status", "body"])
    message_audit(message, Actor.of(user, channel), "declined")
    acknowledge(message, outcome="declined", channel=channel)
    return message


def withdrawals_send_due(*, channel: str) -> list[Message]:
    """For every transfer sent under a consent withdrawn since, tell its partner (once)."""
    sent = []
    transfers = Transfer.objects.filter(
        status__in=[TransferStatus.APPROVED, TransferStatus.ACCEPTED],
        consent__withdrawn_at__isnull=False,
        message__isnull=False,
    ).select_related("partner", "case")
    for transfer in transfers:
        with transaction.atomic():
            told = Message.objects.filter(
                direction=Direction.OUT,
                kind=Kind.CONSENT_WITHDRAWAL,
                partner=transfer.partner,
                in_reply_to=transfer.message_id,
            ).exists()
            if told or not transfer.partner.allows(Purpose.CASE_TRANSFER):
                # a partner no longer registered for it is told nothing more (log: ids only)
                if not told:
                    logger.warning(
                        "exchange: withdrawal for transfer %s not sent: partner %s is not "
                        "registered for case transfer",
                        transfer.id,
                        transfer.partner.instance_id,
                    )
                continue
            sent.append(
                message_queue(
                    partner=transfer.partner,
                    kind=Kind.CONSENT_WITHDRAWAL,
                    purpose=Purpose.CASE_TRANSFER,
                    body={
                        "consent": str(transfer.consent_id),
                        "case": str(transfer.case_id),
                        "reference": transfer.case.reference,
                    },
                    channel=channel,
                    case=transfer.case,
                    in_reply_to=transfer.message_id,
                )
            )
    return sent
