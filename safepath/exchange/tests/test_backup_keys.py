"""`safepath backup --include-keyring` carries the instance's exchange keys with the keyring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safepath.core import backup


@pytest.mark.django_db(transaction=True)  # the backup reads the database from outside the test
def test_the_exchange_keys_go_with_the_keyring_only_when_asked(
    tmp_path: Path, settings: Any
) -> None:
    keys = tmp_path / "exchange_keys.json"
    keys.write_text('{"synthetic": "test keys"}', encoding="utf-8")
    settings.EXCHANGE_KEYS_FILE = keys
    settings.DATA_DIR = tmp_path / "data"

    without = backup.create(tmp_path / "plain", keys={})
    assert not any(name.startswith("keyring/") for name in without.manifest["files"])

    made = backup.create(tmp_path / "with", keys={}, include_keyring=True)
    assert {"keyring/keyring.json", "keyring/exchange_keys.json"} <= set(made.manifest["files"])
    copied = tmp_path / "with" / "keyring" / "exchange_keys.json"
    assert copied.read_bytes() == keys.read_bytes()
