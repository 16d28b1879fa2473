"""A tracking code made before an index-key rotation still finds its feedback, and moves to the
new key when used; until then the old index key cannot be retired (issue 21, finding 2)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from safepath.accounts.models import User
from safepath.core import crypto, keyring
from safepath.participation.models import Feedback
from safepath.referrals.models import Service

pytestmark = pytest.mark.django_db
URL = "/api/v1/participation/feedback/"
STATUS = "/api/v1/participation/feedback/status/"


@pytest.fixture
def ring_file(tmp_path: Path, settings: Any) -> Iterator[Path]:
    path = tmp_path / "keyring.json"
    shutil.copy(settings.KEYRING_FILE, path)
    settings.KEYRING_FILE = path
    settings.DATA_DIR = tmp_path / "data"
    crypto.reload_keyring()
    yield path
    crypto.reload_keyring()


def test_a_code_made_under_an_older_index_key_is_found_and_re_keyed(
    ring_file: Path, service: Service, supervisor: User
) -> None:
    client = APIClient()
    sent = client.post(
        URL,
        {
            "kind": "complaint",
            "submitted_by": "child",
            "service": str(service.id),
            "message": "The food was cold.",
        },
        format="json",
    )
    code = sent.json()["tracking_code"]
    old_index = keyring.load_file(ring_file).index_active
    assert crypto.tagged_index_key(Feedback.objects.get().code_index) == old_index

    out = StringIO()
    call_command("keys", "rotate", stdout=out, verbosity=0)
    crypto.reload_keyring()
    new_index = keyring.load_file(ring_file).index_active
    assert "1 indexes of codes that people hold" in out.getvalue()
    with pytest.raises(CommandError, match=r"Still sealed under .*: 1 index"):
        call_command("keys", "retire", old_index, stdout=StringIO())

    status = client.post(STATUS, {"tracking_code": code}, format="json")

    assert status.status_code == 200
    assert crypto.tagged_index_key(Feedback.objects.get().code_index) == new_index
    call_command("keys", "retire", old_index, stdout=StringIO())
    crypto.reload_keyring()
    assert client.post(STATUS, {"tracking_code": code}, format="json").status_code == 200
