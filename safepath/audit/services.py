"""Writing audit events. The only code that inserts into the audit table."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from safepath.audit.chain import event_hash
from safepath.audit.models import GENESIS_HASH, Action, AuditEvent, Channel
from safepath.core.bulk import insert_rows
from safepath.core.request_context import current_request_id

# Any constant works; it names the PostgreSQL advisory lock that serialises the chain's head.
_CHAIN_LOCK = 7_325_114_201


class Actor:
    """Who acted: a user, or the system itself (CLI, worker)."""

    def __init__(self, user_id: uuid.UUID | None, agency_id: uuid.UUID | None, channel: str):
        self.user_id = user_id
        self.agency_id = agency_id
        self.channel = channel

    @classmethod
    def of(cls, user: Any, channel: str = Channel.WEB) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(None, None, channel)
        return cls(user.id, user.agency_id, channel)

    @classmethod
    def system(cls, channel: str = Channel.SYSTEM) -> Actor:
        return cls(None, None, channel)


def _lock_chain_head() -> tuple[int, str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return head if head else (0, GENESIS_HASH)


def audit_record_many(
    *,
    actor: Actor,
    action: Action | str,
    object_type: str,
    object_ids: Iterable[object],
    purpose: str = "",
    details: dict[str, Any] | None = None,
) -> list[AuditEvent]:
    """Append one event per object, chained. Callers pass ids and field names, never values."""
    ids = [str(object_id) for object_id in object_ids]
    if not ids:
        return []
    with transaction.atomic():
        seq, prev_hash = _lock_chain_head()
        now = timezone.now()
        request_id = current_request_id()
        events = []
        for object_id in ids:
            seq += 1
            event = AuditEvent(
                seq=seq,
                occurred_at=now,
                actor_id=actor.user_id,
                agency_id=actor.agency_id,
                channel=actor.channel,
                action=str(action),
                object_type=object_type,
                object_id=object_id,
                purpose=purpose,
                request_id=request_id,
                details=details or {},
                prev_hash=prev_hash,
            )
            event.hash = event_hash(event)
            prev_hash = event.hash
            events.append(event)
        insert_rows(AuditEvent, events)
    return events


def audit_record(
    *,
    actor: Actor,
    action: Action | str,
    object_type: str = "",
    object_id: object = "",
    purpose: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    return audit_record_many(
        actor=actor,
        action=action,
        object_type=object_type,
        object_ids=[object_id],
        purpose=purpose,
        details=details,
    )[0]
