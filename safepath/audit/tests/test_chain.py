"""The hash chain as pure functions: any edit, deletion or reordering is found.

These chains are unkeyed (plain SHA-256), as events written before the chain was keyed are, and
as a keyring without audit keys writes them; keyed chains: ``test_keyed_chain.py``."""

import hashlib
import uuid
from datetime import UTC, datetime

from safepath.audit.chain import Verdict, event_hash, verify
from safepath.audit.models import GENESIS_HASH, AuditEvent


def _chain(length: int) -> list[AuditEvent]:
    events, prev = [], GENESIS_HASH
    for seq in range(1, length + 1):
        event = AuditEvent(
            seq=seq,
            event_id=uuid.uuid4(),
            occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
            actor_id=uuid.uuid4(),
            agency_id=None,
            channel="api",
            action="read",
            object_type="case",
            object_id=str(uuid.uuid4()),
            purpose="",
            request_id=None,
            details={"fields": ["summary"]},
            prev_hash=prev,
        )
        event.hash = event_hash(event)
        prev = event.hash
        events.append(event)
    return events


def test_an_intact_chain_verifies() -> None:
    events = _chain(5)
    assert verify(events) == Verdict(True, 5, None, "", 5, events[-1].hash)


def test_an_empty_chain_verifies_with_no_head() -> None:
    assert verify([]) == Verdict(True, 0, None, "", None, None)


def test_the_hash_is_sha256_of_the_canonical_json_of_every_field() -> None:
    """Written out by hand: a change to the canonical form would make every chain already
    stored fail verification after an upgrade."""
    event = AuditEvent(
        seq=7,
        event_id=uuid.UUID("00000000-0000-4000-8000-000000000001"),
        occurred_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        actor_id=None,
        agency_id=uuid.UUID("00000000-0000-4000-8000-000000000002"),
        channel="web",
        action="read",
        object_type="case",
        object_id="42",
        purpose="",
        request_id=None,
        details={"b": [1, 2.5, True], "a": "é"},
        prev_hash="0" * 64,
    )
    canonical = (
        '{"action":"read","actor_id":null,"agency_id":"00000000-0000-4000-8000-000000000002",'
        '"channel":"web","details":{"a":"é","b":[1,2.5,true]},'
        '"event_id":"00000000-0000-4000-8000-000000000001",'
        '"object_id":"42","object_type":"case","occurred_at":"2026-01-02T03:04:05+00:00",'
        '"prev_hash":"' + "0" * 64 + '","purpose":"","request_id":null,"seq":7}'
    )
    assert event_hash(event) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_an_edit_is_found_at_the_edited_event() -> None:
    events = _chain(5)
    events[2].action = "update"
    verdict = verify(events)
    assert (verdict.intact, verdict.broken_at, verdict.checked) == (False, 3, 2)
    assert "altered" in verdict.reason


def test_a_deletion_is_found() -> None:
    events = _chain(5)
    del events[1]
    verdict = verify(events)
    assert verdict == Verdict(
        False, 1, 2, "event #2 is missing (the next event found is #3)", None, None
    )


def test_a_deletion_with_renumbering_is_found() -> None:
    events = _chain(5)
    del events[1]
    for seq, event in enumerate(events, start=1):
        event.seq = seq
    verdict = verify(events)
    assert (verdict.intact, verdict.broken_at) == (False, 2)


def test_reordering_is_found() -> None:
    events = _chain(5)
    events[1], events[2] = events[2], events[1]
    events[1].seq, events[2].seq = 2, 3
    verdict = verify(events)
    assert (verdict.intact, verdict.broken_at) == (False, 2)


def test_cutting_the_tail_is_found_with_an_anchor() -> None:
    events = _chain(5)
    anchor = (5, events[-1].hash)
    assert verify(events, anchor=anchor).intact
    verdict = verify(events[:3], anchor=anchor)
    assert verdict == Verdict(
        False,
        3,
        5,
        "the chain ends at #3, before the anchor #5: events were cut off its end",
        None,
        None,
    )


def _rehash(event: AuditEvent) -> None:
    """What someone with write access to the table would do to hide an edit."""
    event.hash = event_hash(event)


def test_an_edit_with_its_own_hash_recomputed_breaks_the_next_link() -> None:
    events = _chain(5)
    events[2].action = "update"
    _rehash(events[2])
    verdict = verify(events)
    assert verdict == Verdict(
        False,
        3,
        4,
        "event #4 does not follow event #3: an event before it was removed, replaced or reordered",
        None,
        None,
        key_id="",
    )


def test_a_replaced_first_event_must_follow_the_genesis_hash() -> None:
    events = _chain(3)
    events[0].prev_hash = "f" * 64
    _rehash(events[0])
    verdict = verify(events)
    assert (verdict.intact, verdict.broken_at, verdict.checked) == (False, 1, 0)


def test_a_chain_rewritten_from_the_edit_onwards_differs_from_the_anchor() -> None:
    events = _chain(5)
    anchor = (4, events[3].hash)
    events[1].action = "update"
    for event, before in zip(events[1:], events[:-1], strict=True):
        event.prev_hash = before.hash
        _rehash(event)
    assert verify(events).intact  # every link holds: only the anchor tells
    verdict = verify(events, anchor=anchor)
    assert (verdict.intact, verdict.broken_at, verdict.checked) == (False, 4, 3)
    assert "does not match the anchor" in verdict.reason


def test_an_anchor_matching_an_event_before_the_head_passes() -> None:
    events = _chain(5)
    verdict = verify(events, anchor=(2, events[1].hash))
    assert verdict.intact
    assert (verdict.checked, verdict.head_seq) == (5, 5)
