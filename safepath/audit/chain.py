"""Hashing and verifying the audit chain. Pure functions over plain values."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
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


def event_hash(event: AuditEvent) -> str:
    payload = {name: _plain(getattr(event, name)) for name in HASHED_FIELDS}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verdict:
    intact: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""
    head_seq: int | None = None
    head_hash: str | None = None


def verify(events: Iterable[AuditEvent], *, anchor: tuple[int, str] | None = None) -> Verdict:
    """Walk the chain in ``seq`` order; report the first link that does not hold.

    ``anchor`` is a (seq, hash) pair written down earlier outside the database: it proves that
    no event up to that point was cut off the end of the chain.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last: AuditEvent | None = None
    anchor_seen = anchor is None
    for event in events:
        if event.seq != expected_seq:
            return Verdict(
                False,
                checked,
                expected_seq,
                f"event #{expected_seq} is missing (the next event found is #{event.seq})",
            )
        if event.prev_hash != expected_prev:
            return Verdict(
                False,
                checked,
                event.seq,
                f"event #{event.seq} does not follow event #{event.seq - 1}: "
                "an event before it was removed, replaced or reordered",
            )
        if event_hash(event) != event.hash:
            return Verdict(
                False, checked, event.seq, f"event #{event.seq} was altered after it was written"
            )
        if anchor is not None and event.seq == anchor[0]:
            if event.hash != anchor[1]:
                return Verdict(
                    False,
                    checked,
                    event.seq,
                    f"event #{event.seq} does not match the anchor written down earlier",
                )
            anchor_seen = True
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
        last = event
    if not anchor_seen and anchor is not None:
        return Verdict(
            False,
            checked,
            anchor[0],
            f"the chain ends at #{expected_seq - 1}, before the anchor #{anchor[0]}: "
            "events were cut off its end",
        )
    return Verdict(True, checked, None, "", last.seq if last else None, last.hash if last else None)
