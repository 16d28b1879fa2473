"""Encryption keys: AES-256 keys with ids, one of them active, plus the blind-index key.

The keyring is JSON::

    {"active": "k-20261129-1a2b", "keys": {"k-20261129-1a2b": "<base64 of 32 bytes>", ...},
     "index_key": "<base64 of 32 bytes>"}

New ciphertexts use the active key; older keys stay in the ring until no value uses them,
so keys rotate without downtime (``safepath keys rotate``). The blind-index key is separate:
it makes the keyed hashes used for exact-match search and never decrypts anything.
This module has no Django in it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

KEY_BYTES = 32
INIT_DONE = "Wrote a new keyring to {path} (mode 600). Back it up offline, apart from backups."


class KeyringError(RuntimeError):
    """The keyring is missing, malformed or lacks a key that a value needs."""


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes] = field(repr=False)
    index_key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if self.active not in self.keys:
            raise KeyringError(f"the active key {self.active!r} is not in the keyring")
        for key_id, key in self.keys.items():
            if len(key) != KEY_BYTES:
                raise KeyringError(f"key {key_id!r} is {len(key)} bytes; AES-256 needs 32")
            if ":" in key_id:
                raise KeyringError(f"key id {key_id!r} may not contain ':'")
        if len(self.index_key) != KEY_BYTES:
            raise KeyringError("the index key must be 32 bytes")

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(
                f"a value is encrypted under key {key_id!r}, which is not in the keyring"
            ) from None

    def with_new_active_key(self) -> Keyring:
        key_id = new_key_id()
        return Keyring(
            active=key_id,
            keys={**self.keys, key_id: secrets.token_bytes(KEY_BYTES)},
            index_key=self.index_key,
        )

    def without_key(self, key_id: str) -> Keyring:
        if key_id == self.active:
            raise KeyringError("the active key cannot be retired")
        return Keyring(
            active=self.active,
            keys={k: v for k, v in self.keys.items() if k != key_id},
            index_key=self.index_key,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "active": self.active,
                "keys": {k: _b64(v) for k, v in self.keys.items()},
                "index_key": _b64(self.index_key),
            },
            indent=2,
        )


def new_key_id() -> str:
    return f"k{datetime.now(tz=UTC):%Y%m%d}{secrets.token_hex(3)}"


def generate() -> Keyring:
    key_id = new_key_id()
    return Keyring(
        active=key_id,
        keys={key_id: secrets.token_bytes(KEY_BYTES)},
        index_key=secrets.token_bytes(KEY_BYTES),
    )


def parse(text: str, *, source: str) -> Keyring:
    try:
        data = json.loads(text)
        return Keyring(
            active=data["active"],
            keys={str(k): base64.b64decode(v, validate=True) for k, v in data["keys"].items()},
            index_key=base64.b64decode(data["index_key"], validate=True),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise KeyringError(f"{source}: not a SafePath keyring ({error})") from error


def load_file(path: Path) -> Keyring:
    try:
        return parse(path.read_text(encoding="utf-8"), source=str(path))
    except FileNotFoundError:
        raise KeyringError(
            f"keyring file {path} does not exist; create one with `safepath keys init`"
        ) from None


def write_file(path: Path, ring: Keyring) -> None:
    """Replace the keyring file atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(ring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def create_file(path: Path) -> Keyring:
    """A new keyring at ``path``; refuses to overwrite one (that would lose every key)."""
    if path.exists():
        raise KeyringError(f"{path} exists; refusing to overwrite a keyring")
    ring = generate()
    write_file(path, ring)
    return ring


def local_keyring_file(secrets_dir: Path) -> Path:
    """Demo and development only: a keyring kept in the data directory, made on first use."""
    path = secrets_dir / "keyring.json"
    if not path.exists():
        write_file(path, generate())
    return path


def local_secret(secrets_dir: Path) -> str:
    """Demo and development only: Django's secret key kept in the data directory."""
    path = secrets_dir / "secret_key"
    if not path.exists():
        secrets_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
