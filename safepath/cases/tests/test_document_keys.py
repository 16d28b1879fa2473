"""Uploaded documents survive key rotation: rotate, retire the old key, download the same bytes.

Issue 21, finding 2: rotation re-encrypted field values but not the sealed document files, so
`keys status` showed the old key unused, `keys retire` removed it, and every download failed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from safepath.accounts.models import User
from safepath.core import crypto, keyring
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

PDF = b"%PDF-1.4\n% synthetic test document for key rotation\n"


@pytest.fixture
def ring_file(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """A private copy of the test keyring and a private data folder, so rotation here leaves
    other tests (and their document files) alone."""
    path = tmp_path / "keyring.json"
    shutil.copy(settings.KEYRING_FILE, path)
    settings.KEYRING_FILE = path
    settings.DATA_DIR = tmp_path / "data"
    crypto.reload_keyring()
    yield path
    crypto.reload_keyring()


def _upload(user: User) -> tuple[str, str]:
    case = register_case(user)
    response = api_client_for(user).post(
        f"/api/v1/cases/{case.id}/documents/",
        {"title": "Birth", "file": SimpleUploadedFile("birth.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return f"/api/v1/cases/{case.id}/documents/{response.json()['id']}/", response.json()["id"]


def _status() -> dict[str, Any]:
    out = StringIO()
    call_command("keys", "status", "--format", "json", stdout=out)
    return dict(json.loads(out.getvalue()))


@pytest.mark.django_db
def test_a_document_still_downloads_after_rotate_and_retire(
    ring_file: Path, caseworker_a: User
) -> None:
    address, _ = _upload(caseworker_a)
    old_key = keyring.load_file(ring_file).active

    call_command("keys", "rotate", stdout=StringIO(), verbosity=0)
    call_command("keys", "retire", old_key, stdout=StringIO())

    crypto.reload_keyring()
    assert old_key not in keyring.load_file(ring_file).keys
    download = api_client_for(caseworker_a).get(address)
    assert download.status_code == 200
    assert download.content == PDF


@pytest.mark.django_db
def test_status_counts_documents_under_each_key(ring_file: Path, caseworker_a: User) -> None:
    _upload(caseworker_a)
    old_key = keyring.load_file(ring_file).active
    assert _status()["documents"] == {old_key: 1}

    call_command("keys", "rotate", stdout=StringIO(), verbosity=0)

    new_key = keyring.load_file(ring_file).active
    counts = _status()
    assert counts["documents"] == {old_key: 0, new_key: 1}
    assert counts["values"][old_key] == 0
    assert counts["values"][new_key] > 0


@pytest.mark.django_db
def test_retire_is_refused_while_a_document_is_sealed_under_the_key(
    ring_file: Path, caseworker_a: User
) -> None:
    address, _ = _upload(caseworker_a)
    ring = keyring.load_file(ring_file)
    keyring.write_file(ring_file, ring.with_new_active_key())
    crypto.reload_keyring()
    # every field value moves to the new key; the document file stays under the old one
    from safepath.core import rotation

    rotation.reencrypt_all(keyring.load_file(ring_file), kinds=["values"])
    assert _status()["values"][ring.active] == 0

    with pytest.raises(CommandError, match="1 document"):
        call_command("keys", "retire", ring.active, stdout=StringIO())
    assert ring.active in keyring.load_file(ring_file).keys
    assert api_client_for(caseworker_a).get(address).content == PDF
