"""A report reference made before an index-key rotation still answers its status, and moves to
the new key when used (issue 21, finding 2)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from safepath.accounts.models import Agency
from safepath.audit.models import Channel
from safepath.core import crypto, keyring
from safepath.online import services
from safepath.online.models import OnlineReport
from safepath.online.services import intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring_file(tmp_path: Path, settings: Any) -> Iterator[Path]:
    path = tmp_path / "keyring.json"
    shutil.copy(settings.KEYRING_FILE, path)
    settings.KEYRING_FILE = path
    settings.DATA_DIR = tmp_path / "data"
    crypto.reload_keyring()
    yield path
    crypto.reload_keyring()


def test_a_reference_from_before_the_rotation_still_answers(
    ring_file: Path, hotline: Agency
) -> None:
    report, reference = services.report_submit(
        data=services.ReportInput(kind="image", url="https://example.org/gallery/1"),
        address="127.0.0.1",
        channel=Channel.WEB,
    )
    url_before = report.url_index

    call_command("keys", "rotate", stdout=StringIO(), verbosity=0)
    crypto.reload_keyring()
    new_index = keyring.load_file(ring_file).index_active

    fresh = OnlineReport.objects.get(pk=report.pk)
    assert fresh.url_index != url_before  # recomputed from the encrypted URL
    assert fresh.url_index == intake.url_index("https://example.org/gallery/1")
    status, _ = services.report_status_lookup(
        reference=reference, address="127.0.0.2", channel=Channel.WEB
    )
    assert status
    stored = OnlineReport.objects.get(pk=report.pk).reference_index
    assert crypto.tagged_index_key(stored) == new_index
    assert len(stored) == 32
