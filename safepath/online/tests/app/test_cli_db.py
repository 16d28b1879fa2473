"""``safepath online import-bank | banks | match --bank NAME | escalate`` on the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safepath.accounts.models import User
from safepath.online.models import BankSignal, HashBank
from safepath.online.tests import images
from safepath.online.tests.app.conftest import KNOWN_SEEDS, SMALL, bank_text
from safepath.online.tests.engine.test_cli import call_cli


@pytest.mark.django_db
def test_import_then_match_a_stored_bank(hotline_supervisor: User, tmp_path: Path) -> None:
    listing = tmp_path / "known.txt"
    listing.write_bytes(bank_text())
    code, stdout, _ = call_cli(
        "online",
        "import-bank",
        str(listing),
        "--name",
        "cli-bank",
        "--user",
        "hotline.supervisor",
        "--source",
        "tests",
        "--licence",
        "tests",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(stdout)["added"] == 6
    code, stdout, _ = call_cli("online", "banks", "--format", "json")
    assert json.loads(stdout)[0]["signals"] == 6
    picture = tmp_path / "copy.jpg"
    picture.write_bytes(images.half_size_jpeg(KNOWN_SEEDS[0], **SMALL))
    code, stdout, _ = call_cli(
        "online", "match", str(picture), "--bank", "cli-bank", "--format", "json"
    )
    assert code == 0
    assert json.loads(stdout)[0]["matches"][0]["bank"] == "cli-bank"


@pytest.mark.django_db
def test_a_malformed_list_stores_nothing(hotline_supervisor: User, tmp_path: Path) -> None:
    listing = tmp_path / "bad.csv"
    listing.write_text("hash_type,hash\npdq," + "a" * 64 + "\nmd5,zz\n")
    code, _, stderr = call_cli(
        "online",
        "import-bank",
        str(listing),
        "--name",
        "bad",
        "--user",
        "hotline.supervisor",
        "--source",
        "s",
        "--licence",
        "l",
    )
    assert code == 2
    assert f"{listing}, line 3" in stderr
    assert not HashBank.objects.exists()
    assert not BankSignal.objects.exists()


@pytest.mark.django_db
def test_escalate_prints_json() -> None:
    code, stdout, _ = call_cli("online", "escalate", "--format", "json")
    assert code == 0
    assert json.loads(stdout) == {"escalated": [], "people": 0}


@pytest.mark.django_db
def test_an_unknown_bank_exits_2(tmp_path: Path) -> None:
    picture = tmp_path / "p.png"
    picture.write_bytes(images.png(1, **SMALL))
    code, stdout, stderr = call_cli("online", "match", str(picture), "--bank", "nowhere")
    assert code == 2
    assert "nowhere: unknown bank" in stderr
    assert stdout == ""
