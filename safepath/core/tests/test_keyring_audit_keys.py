"""The keyring's third family, the audit keys: made with every new keyring, read from and
written to its JSON, absent from a keyring made before them (which still loads)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safepath.core import keyring


def test_a_new_keyring_has_an_audit_key_and_keys_every_event() -> None:
    ring = keyring.generate()
    assert ring.audit_active in ring.audit_keys
    assert ring.audit_legacy_until == 0
    assert ring.family_of(ring.audit_active or "") == "audit"


def test_audit_keys_round_trip_through_the_json() -> None:
    ring = keyring.generate().with_new_audit_key()
    again = keyring.parse(ring.to_json(), source="test")
    assert (again.audit_active, again.audit_keys, again.audit_legacy_until) == (
        ring.audit_active,
        ring.audit_keys,
        0,
    )
    assert len(again.audit_keys) == 2


def test_a_keyring_from_before_audit_keys_loads_without_one() -> None:
    data = json.loads(keyring.generate().to_json())
    for name in ("audit_active", "audit_keys", "audit_legacy_until"):
        del data[name]
    ring = keyring.parse(json.dumps(data), source="old")
    assert (ring.audit_active, ring.audit_keys, ring.audit_legacy_until) == (None, {}, None)
    assert "audit_keys" not in json.loads(ring.to_json())
    first = ring.with_new_audit_key(head_seq=41)
    assert first.audit_legacy_until == 41  # the switch-over point
    assert first.with_new_audit_key(head_seq=99).audit_legacy_until == 41  # kept after


def test_the_active_audit_key_cannot_be_retired_and_an_older_one_can() -> None:
    ring = keyring.generate()
    old = ring.audit_active or ""
    with pytest.raises(keyring.KeyringError, match="active"):
        ring.without_key(old)
    rotated = ring.with_new_audit_key()
    assert old not in rotated.without_key(old).audit_keys


def test_an_audit_key_must_be_32_bytes_and_not_share_an_id() -> None:
    ring = keyring.generate()
    data = json.loads(ring.to_json())
    data["audit_keys"][ring.audit_active] = "c2hvcnQ="
    with pytest.raises(keyring.KeyringError, match="32"):
        keyring.parse(json.dumps(data), source="bad")
    data = json.loads(ring.to_json())
    data["audit_keys"] = {ring.active: data["keys"][ring.active]}
    data["audit_active"] = ring.active
    with pytest.raises(keyring.KeyringError, match="share an id"):
        keyring.parse(json.dumps(data), source="bad")


def test_a_local_keyring_from_before_audit_keys_gets_one(tmp_path: Path) -> None:
    """Demo and development data folders upgrade themselves (no switch-over point known)."""
    data = json.loads(keyring.generate().to_json())
    for name in ("audit_active", "audit_keys", "audit_legacy_until"):
        del data[name]
    (tmp_path / "keyring.json").write_text(json.dumps(data))
    ring = keyring.load_file(keyring.local_keyring_file(tmp_path))
    assert ring.audit_active in ring.audit_keys
    assert ring.audit_legacy_until is None
    assert ring.active == data["active"]
