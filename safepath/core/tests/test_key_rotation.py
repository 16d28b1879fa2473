"""`safepath keys rotate`: everything re-encrypted under a new key, nothing lost or overwritten."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, Child
from safepath.core import crypto, keyring, rotation
from safepath.testing.factories import register_case


@pytest.fixture
def ring_file(tmp_path: Path, settings: object) -> Path:
    """A private copy of the test keyring, so rotation here leaves other tests alone."""
    path = tmp_path / "keyring.json"
    shutil.copy(settings.KEYRING_FILE, path)  # type: ignore[attr-defined]
    settings.KEYRING_FILE = path  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined] - its own document files
    crypto.reload_keyring()
    yield path
    crypto.reload_keyring()


def _raw_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name FROM cases_child ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _plain() -> list[tuple[str, str, object, str]]:
    return [
        (c.child.given_name, c.child.family_name, c.child.date_of_birth, c.summary)
        for c in Case.objects.select_related("child").order_by("id")
    ]


@pytest.mark.django_db
def test_rotate_reencrypts_every_value_and_loses_nothing(
    ring_file: Path, caseworker_a: User
) -> None:
    for name in ["Amina", "Ахмед", "أمينة", "सुशीला"]:
        register_case(caseworker_a, given_name=name)
    old_key = keyring.load_file(ring_file).active
    before_plain, before_raw = _plain(), _raw_names()

    out = StringIO()
    call_command("keys", "rotate", stdout=out, verbosity=0)

    new_key = keyring.load_file(ring_file).active
    assert new_key != old_key
    assert _plain() == before_plain
    after_raw = _raw_names()
    assert all(value.startswith(f"v1:{new_key}:") for value in after_raw)
    assert set(after_raw).isdisjoint(before_raw)
    assert rotation.values_under(old_key) == 0
    assert rotation.values_under(new_key) == 4 * 5  # names, dob, other names; summary
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_id) == ("key_rotation", new_key)
    new_index = keyring.load_file(ring_file).index_active
    assert event.details == {
        "reencrypted": 122,
        "remaining": 0,
        "index_key": new_index,
        "audit_key": keyring.load_file(ring_file).audit_active,
        "by_kind": {
            "values": 20,
            "documents": 0,
            "signatures": 0,
            "finance uploads": 0,
            "indexes": 8,
            "name keys": 94,
        },
        "waiting": 0,
    }  # 4 children: 5 values each; a given and a family name index each; their name search keys
    assert "Re-sealed 122 items (20 values, " in out.getvalue()

    call_command("keys", "retire", old_key, stdout=StringIO())
    assert old_key not in keyring.load_file(ring_file).keys
    crypto.reload_keyring()
    assert _plain() == before_plain


@pytest.mark.django_db
def test_blind_index_search_survives_rotation(ring_file: Path, caseworker_a: User) -> None:
    register_case(caseworker_a, family_name="Otieno")
    call_command("keys", "rotate", stdout=StringIO(), verbosity=0)
    assert (
        Child.objects.filter(
            family_name_index=crypto.blind_index("otieno", purpose="child.family_name")
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_retiring_a_key_still_in_use_is_refused(ring_file: Path, caseworker_a: User) -> None:
    register_case(caseworker_a)
    ring = keyring.load_file(ring_file)
    keyring.write_file(ring_file, ring.with_new_active_key())
    crypto.reload_keyring()
    with pytest.raises(CommandError, match=r"Still sealed under .*: 5 values"):
        call_command("keys", "retire", ring.active, stdout=StringIO())
    assert ring.active in keyring.load_file(ring_file).keys


@pytest.mark.django_db
def test_a_value_saved_during_rotation_is_not_overwritten(
    ring_file: Path, caseworker_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = register_case(caseworker_a, given_name="Before")
    old_ring = keyring.load_file(ring_file)
    new_ring = old_ring.with_new_active_key()
    column = next(c for c in rotation.encrypted_columns() if c.label == "cases.child.given_name")
    original_encrypt = crypto.encrypt
    interfered = []

    def encrypt_while_someone_saves(plaintext: str, *, context: str, ring: object = None) -> str:
        if context == column.label and not interfered:
            # another caseworker saves the child, still under the old key, mid-batch
            other = original_encrypt("Saved meanwhile", context=context, ring=old_ring)
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE cases_child SET given_name = %s WHERE id = %s",
                    [other, case.child_id.hex if connection.vendor == "sqlite" else case.child_id],
                )
            interfered.append(True)
        return original_encrypt(plaintext, context=context, ring=ring)

    monkeypatch.setattr(crypto, "encrypt", encrypt_while_someone_saves)
    done, skipped, _ = column.rotate_batch(new_ring, None)

    assert (done, skipped) == (0, 1)
    keyring.write_file(ring_file, new_ring)
    crypto.reload_keyring()
    assert Child.objects.get(pk=case.child_id).given_name == "Saved meanwhile"
    report = rotation.reencrypt_all(new_ring)
    assert report.remaining == 0
    assert Child.objects.get(pk=case.child_id).given_name == "Saved meanwhile"


def test_rotation_needs_a_keyring_file(settings: object) -> None:
    settings.KEYRING_FILE = None  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="SAFEPATH_KEYRING_FILE"):
        call_command("keys", "rotate", stdout=StringIO())


@pytest.mark.django_db
def test_a_process_that_has_not_reloaded_yet_still_reads_new_values(
    ring_file: Path, caseworker_a: User
) -> None:
    case = register_case(caseworker_a, given_name="Zawadi")
    crypto.current_keyring()  # this process holds the old ring in its cache
    newer = keyring.load_file(ring_file).with_new_active_key()
    keyring.write_file(ring_file, newer)  # another process rotated a moment ago
    token = crypto.encrypt("Zawadi", context="cases.child.given_name", ring=newer)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_child SET given_name = %s", [token])
    assert Child.objects.get(pk=case.child_id).given_name == "Zawadi"


@pytest.mark.django_db
def test_retiring_a_key_is_audited(ring_file: Path) -> None:
    ring = keyring.load_file(ring_file)
    keyring.write_file(ring_file, ring.with_new_active_key())
    call_command("keys", "retire", ring.active, stdout=StringIO())
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_id, event.details) == (
        "key_rotation",
        ring.active,
        {"retired": True},
    )


def test_keys_init_works_before_any_secret_exists(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "ring.json"
    env = {"PATH": os.environ["PATH"], "SAFEPATH_MODE": "production"}
    made = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "safepath", "keys", "init", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert keyring.load_file(path).active
    again = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "safepath", "keys", "init", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert again.returncode == 1
    assert "refusing to overwrite" in again.stderr
