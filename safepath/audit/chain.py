"""Hashing and verifying the audit chain. Pure functions over plain values.

An event's hash is HMAC-SHA256 under an audit chain key of the keyring (never in the
database), over the previous hash and the event's canonical JSON, which names the key
(``key_id``). Someone who can write to the table but does not hold the keyring can change an
event, but cannot give it, or any event after it, a hash that verifies. Events written before
the chain was keyed carry no key id (``key_id == ""``) and keep their plain SHA-256 hash; none
may follow a keyed event, nor come after the keyring's switch-over point
(``audit_legacy_until``), so marking rewritten events "unkeyed" does not hide them either.
Consecutive events under one key form a segment; a rotation of the audit key starts a new one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from safepath.audit.models import GENESIS_HASH, AuditEvent

HASHED_FIELDS = (
    "seq",
    "event_id",
    "occurred_at",
    "actor_id",
    "agency_id",
    "channel",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "request_id",
    "details",
    "prev_hash",
)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool | dict | list):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _canonical(event: AuditEvent, *, keyed: bool) -> bytes:
    payload = {name: _plain(getattr(event, name)) for name in HASHED_FIELDS}
    if keyed:
        payload["key_id"] = event.key_id
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def event_hash(event: AuditEvent, key: bytes | None = None) -> str:
    """HMAC-SHA256(key, previous hash || canonical JSON with the key id) for a keyed event;
    plain SHA-256 of the canonical JSON for an unkeyed one (``key=None``, written before the
    chain was keyed), exactly as such events were hashed then."""
    if key is None:
        return hashlib.sha256(_canonical(event, keyed=False)).hexdigest()
    message = event.prev_hash.encode("ascii") + _canonical(event, keyed=True)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Segment:
    """Consecutive events under one audit key ("" for events written before the chain was
    keyed)."""

    key_id: str
    first_seq: int
    last_seq: int

    @property
    def events(self) -> int:
        return self.last_seq - self.first_seq + 1


@dataclass(frozen=True)
class Verdict:
    intact: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""
    head_seq: int | None = None
    head_hash: str | None = None
    # the audit key of the event that failed ("" unkeyed; None: the chain holds, or no event)
    key_id: str | None = None
    segments: tuple[Segment, ...] = field(default=(), compare=False)


def verify(
    events: Iterable[AuditEvent],
    *,
    anchor: tuple[int, str] | None = None,
    keys: Mapping[str, bytes] | None = None,
    legacy_until: int | None = None,
) -> Verdict:
    """Walk the chain in ``seq`` order; report the first link that does not hold.

    ``anchor`` is a (seq, hash) pair written down earlier outside the database: it proves that
    no event up to that point was cut off the end of the chain. ``keys`` are the keyring's audit
    keys by id; ``legacy_until`` its switch-over point (None: unknown; then only the rule that
    no unkeyed event follows a keyed one holds).
    """
    keys = keys or {}
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last: AuditEvent | None = None
    anchor_seen = anchor is None
    segments: list[list[Any]] = []
    keyed_seen = False

    def broken(at: int, reason: str, key_id: str | None) -> Verdict:
        done = tuple(Segment(s[0], s[1], s[2]) for s in segments)
        return Verdict(False, checked, at, reason, key_id=key_id, segments=done)

    for event in events:
        key_id = event.key_id or ""
        if event.seq != expected_seq:
            return broken(
                expected_seq,
                f"event #{expected_seq} is missing (the next event found is #{event.seq})",
                None,
            )
        if event.prev_hash != expected_prev:
            return broken(
                event.seq,
                f"event #{event.seq} does not follow event #{event.seq - 1}: "
                "an event before it was removed, replaced or reordered",
                key_id,
            )
        if key_id:
            key = keys.get(key_id)
            if key is None:
                return broken(
                    event.seq,
                    f"event #{event.seq} is sealed under audit key {key_id}, which is not in "
                    "the keyring: put back the keyring that holds it (an audit key is never "
                    "retired while events need it)",
                    key_id,
                )
            if not hmac.compare_digest(event_hash(event, key), event.hash):
                return broken(
                    event.seq,
                    f"event #{event.seq} (audit key {key_id}) was altered after it was "
                    "written, or its hash was made without that key",
                    key_id,
                )
            keyed_seen = True
        else:
            if keyed_seen:
                return broken(
                    event.seq,
                    f"event #{event.seq} is unkeyed but follows keyed events: it was written "
                    "or rewritten without the audit key",
                    key_id,
                )
            if legacy_until is not None and event.seq > legacy_until:
                return broken(
                    event.seq,
                    f"event #{event.seq} is unkeyed, but every event after #{legacy_until} "
                    "(the keyring's switch-over point) is keyed: it was written or rewritten "
                    "without the audit key",
                    key_id,
                )
            if event_hash(event) != event.hash:
                return broken(
                    event.seq, f"event #{event.seq} was altered after it was written", key_id
                )
        if segments and segments[-1][0] == key_id:
            segments[-1][2] = event.seq
        else:
            segments.append([key_id, event.seq, event.seq])
        if anchor is not None and event.seq == anchor[0]:
            if event.hash != anchor[1]:
                return broken(
                    event.seq,
                    f"event #{event.seq} does not match the anchor written down earlier",
                    key_id,
                )
            anchor_seen = True
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
        last = event
    if not anchor_seen and anchor is not None:
        return broken(
            anchor[0],
            f"the chain ends at #{expected_seq - 1}, before the anchor #{anchor[0]}: "
            "events were cut off its end",
            None,
        )
    return Verdict(
        True,
        checked,
        None,
        "",
        last.seq if last else None,
        last.hash if last else None,
        segments=tuple(Segment(s[0], s[1], s[2]) for s in segments),
    )
