"""Messages in: opened and verified (``envelope.open_message``), checked against what the
database knows (replays, the partner's purposes), stored, acknowledged, and applied when no
person needs to decide (acknowledgements, consent withdrawals, closure notices).

A refused message writes nothing, with one exception: a message that proved who sent it (a
registered partner's valid signature) and is refused for what it asks (a purpose the partner is
not registered for, a kind that does not go with its purpose, an unknown reference) leaves an
audit event with its hash, so the two sides' chains can be reconciled. A stranger's message
(undecryptable, unsigned, unknown key) and a replay leave only a log line: nobody can fill the
audit chain by sending noise or the same message again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import ApplicationError
from safepath.exchange.envelope import MessageRefusedError, Opened, open_message
from safepath.exchange.models import CaseLink, Message, Partner, Transfer
from safepath.exchange.services.keys import current_keys
from safepath.exchange.services.sending import message_audit, message_queue
from safepath.exchange.vocabulary import (
    KIND_PURPOSES,
    Direction,
    Kind,
    MessageStatus,
    TransferStatus,
)

logger = logging.getLogger(__name__)

# Kinds that need no answer of their own (an acknowledgement is never acknowledged).
NOT_ACKNOWLEDGED = frozenset({Kind.ACKNOWLEDGEMENT})


class ExchangeRefusedError(ApplicationError):
    """The message is refused; ``code`` is one of ``envelope.REFUSALS``."""

    http_status = 400

    def __init__(self, code: str, detail: str = ""):
        super().__init__(_("Message refused: %(code)s.") % {"code": code}, code=code)
        self.detail = detail
        if code == "replayed":
            self.http_status = 409
        elif code == "oversize":
            self.http_status = 413


@dataclass(frozen=True)
class Receipt:
    message: Message
    digest: str


def partner_jwks(instance: str) -> Mapping[str, Any] | None:
    partner = Partner.objects.active().filter(instance_id=instance).first()
    return partner.jwks() if partner else None


def message_receive(*, token: str, channel: str, via: str) -> Receipt:
    """Take one sealed message (pushed, pulled or read from a file) or refuse it."""
    try:
        opened = open_message(
            token.strip(),
            keys=current_keys(),
            partner_jwks=partner_jwks,
            now=timezone.now(),
            max_bytes=settings.EXCHANGE_MAX_MESSAGE_BYTES,
        )
    except MessageRefusedError as refusal:
        logger.warning("exchange: message refused (%s) via %s", refusal.code, via)
        raise ExchangeRefusedError(refusal.code, refusal.detail) from None
    partner = Partner.objects.get(instance_id=opened.claims.sender)
    try:
        return _store_and_apply(opened, partner=partner, channel=channel, via=via)
    except ExchangeRefusedError as refusal:
        logger.warning(
            "exchange: message %s from %s refused (%s)",
            opened.claims.id,
            partner.instance_id,
            refusal.code,
        )
        if refusal.code != "replayed":
            audit_record(
                actor=Actor.system(channel),
                action=Action.CREATE,
                object_type="exchange_message",
                object_id=opened.claims.id,
                details={
                    "event": "refused",
                    "code": refusal.code,
                    "direction": Direction.IN,
                    "kind": opened.claims.kind,
                    "purpose": opened.claims.purpose,
                    "partner": partner.instance_id,
                    "sequence": opened.claims.sequence,
                    "digest": opened.digest,
                },
            )
        raise


@transaction.atomic
def _store_and_apply(opened: Opened, *, partner: Partner, channel: str, via: str) -> Receipt:
    claims = opened.claims
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    seen = (
        Message.objects.filter(pk=claims.id).exists()
        or Message.objects.filter(
            partner=partner, direction=Direction.IN, sequence=claims.sequence
        ).exists()
    )
    if seen:
        raise ExchangeRefusedError("replayed")
    if not partner.allows(claims.purpose):
        raise ExchangeRefusedError("purpose_not_allowed")
    if claims.purpose not in KIND_PURPOSES.get(claims.kind, frozenset()):
        raise ExchangeRefusedError("kind_not_allowed")
    in_reply_to = _reference(claims.body.get("message"))
    message = Message.objects.create(
        id=uuid.UUID(claims.id),
        partner=partner,
        direction=Direction.IN,
        kind=claims.kind,
        purpose=claims.purpose,
        sequence=claims.sequence,
        digest=opened.digest,
        status=MessageStatus.RECEIVED,
        body=claims.body,
        size=0,
        in_reply_to=in_reply_to,
        agency=addressed_agency(claims.body) if claims.kind == Kind.CASE_TRANSFER else None,
        sent_at=claims.sent_at,
        expires_at=claims.expires_at,
        delivered_at=timezone.now(),
    )
    actor = Actor.system(channel)
    message_audit(message, actor, "received", via=via)
    applier = APPLY.get(claims.kind)
    if applier is not None:
        applier(message, actor)
    if claims.kind not in NOT_ACKNOWLEDGED:
        acknowledge(message, outcome="received", channel=channel)
    return Receipt(message=message, digest=opened.digest)


def addressed_agency(body: Mapping[str, Any]) -> Agency | None:
    """The agency here a transfer names as its recipient (by its short code)."""
    named = body.get("recipient_agency")
    code = str(named.get("code", "")) if isinstance(named, dict) else ""
    return Agency.objects.filter(code=code, is_active=True).first() if code else None


def _reference(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        raise ExchangeRefusedError("malformed", "message") from None


def acknowledge(
    message: Message, *, outcome: str, channel: str, extra: dict[str, Any] | None = None
) -> Message:
    """Tell the sender what became of ``message`` (received, accepted, declined, applied)."""
    return message_queue(
        partner=message.partner,
        kind=Kind.ACKNOWLEDGEMENT,
        purpose=message.purpose,
        body={"message": str(message.id), "digest": message.digest, "outcome": outcome}
        | (extra or {}),
        channel=channel,
        in_reply_to=message.id,
    )


def _applied(message: Message, actor: Actor, **extra: Any) -> None:
    message.status = MessageStatus.APPLIED
    message.applied_at = timezone.now()
    message.save(update_fields=["status", "applied_at"])
    message_audit(message, actor, "applied", **extra)


def _apply_acknowledgement(message: Message, actor: Actor) -> None:
    original = (
        Message.objects.filter(
            pk=message.in_reply_to, partner=message.partner, direction=Direction.OUT
        ).first()
        if message.in_reply_to is not None
        else None
    )
    if original is None:
        raise ExchangeRefusedError("unknown_reference")
    body = message.body or {}
    outcome = str(body.get("outcome", ""))
    if original.status in (MessageStatus.QUEUED, MessageStatus.SENT):
        original.status = MessageStatus.ACKNOWLEDGED
        original.delivered_at = original.delivered_at or timezone.now()
        original.save(update_fields=["status", "delivered_at"])
    transfer = Transfer.objects.filter(message=original).first()
    if transfer is not None and outcome in ("accepted", "declined"):
        _transfer_answered(transfer, message, outcome=outcome, body=body)
    _applied(message, actor, outcome=outcome, answers=str(original.id))


def _transfer_answered(
    transfer: Transfer, message: Message, *, outcome: str, body: Mapping[str, Any]
) -> None:
    if transfer.status != TransferStatus.APPROVED:
        return
    transfer.status = TransferStatus.ACCEPTED if outcome == "accepted" else TransferStatus.DECLINED
    transfer.remote_reference = str(body.get("reference", ""))[:32]
    transfer.answered_at = timezone.now()
    transfer.save(update_fields=["status", "remote_reference", "answered_at"])
    if outcome == "accepted":
        CaseLink.objects.create(
            case=transfer.case,
            partner=transfer.partner,
            direction=Direction.OUT,
            remote_case_id=str(body.get("case", ""))[:64],
            remote_reference=transfer.remote_reference,
            remote_consent_id=str(transfer.consent_id),
            categories=transfer.categories,
            message=message,
        )


def _apply_withdrawal(message: Message, actor: Actor) -> None:
    """The sender's consent was withdrawn: the receiver stops sharing what came under it, and
    records what it must now erase or keep by law. A transfer not yet accepted is declined and
    its package dropped at once."""
    body = message.body or {}
    consent = str(body.get("consent", ""))
    if not consent:
        raise ExchangeRefusedError("malformed", "consent")
    now = timezone.now()
    links = CaseLink.objects.filter(
        partner=message.partner,
        direction=Direction.IN,
        remote_consent_id=consent,
        consent_withdrawn_at__isnull=True,
    )
    cases = [str(case_id) for case_id in links.values_list("case_id", flat=True)]
    links.update(
        consent_withdrawn_at=now,
        withdrawal_note=_(
            "Consent withdrawn at the sending instance: share nothing further from this case; "
            "erase what the law does not require you to keep."
        ),
    )
    pending = Message.objects.filter(
        partner=message.partner,
        direction=Direction.IN,
        kind=Kind.CASE_TRANSFER,
        status=MessageStatus.RECEIVED,
    )
    dropped = [m for m in pending if (m.body or {}).get("consent") == consent]
    for pending_message in dropped:
        pending_message.status = MessageStatus.DECLINED
        pending_message.body = None
        pending_message.save(update_fields=["status", "body"])
        message_audit(pending_message, actor, "dropped", reason="consent_withdrawn")
    _applied(message, actor, cases=cases, dropped=[str(m.id) for m in dropped])


def _apply_closure(message: Message, actor: Actor) -> None:
    _applied(message, actor)


APPLY: dict[str, Callable[[Message, Actor], None]] = {
    Kind.ACKNOWLEDGEMENT: _apply_acknowledgement,
    Kind.CONSENT_WITHDRAWAL: _apply_withdrawal,
    Kind.CASE_CLOSURE: _apply_closure,
}
