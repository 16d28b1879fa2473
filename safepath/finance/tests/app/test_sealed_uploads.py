"""A bank's files wait for the worker sealed: tampering fails the run, rotation re-seals them,
``keys retire`` waits for them, and a backup carries a queued run's files to the restore."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from safepath.accounts.models import User
from safepath.core import backup, crypto, keyring, rotation
from safepath.finance import uploads
from safepath.finance.models import FinancialAlert, ScreeningRun
from safepath.finance.tasks import screening_run_execute
from safepath.finance.tests.app.conftest import DATA
from safepath.finance.uploads import FOLDER, SUFFIX, upload_dir
from safepath.testing.fixtures import api_client_for


@pytest.fixture
def ring_file(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """A private keyring and data folder, so rotation here leaves other tests alone."""
    path = tmp_path / "keyring.json"
    shutil.copy(settings.KEYRING_FILE, path)
    settings.KEYRING_FILE = path
    settings.DATA_DIR = tmp_path / "data"
    crypto.reload_keyring()
    yield path
    crypto.reload_keyring()


def _queue(user: User, capture: Callable[..., Any]) -> ScreeningRun:
    """Upload the two files and stop before the worker takes the run."""
    files = {
        name: SimpleUploadedFile(f"{name}.csv", (DATA / f"{name}.csv").read_bytes())
        for name in ("transactions", "customers")
    }
    with capture(execute=False):
        response = api_client_for(user).post(
            "/api/v1/finance/runs/", {**files, "base_currency": "USD"}, format="multipart"
        )
    assert response.status_code == 201, response.content
    return ScreeningRun.objects.get(pk=response.json()["id"])


def _execute(run: ScreeningRun) -> ScreeningRun:
    screening_run_execute.call(str(run.id))
    run.refresh_from_db()
    return run


@pytest.mark.django_db
def test_a_tampered_kept_file_fails_the_run_and_stores_nothing(
    ring_file: Path, fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    run = _queue(fiu_analyst, django_capture_on_commit_callbacks)
    kept = upload_dir(run.id) / f"transactions.csv{SUFFIX}"
    body = bytearray(kept.read_bytes())
    body[-40] ^= 0x01  # one bit of the ciphertext
    kept.write_bytes(bytes(body))

    run = _execute(run)

    assert run.status == "failed"
    assert "could not be opened" in run.problems[0]["message"]
    assert not FinancialAlert.objects.exists()
    assert not upload_dir(run.id).exists()


@pytest.mark.django_db
def test_a_kept_file_moved_to_another_run_does_not_open(
    ring_file: Path, fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    first = _queue(fiu_analyst, django_capture_on_commit_callbacks)
    second = _queue(fiu_analyst, django_capture_on_commit_callbacks)
    name = f"customers.csv{SUFFIX}"
    shutil.copy(upload_dir(first.id) / name, upload_dir(second.id) / name)

    assert _execute(second).status == "failed"
    assert _execute(first).status == "done"


@pytest.mark.django_db
def test_rotation_reseals_waiting_files_and_retire_waits_for_them(
    ring_file: Path, fiu_analyst: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    run = _queue(fiu_analyst, django_capture_on_commit_callbacks)
    old_key = keyring.load_file(ring_file).active
    # another process made a new active key; these files still wait under the old one
    keyring.write_file(ring_file, keyring.load_file(ring_file).with_new_active_key())
    crypto.reload_keyring()
    assert rotation.sealed_under(crypto.current_keyring(), old_key)["finance uploads"] == 2
    with pytest.raises(CommandError, match="2 finance uploads"):
        call_command("keys", "retire", old_key, stdout=StringIO())

    call_command("keys", "rotate", "--keep-index-key", stdout=StringIO(), verbosity=0)
    new_key = keyring.load_file(ring_file).active

    kept = sorted(upload_dir(run.id).iterdir())
    assert [crypto.stream_key_id(path) for path in kept] == [new_key, new_key]
    assert "finance uploads" not in rotation.sealed_under(crypto.current_keyring(), old_key)
    call_command("keys", "retire", old_key, stdout=StringIO())
    crypto.reload_keyring()
    assert _execute(run).status == "done", run.problems


@pytest.mark.django_db(transaction=True)  # the backup reads the database from outside the test
def test_backups_hold_the_sealed_files_of_a_queued_run(ring_file: Path) -> None:
    assert FOLDER in backup.data_folders()
    run_id = uuid.uuid4()  # a run still waiting for the worker
    body = (DATA / "transactions.csv").read_bytes()
    uploads.store(SimpleUploadedFile("transactions.csv", body), run_id, "transactions.csv")
    dest = ring_file.parent / "backup"

    made = backup.create(dest, keys={})

    assert f"{FOLDER}/{run_id}/transactions.csv{SUFFIX}" in made.manifest["files"]
    copy = dest / FOLDER / str(run_id) / f"transactions.csv{SUFFIX}"
    assert copy.read_bytes() == (upload_dir(run_id) / copy.name).read_bytes()
    assert b"txn_id" not in copy.read_bytes()
    crypto.open_stream(
        copy, ring_file.parent / "clear", context=f"finance-upload:{run_id}:transactions.csv"
    )
    assert (ring_file.parent / "clear").read_bytes() == body
