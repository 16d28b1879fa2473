"""Writing audit events. The only code that inserts into the audit table.

The chain has one head, so appending takes a lock on it (an advisory lock on PostgreSQL, the
database's single write lock on SQLite) that is held until the transaction commits. A long
transaction that appends early would hold that lock, and so stop every other audited action
(every case read, every sign-in) until it commits. Long work (imports) therefore builds its
events inside :func:`audit_deferred`, which chains them all in one step at the end of the block:
the lock is then held only from that step to the commit.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from safepath.audit.chain import event_hash
from safepath.audit.models import GENESIS_HASH, Action, AuditEvent, Channel
from safepath.core import crypto
from safepath.core.bulk import insert_rows
from safepath.core.keyring import Keyring
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


@contextmanager
def chain_locked() -> Iterator[int]:
    """Hold the chain's lock for a block (no event is chained meanwhile); yields the head's seq.
    ``keys rotate`` writes a keyring's first audit key inside it, so the switch-over point it
    records is exact."""
    with transaction.atomic():
        yield _lock_chain_head()[0]


def _chain_keyring() -> Keyring:
    """The keyring to seal new events with. While it has no audit key (a keyring from before
    audit keys), re-read it on every append: once `keys rotate` adds one, no process may chain
    another unkeyed event after the switch-over point it recorded."""
    ring = crypto.current_keyring()
    if ring.audit_active is None:
        crypto.reload_keyring()
        ring = crypto.current_keyring()
    return ring


# Events built inside an audit_deferred block of this thread, not yet chained (None: not deferring).
_deferred = threading.local()


@contextmanager
def audit_deferred() -> Iterator[list[AuditEvent]]:
    """Inside a transaction, build audit events without taking the chain's lock, and chain them
    all when the block ends. Put the block's end at the end of the transaction.

    Nothing is written if the block raises, or if the transaction is already marked for
    rollback (a caller that catches an error inside the block must roll the whole transaction
    back, as the imports do). A nested block leaves the chaining to the outermost one.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_deferred() must run inside transaction.atomic()")
    pending: list[AuditEvent] | None = getattr(_deferred, "events", None)
    if pending is not None:
        yield pending
        return
    pending = []
    _deferred.events = pending
    try:
        yield pending
    finally:
        _deferred.events = None
    if not connection.needs_rollback:
        _chain(pending)


def _chain(events: list[AuditEvent]) -> None:
    """Number and link ``events`` after the chain's head, and insert them (under the lock)."""
    if not events:
        return
    with transaction.atomic():
        seq, prev_hash = _lock_chain_head()
        ring = _chain_keyring()
        key_id = ring.audit_active or ""
        key = ring.audit_keys[key_id] if key_id else None
        for event in events:
            seq += 1
            event.seq = seq
            event.prev_hash = prev_hash
            event.key_id = key_id
            event.hash = event_hash(event, key)
            prev_hash = event.hash
        insert_rows(AuditEvent, events)


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
    now = timezone.now()
    request_id = current_request_id()
    events = [
        AuditEvent(
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
        )
        for object_id in ids
    ]
    pending: list[AuditEvent] | None = getattr(_deferred, "events", None)
    if pending is not None and connection.in_atomic_block:
        pending.extend(events)  # chained, with seq and hash, when the audit_deferred block ends
    else:
        _chain(events)
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
