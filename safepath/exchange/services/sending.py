"""Messages out: sealed and queued in one step (with the sequence number taken under a lock on
the partner), then delivered by push (the worker, with retries and backoff), by pull (the
partner asks) or in a file (air-gapped exchange). Delivery is at least once; the receiver
applies a message once however often it arrives."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import Case
from safepath.core.exceptions import ApplicationError, PermissionDeniedError
from safepath.exchange.envelope import Claims, digest, seal
from safepath.exchange.models import Message, Partner
from safepath.exchange.policies import may_manage_partners
from safepath.exchange.services.keys import current_keys
from safepath.exchange.vocabulary import KIND_PURPOSES, Direction, MessageStatus

logger = logging.getLogger(__name__)

INBOX_PATH = "/api/v1/exchange/inbox/"
CONTENT_TYPE = "application/jose"
# Seconds to wait after the 1st, 2nd, ... failed push; after the last (or once the message has
# expired) it fails and waits for a person (`safepath exchange status` lists it).
BACKOFF = (30, 120, 600, 1800, 3600, 4 * 3600, 12 * 3600)
# A push in progress holds its message this long, so two workers never push it at once.
LEASE = datetime.timedelta(minutes=5)
TIMEOUT_SECONDS = 30


class NotRegisteredForPurposeError(ApplicationError):
    code = "purpose_not_allowed"


class MessageTooLargeError(ApplicationError):
    code = "oversize"


def _actor(user: User | None, channel: str) -> Actor:
    return Actor.of(user, channel) if user is not None else Actor.system(channel)


@transaction.atomic
def message_queue(
    *,
    partner: Partner,
    kind: str,
    purpose: str,
    body: dict[str, Any],
    channel: str,
    user: User | None = None,
    case: Case | None = None,
    in_reply_to: uuid.UUID | None = None,
) -> Message:
    """Seal ``body`` for ``partner`` and queue it; refused if the partner is not registered for
    the purpose (nothing is sealed, nothing is written)."""
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    if not locked.allows(purpose) or purpose not in KIND_PURPOSES[kind]:
        raise NotRegisteredForPurposeError(
            _("%(partner)s is not registered for this purpose.") % {"partner": locked.name}
        )
    keys = current_keys()
    sequence = locked.next_sequence
    Partner.objects.filter(pk=locked.pk).update(next_sequence=sequence + 1)
    now = timezone.now()
    claims = Claims(
        id=str(uuid.uuid4()),
        kind=kind,
        purpose=purpose,
        sender=keys.instance,
        recipient=locked.instance_id,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=settings.EXCHANGE_MESSAGE_DAYS),
        sequence=sequence,
        body=body,
    )
    token = seal(claims, keys=keys, recipient_jwks=locked.public_keys)
    if len(token) > settings.EXCHANGE_MAX_MESSAGE_BYTES:
        raise MessageTooLargeError(
            _("The message would be %(size)s bytes; the limit is %(limit)s.")
            % {"size": len(token), "limit": settings.EXCHANGE_MAX_MESSAGE_BYTES}
        )
    message = Message.objects.create(
        id=uuid.UUID(claims.id),
        partner=locked,
        direction=Direction.OUT,
        kind=kind,
        purpose=purpose,
        sequence=sequence,
        digest=digest(token),
        status=MessageStatus.QUEUED,
        token=token,
        size=len(token),
        in_reply_to=in_reply_to,
        case=case,
        sent_at=now,
        expires_at=claims.expires_at,
        next_attempt_at=now if locked.url else None,
        created_by=user,
    )
    message_audit(message, _actor(user, channel), "queued")
    return message


def message_audit(message: Message, actor: Actor, event: str, **extra: Any) -> None:
    """The one shape of a message's audit event on either side: ids, kind and the hash."""
    audit_record(
        actor=actor,
        action=Action.SHARE if message.direction == Direction.OUT else Action.CREATE,
        object_type="exchange_message",
        object_id=message.id,
        details={
            "event": event,
            "direction": message.direction,
            "kind": message.kind,
            "purpose": message.purpose,
            "partner": message.partner.instance_id,
            "sequence": message.sequence,
            "digest": message.digest,
            **({"case": str(message.case_id)} if message.case_id else {}),
            **extra,
        },
    )


@dataclass
class DeliveryRun:
    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"sent": len(self.sent), "retrying": len(self.retrying), "failed": len(self.failed)}


Post = Callable[[str, str], tuple[int, dict[str, Any]]]


def http_post(url: str, token: str) -> tuple[int, dict[str, Any]]:
    response = requests.post(
        url,
        data=token.encode("ascii"),
        headers={"Content-Type": CONTENT_TYPE},
        timeout=TIMEOUT_SECONDS,
    )
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    return response.status_code, answer if isinstance(answer, dict) else {}


def _claim(message_id: uuid.UUID, now: datetime.datetime) -> Message | None:
    """Take one due message for this push (None if another worker has it or it is done)."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .select_related("partner")
            .filter(pk=message_id, status=MessageStatus.QUEUED, next_attempt_at__lte=now)
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        message.next_attempt_at = now + LEASE
        message.save(update_fields=["attempts", "next_attempt_at"])
        return message


def messages_deliver_due(
    *, now: datetime.datetime | None = None, post: Post = http_post, partner: Partner | None = None
) -> DeliveryRun:
    """Push every queued message whose time has come to its partner's inbox."""
    now = now or timezone.now()
    due = Message.objects.filter(
        direction=Direction.OUT,
        status=MessageStatus.QUEUED,
        next_attempt_at__lte=now,
        partner__is_active=True,
    ).exclude(partner__url="")
    if partner is not None:
        due = due.filter(partner=partner)
    run = DeliveryRun()
    for message_id in due.order_by("sequence").values_list("id", flat=True)[:500]:
        message = _claim(message_id, now)
        if message is not None:
            _push(message, now=now, post=post, run=run)
    return run


def _push(message: Message, *, now: datetime.datetime, post: Post, run: DeliveryRun) -> None:
    try:
        status, answer = post(message.partner.url + INBOX_PATH, message.token)
    except requests.RequestException as error:
        status, answer = 0, {"code": type(error).__name__}
    code = str(answer.get("code", ""))[:60]
    # 409 "replayed": the partner has this very message already (an earlier push got through
    # and its answer was lost): delivered.
    if status in (200, 202) or (status == 409 and code == "replayed"):
        message_delivered(message, via="push")
        run.sent.append(str(message.id))
        return
    permanent = 400 <= status < 500 and status not in (408, 429)
    attempt = message.attempts
    give_up = permanent or attempt > len(BACKOFF) or message.expires_at <= now
    with transaction.atomic():
        message.last_error = f"{status or 'no answer'} {code}".strip()
        if give_up:
            message.status = MessageStatus.FAILED
            message.next_attempt_at = None
        else:
            message.next_attempt_at = now + datetime.timedelta(seconds=BACKOFF[attempt - 1])
        message.save(update_fields=["last_error", "status", "next_attempt_at"])
        if give_up:
            message_audit(message, Actor.system(Channel.SYSTEM), "failed", error=message.last_error)
    (run.failed if give_up else run.retrying).append(str(message.id))
    logger.warning(
        "exchange: message %s to %s not delivered (%s)",
        message.id,
        message.partner.instance_id,
        message.last_error,
    )


@transaction.atomic
def message_delivered(message: Message, *, via: str) -> None:
    message.status = MessageStatus.SENT
    message.delivered_at = timezone.now()
    message.next_attempt_at = None
    message.save(update_fields=["status", "delivered_at", "next_attempt_at"])
    message_audit(message, Actor.system(Channel.SYSTEM), "sent", via=via)


@transaction.atomic
def message_retry(*, user: User, message: Message, channel: str) -> Message:
    """A failed message queued again (a person decided; the partner may have been down)."""
    if not may_manage_partners(user):
        raise PermissionDeniedError(_("Only a system administrator retries messages."))
    if message.direction != Direction.OUT or message.status != MessageStatus.FAILED:
        raise ApplicationError(_("Only a message that could not be delivered is retried."))
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    message_audit(message, Actor.of(user, channel), "retry")
    return message


def messages_waiting_for(partner: Partner) -> list[Message]:
    """What waits for ``partner`` (queued, or sent and not yet acknowledged): what a pull or a
    file carries. Sending a message again is harmless: the receiver applies it once."""
    return list(
        Message.objects.filter(
            Q(status=MessageStatus.QUEUED) | Q(status=MessageStatus.SENT),
            partner=partner,
            direction=Direction.OUT,
            expires_at__gt=timezone.now(),
        ).order_by("sequence")
    )


def messages_handed_over(messages: Iterable[Message], *, via: str) -> None:
    for message in messages:
        if message.status == MessageStatus.QUEUED:
            message_delivered(message, via=via)
