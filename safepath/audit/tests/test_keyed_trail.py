"""The keyed trail as stored: `safepath audit verify` catches an intruder with database rights
but not the keyring; `keys rotate|status|retire` handle audit keys; a keyring from before audit
keys goes on writing unkeyed events until `keys rotate` keys the chain. Pure chain: see
``test_keyed_chain.py``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from safepath.accounts.models import User
from safepath.audit.chain import event_hash, verify
from safepath.audit.models import GENESIS_HASH, AuditEvent
from safepath.audit.selectors import audit_chain_verify
from safepath.audit.services import Actor, audit_record
from safepath.core import crypto, keyring
from safepath.testing.factories import register_case

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def ring_file(tmp_path: Path, settings: object) -> Iterator[Path]:
    """A private copy of the test keyring, so what is done to it here leaves other tests alone."""
    path = tmp_path / "keyring.json"
    shutil.copy(settings.KEYRING_FILE, path)  # type: ignore[attr-defined]
    settings.KEYRING_FILE = path  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    crypto.reload_keyring()
    yield path
    crypto.reload_keyring()


def _verify() -> tuple[int, dict[str, object], str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", "--format", "json", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue()), err.getvalue()


def _as_intruder(statements: list[tuple[str, list[object]]]) -> None:
    """Rewrite the table behind the application's back (on PostgreSQL, with the append-only
    trigger disabled, as a table owner can)."""
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        for sql, params in statements:
            cursor.execute(sql, params)
        if POSTGRES:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def _rewrite_with_plain_sha256(first: int, *, purpose: str, unkeyed: bool) -> None:
    """Edit event ``first`` and recompute every hash from there on, as the chain was hashed
    before it was keyed: all an intruder without the keyring can do."""
    events = list(AuditEvent.objects.order_by("seq"))
    events[first - 1].purpose = purpose
    statements: list[tuple[str, list[object]]] = []
    for event in events[first - 1 :]:
        event.prev_hash = events[event.seq - 2].hash if event.seq > 1 else GENESIS_HASH
        if unkeyed:
            event.key_id = ""
        event.hash = event_hash(event)
        statements.append(
            (
                "UPDATE audit_auditevent SET purpose = %s, prev_hash = %s, hash = %s, "
                "key_id = %s WHERE seq = %s",
                [event.purpose, event.prev_hash, event.hash, event.key_id, event.seq],
            )
        )
    _as_intruder(statements)


@pytest.fixture
def trail(caseworker_a: User) -> list[AuditEvent]:
    for _ in range(3):
        register_case(caseworker_a)
    return list(AuditEvent.objects.order_by("seq"))


@pytest.mark.django_db
def test_every_new_event_is_keyed_with_the_active_audit_key(trail: list[AuditEvent]) -> None:
    ring = crypto.current_keyring()
    assert ring.audit_active
    assert ring.audit_legacy_until == 0
    assert {e.key_id for e in trail} == {ring.audit_active}
    code, report, _ = _verify()
    assert (code, report["intact"], report["keyed"]) == (0, True, True)
    assert report["segments"] == [{"key_id": ring.audit_active, "first": 1, "last": 6}]


@pytest.mark.django_db
@pytest.mark.parametrize("unkeyed", [False, True])
def test_an_intruder_who_rewrites_an_event_and_every_hash_after_it_is_caught(
    trail: list[AuditEvent], unkeyed: bool
) -> None:
    _rewrite_with_plain_sha256(4, purpose="cover-up", unkeyed=unkeyed)
    code, report, _ = _verify()
    assert (code, report["intact"], report["broken_at"]) == (1, False, 4)
    assert report["key_id"] == ("" if unkeyed else crypto.current_keyring().audit_active)


@pytest.mark.django_db
def test_the_text_report_names_the_segment_that_failed(trail: list[AuditEvent]) -> None:
    _rewrite_with_plain_sha256(2, purpose="cover-up", unkeyed=False)
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    key_id = crypto.current_keyring().audit_active
    assert f"BROKEN at event #2 (audit key {key_id})" in err.getvalue()


@pytest.mark.django_db
def test_a_rotated_audit_key_starts_a_segment_and_is_never_retired_while_events_need_it(
    ring_file: Path, trail: list[AuditEvent]
) -> None:
    old = keyring.load_file(ring_file).audit_active
    out = StringIO()
    call_command("keys", "rotate", "--audit-key-only", stdout=out)
    new = keyring.load_file(ring_file).audit_active
    assert new != old
    assert f"New audit key {new}" in out.getvalue()
    audit_record(actor=Actor.system(), action="read", object_type="t", object_id="1")
    code, report, _ = _verify()
    assert code == 0
    assert report["segments"] == [
        {"key_id": old, "first": 1, "last": 6},
        {"key_id": new, "first": 7, "last": 8},  # the rotation's own event, then the read
    ]
    status = StringIO()
    call_command("keys", "status", stdout=status)
    assert f"audit key {old}: 6 audit events" in status.getvalue()
    assert f"audit key {new} (active): 2 audit events" in status.getvalue()
    with pytest.raises(CommandError, match=f"Audit key {old} still verifies 6 audit events"):
        call_command("keys", "retire", old, stdout=StringIO())
    assert old in keyring.load_file(ring_file).audit_keys


@pytest.mark.django_db
def test_without_the_audit_key_verify_says_which_key_is_missing(
    ring_file: Path, trail: list[AuditEvent]
) -> None:
    ring = keyring.load_file(ring_file)
    old = ring.audit_active
    rotated = ring.with_new_audit_key()
    keyring.write_file(ring_file, rotated.without_key(old or ""))  # the key lost, by hand
    code, report, _ = _verify()
    assert (code, report["intact"], report["broken_at"], report["key_id"]) == (1, False, 1, old)
    assert f"audit key {old}, which is not in the keyring" in str(report["reason"])


@pytest.mark.django_db
def test_a_keyring_from_before_audit_keys_writes_unkeyed_events_until_rotate_keys_the_chain(
    ring_file: Path, caseworker_a: User
) -> None:
    """An existing deployment: its events stay verifiable as they were; once `keys rotate`
    adds an audit key, every new event is keyed and no unkeyed one may follow the head it
    recorded."""
    data = json.loads(ring_file.read_text())
    for name in ("audit_active", "audit_keys", "audit_legacy_until"):
        data.pop(name)
    ring_file.write_text(json.dumps(data))
    crypto.reload_keyring()
    register_case(caseworker_a)
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {""}
    code, report, _ = _verify()
    assert (code, report["keyed"]) == (0, False)
    status = StringIO()
    call_command("keys", "status", stdout=status)
    assert "unkeyed (written before the chain was keyed): 2 audit events" in status.getvalue()

    call_command("keys", "rotate", "--audit-key-only", stdout=StringIO())
    ring = keyring.load_file(ring_file)
    assert ring.audit_legacy_until == 2  # the head when the key was added
    register_case(caseworker_a)
    assert (
        list(AuditEvent.objects.values_list("key_id", flat=True))
        == [""] * 2 + [ring.audit_active] * 3
    )  # the rotation's event and the new case's two
    code, report, _ = _verify()
    assert (code, report["intact"], report["keyed"]) == (0, True, True)

    _rewrite_with_plain_sha256(3, purpose="cover-up", unkeyed=True)
    code, report, _ = _verify()
    assert (code, report["broken_at"]) == (1, 3)
    assert "switch-over point" in str(report["reason"])


@pytest.mark.django_db
def test_the_selector_checks_with_the_keyring_of_the_moment(trail: list[AuditEvent]) -> None:
    assert audit_chain_verify().intact
    assert not verify(AuditEvent.objects.order_by("seq")).intact  # no keys: not verifiable
