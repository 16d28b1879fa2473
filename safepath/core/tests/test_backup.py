"""`safepath backup` and `safepath restore`: the database, every document file and a manifest;
a restore into a fresh data folder reads every document back, byte for byte.

Issue 21, finding 5: the documented backup left the document files out, so after a restore
every download failed while `audit verify` and `keys status` said all was well.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from safepath.accounts.models import User
from safepath.core import backup, crypto, keyring
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

# Synthetic files: each type the upload accepts, one near the API's body limit.
FILES = {
    "scan.pdf": b"%PDF-1.4\n% synthetic backup test\n" + bytes(range(256)) * 8,
    "photo.png": b"\x89PNG\r\n\x1a\n" + os.urandom(4096),
    "card.jpg": b"\xff\xd8\xff\xe0" + os.urandom(900_000),
}

READ_BACK = """
import hashlib, json, sys
from safepath.cases import documents
print(json.dumps({str(d.id): hashlib.sha256(documents.load(d.id, d.sha256)).hexdigest()
                  for d in CaseDocument.objects.all()}))
"""


def _upload_all(user: User) -> dict[str, str]:
    """document id -> SHA-256 of the bytes uploaded."""
    case = register_case(user)
    client = api_client_for(user)
    made = {}
    for name, content in FILES.items():
        response = client.post(
            f"/api/v1/cases/{case.id}/documents/",
            {"title": name, "file": SimpleUploadedFile(name, content)},
            format="multipart",
        )
        assert response.status_code == 201, response.content
        made[response.json()["id"]] = hashlib.sha256(content).hexdigest()
    return made


@pytest.fixture
def fresh_target(tmp_path: Path, settings: Any) -> Iterator[dict[str, str]]:
    """The environment of another SafePath: a new data folder and an empty database, the same
    keyring (the keyring is restored separately, by the operator)."""
    env = {
        "PATH": os.environ["PATH"],
        "SAFEPATH_MODE": "development",
        "SAFEPATH_DATA_DIR": str(tmp_path / "restored"),
        "SAFEPATH_SECRET_KEY": "test-only-secret-key-not-for-any-deployment",
        "SAFEPATH_KEYRING_FILE": str(settings.KEYRING_FILE),
    }
    scratch = None
    if connection.vendor == "postgresql":
        import psycopg

        scratch = f"h_restore_{uuid.uuid4().hex[:10]}"
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("options", None)
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{scratch}"')
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{scratch}"
        )
    yield env
    if scratch:
        import psycopg

        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _safepath(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "safepath", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_folder_reads_every_document_back(
    tmp_path: Path, caseworker_a: User, fresh_target: dict[str, str]
) -> None:
    uploaded = _upload_all(caseworker_a)
    dest = tmp_path / "backup"
    out = StringIO()
    call_command("backup", str(dest), "--format", "json", stdout=out)
    summary = json.loads(out.getvalue())

    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    sealed = {name for name in manifest["files"] if name.startswith("documents/")}
    assert {f"documents/{i[:2]}/{i}.sealed" for i in uploaded} <= sealed
    assert manifest["migrations"]["cases"]
    assert manifest["keys"]["in_use"]["documents"]
    assert manifest["keyring_included"] is False
    assert not (dest / "keyring").exists()
    text = (dest / "manifest.json").read_text()
    ring = crypto.current_keyring()
    keys = [*ring.keys.values(), *ring.index_keys.values(), *ring.audit_keys.values()]
    for key in keys:  # ids, never key material
        assert base64.b64encode(key).decode() not in text
    assert ring.active in text
    assert set(manifest["keys"]["in_use"]["audit events"]) == {ring.audit_active}
    assert summary["audit_head"] == manifest["audit_head"]

    restored = _safepath(fresh_target, "restore", str(dest), "--format", "json")
    assert restored.returncode == 0, restored.stderr
    report = json.loads(restored.stdout)
    assert report["audit_intact"] is True
    assert report["missing_keys"] == []

    read = _safepath(fresh_target, "shell", "-c", READ_BACK)
    assert read.returncode == 0, read.stderr
    # every document read back, byte for byte (its SHA-256)
    assert json.loads(read.stdout.strip().splitlines()[-1]) == uploaded
    verify = _safepath(fresh_target, "audit", "verify", "--anchor", manifest["audit_head"])
    assert verify.returncode == 0, verify.stderr

    again = _safepath(fresh_target, "restore", str(dest))
    assert again.returncode == 2
    assert "not empty" in again.stderr
    forced = _safepath(fresh_target, "restore", str(dest), "--force")
    assert forced.returncode == 0, forced.stderr
    read = _safepath(fresh_target, "shell", "-c", READ_BACK)
    assert json.loads(read.stdout.strip().splitlines()[-1]) == uploaded

    # restored with a keyring that lacks the audit key: the chain cannot be checked, and says why
    lost = tmp_path / "keyring-without-audit-key.json"
    keyring.write_file(lost, ring.with_new_audit_key().without_key(ring.audit_active or ""))
    blind = _safepath(
        {**fresh_target, "SAFEPATH_KEYRING_FILE": str(lost)},
        "restore", str(dest), "--force", "--format", "json",
    )  # fmt: skip
    assert blind.returncode == 1
    report = json.loads(blind.stdout)
    assert (report["audit_intact"], report["missing_keys"]) == (False, [ring.audit_active])


@pytest.mark.django_db(transaction=True)
def test_a_tampered_backup_is_refused_and_the_target_left_as_it_was(
    tmp_path: Path, caseworker_a: User, fresh_target: dict[str, str]
) -> None:
    uploaded = _upload_all(caseworker_a)
    dest = tmp_path / "backup"
    call_command("backup", str(dest), stdout=StringIO())
    victim = next(iter(uploaded))
    sealed = dest / "documents" / victim[:2] / f"{victim}.sealed"
    sealed.write_text(sealed.read_text()[:-8] + "AAAAAAA=")  # one document altered
    target = Path(fresh_target["SAFEPATH_DATA_DIR"])
    before = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))

    refused = _safepath(fresh_target, "restore", str(dest))

    assert refused.returncode == 2
    assert f"documents/{victim[:2]}/{victim}.sealed: SHA-256 does not match" in refused.stderr
    assert "nothing was restored" in refused.stderr
    after = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))
    assert not (target / "documents").exists()
    assert set(after) - set(before) <= {"mode", "secrets", "safepath.sqlite3"}
    listed = _safepath(fresh_target, "showmigrations", "--plan")
    assert "[X]" not in listed.stdout  # the database is as empty as before


def test_backup_refuses_a_folder_in_use(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("something")
    with pytest.raises(CommandError, match="not an empty folder") as refused:
        call_command("backup", str(tmp_path), stdout=StringIO())
    assert refused.value.returncode == 2


@pytest.mark.django_db
def test_an_unlisted_or_missing_file_is_named(tmp_path: Path) -> None:
    database = tmp_path / "database" / "safepath.sqlite3"
    database.parent.mkdir()
    database.write_bytes(b"x")
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "format": backup.FORMAT,
                "database": {"vendor": "sqlite", "file": "database/safepath.sqlite3"},
                "files": {
                    "database/safepath.sqlite3": {"sha256": backup.sha256_of(database), "size": 1},
                    "documents/ab/gone.sealed": {"sha256": "0" * 64, "size": 3},
                },
            }
        )
    )
    (tmp_path / "extra.txt").write_text("slipped in")
    with pytest.raises(backup.BackupError) as refused:
        backup.verify(tmp_path)
    assert "documents/ab/gone.sealed: missing" in str(refused.value)
    assert "extra.txt: not in the manifest" in str(refused.value)
