"""The keyed chain (HMAC under an audit key of the keyring): someone with database rights but not
the keyring cannot rebuild a chain that verifies, whatever they recompute; audit keys rotate in
segments, are never retired while events need them, and a missing key is named."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, datetime

import pytest
from django.db import connection

from safepath.audit.chain import Segment, event_hash, verify
from safepath.audit.models import GENESIS_HASH, AuditEvent

POSTGRES = connection.vendor == "postgresql"
KEY_1, KEY_2 = secrets.token_bytes(32), secrets.token_bytes(32)


def _event(seq: int, prev: str, key_id: str) -> AuditEvent:
    return AuditEvent(
        seq=seq,
        event_id=uuid.uuid4(),
        occurred_at=datetime(2026, 12, 1, tzinfo=UTC),
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
        key_id=key_id,
    )


def _chain(plan: list[tuple[str, bytes | None]]) -> list[AuditEvent]:
    """One event per (key id, key) in ``plan``; ("", None) is an unkeyed event."""
    events, prev = [], GENESIS_HASH
    for seq, (key_id, key) in enumerate(plan, start=1):
        event = _event(seq, prev, key_id)
        event.hash = event_hash(event, key)
        prev = event.hash
        events.append(event)
    return events


def _rebuild_from(events: list[AuditEvent], first: int, key: bytes | None, key_id: str) -> None:
    """What an intruder does after editing event ``first``: re-link and re-hash every event
    from there on, with the key they have (None: plain SHA-256, as the chain used to be)."""
    for event in events[first - 1 :]:
        event.prev_hash = events[event.seq - 2].hash if event.seq > 1 else GENESIS_HASH
        event.key_id = key_id
        event.hash = event_hash(event, key)


KEYS = {"a1": KEY_1, "a2": KEY_2}


def test_a_keyed_chain_verifies_with_its_key_and_names_its_segment() -> None:
    events = _chain([("a1", KEY_1)] * 4)
    verdict = verify(events, keys=KEYS, legacy_until=0)
    assert (verdict.intact, verdict.checked, verdict.head_hash) == (True, 4, events[-1].hash)
    assert verdict.segments == (Segment("a1", 1, 4),)


def test_the_keyed_hash_is_hmac_sha256_of_the_previous_hash_and_the_canonical_json() -> None:
    """Written out by hand: a change to this form would break every keyed chain stored."""
    event = _event(7, "0" * 64, "a1")
    event.event_id = uuid.UUID("00000000-0000-4000-8000-000000000001")
    event.actor_id = None
    event.object_id = "42"
    event.details = {}
    canonical = (
        '{"action":"read","actor_id":null,"agency_id":null,"channel":"api","details":{},'
        '"event_id":"00000000-0000-4000-8000-000000000001","key_id":"a1","object_id":"42",'
        '"object_type":"case","occurred_at":"2026-12-01T00:00:00+00:00",'
        '"prev_hash":"' + "0" * 64 + '","purpose":"","request_id":null,"seq":7}'
    )
    expected = hmac.new(KEY_1, ("0" * 64 + canonical).encode(), hashlib.sha256).hexdigest()
    assert event_hash(event, KEY_1) == expected
    assert event_hash(event, KEY_2) != expected
    assert event_hash(event) != expected  # unkeyed: plain SHA-256


def test_an_edit_rehashed_with_plain_sha256_down_the_chain_is_caught_at_the_edit() -> None:
    """The attack the unkeyed chain could not see without an anchor."""
    events = _chain([("a1", KEY_1)] * 6)
    events[2].purpose = "cover-up"
    _rebuild_from(events, 3, None, "a1")
    verdict = verify(events, keys=KEYS, legacy_until=0)
    assert (verdict.intact, verdict.broken_at, verdict.key_id) == (False, 3, "a1")
    assert verdict.reason == (
        "event #3 (audit key a1) was altered after it was written, or its hash was made "
        "without that key"
    )


@pytest.mark.parametrize("first", [1, 3])
def test_an_edit_passed_off_as_unkeyed_events_is_caught(first: int) -> None:
    """Marking the rewritten events unkeyed (plain SHA-256, as before the switch-over) does not
    hide them: none may follow a keyed event, nor come after the keyring's switch-over point."""
    events = _chain([("a1", KEY_1)] * 6)
    events[first - 1].purpose = "cover-up"
    _rebuild_from(events, first, None, "")
    verdict = verify(events, keys=KEYS, legacy_until=0)
    assert (verdict.intact, verdict.broken_at, verdict.key_id) == (False, first, "")
    assert "unkeyed" in verdict.reason


def test_a_chain_rebuilt_with_the_wrong_key_is_caught() -> None:
    events = _chain([("a1", KEY_1)] * 5)
    events[1].action = "update"
    _rebuild_from(events, 2, secrets.token_bytes(32), "a1")  # the intruder's own key
    verdict = verify(events, keys=KEYS, legacy_until=0)
    assert (verdict.intact, verdict.broken_at, verdict.key_id) == (False, 2, "a1")


def test_a_chain_rebuilt_under_another_of_the_keyrings_ids_is_caught() -> None:
    events = _chain([("a1", KEY_1)] * 5)
    events[3].action = "update"
    _rebuild_from(events, 4, KEY_1, "a2")  # right key, relabelled: the label is in the hash
    verdict = verify(events, keys=KEYS, legacy_until=0)
    assert (verdict.intact, verdict.broken_at, verdict.key_id) == (False, 4, "a2")


def test_a_rotated_chain_verifies_segment_by_segment() -> None:
    events = _chain([("a1", KEY_1)] * 3 + [("a2", KEY_2)] * 2 + [("a1", KEY_1)])
    verdict = verify(events, keys=KEYS, legacy_until=0)
    assert verdict.intact
    assert verdict.segments == (Segment("a1", 1, 3), Segment("a2", 4, 5), Segment("a1", 6, 6))
    events[4].purpose = "x"
    broken = verify(events, keys=KEYS, legacy_until=0)
    assert (broken.broken_at, broken.key_id) == (5, "a2")
    assert broken.segments == (Segment("a1", 1, 3), Segment("a2", 4, 4))


def test_a_missing_key_is_named() -> None:
    events = _chain([("a1", KEY_1)] * 2 + [("a2", KEY_2)] * 2)
    verdict = verify(events, keys={"a2": KEY_2}, legacy_until=0)
    assert (verdict.intact, verdict.broken_at, verdict.key_id) == (False, 1, "a1")
    assert verdict.reason == (
        "event #1 is sealed under audit key a1, which is not in the keyring: put back the "
        "keyring that holds it (an audit key is never retired while events need it)"
    )


def test_unkeyed_events_before_the_switch_over_stay_verifiable() -> None:
    events = _chain([("", None)] * 3 + [("a1", KEY_1)] * 2)
    for legacy_until in (3, None):
        verdict = verify(events, keys=KEYS, legacy_until=legacy_until)
        assert verdict.intact
        assert verdict.segments == (Segment("", 1, 3), Segment("a1", 4, 5))
    late = verify(events[:3], keys=KEYS, legacy_until=2)  # an unkeyed event after the point
    assert (late.intact, late.broken_at, late.key_id) == (False, 3, "")
    assert late.reason == (
        "event #3 is unkeyed, but every event after #2 (the keyring's switch-over point) is "
        "keyed: it was written or rewritten without the audit key"
    )


def test_an_unkeyed_event_after_a_keyed_one_is_caught_even_without_a_switch_over_point() -> None:
    events = _chain([("", None), ("a1", KEY_1), ("", None)])
    verdict = verify(events, keys=KEYS, legacy_until=None)
    assert (verdict.intact, verdict.broken_at) == (False, 3)
    assert verdict.reason == (
        "event #3 is unkeyed but follows keyed events: it was written or rewritten without "
        "the audit key"
    )
    altered = _chain([("", None), ("", None)])
    altered[1].purpose = "x"
    broken = verify(altered, keys=KEYS, legacy_until=None)
    assert (broken.broken_at, broken.key_id) == (2, "")  # in the unkeyed segment


def test_an_anchor_mismatch_names_the_key_of_the_anchored_event() -> None:
    events = _chain([("a1", KEY_1)] * 2 + [("a2", KEY_2)] * 2)
    verdict = verify(events, keys=KEYS, legacy_until=0, anchor=(3, "f" * 64))
    assert (verdict.intact, verdict.broken_at, verdict.key_id) == (False, 3, "a2")
