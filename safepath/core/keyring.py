"""Encryption keys: AES-256 keys with ids, one of them active, plus the blind-index keys.

The keyring is JSON::

    {"active": "k20261129a1b2c3", "keys": {"k20261129a1b2c3": "<base64 of 32 bytes>", ...},
     "index_active": "i1a2b3c", "index_keys": {"i1a2b3c": "<base64 of 32 bytes>", ...}}

New ciphertexts use the active key; older keys stay in the ring until nothing sealed uses them,
so keys rotate without downtime (``safepath keys rotate``). The blind-index keys are a separate
family: they make the keyed hashes used for exact-match search and the screening signatures,
and never decrypt anything. They rotate the same way (``safepath keys rotate --index-key``).
A keyring written before index keys had ids (``"index_key": "<base64>"``) reads as one index
key with the id ``i0``. This module has no Django in it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

KEY_BYTES = 32
LEGACY_INDEX_ID = "i0"
INIT_DONE = "Wrote a new keyring to {path} (mode 600). Back it up offline, apart from backups."


class KeyringError(RuntimeError):
    """The keyring is missing, malformed or lacks a key that a value needs."""


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes] = field(repr=False)
    index_active: str
    index_keys: dict[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        for family, active, keys in (
            ("key", self.active, self.keys),
            ("index key", self.index_active, self.index_keys),
        ):
            if active not in keys:
                raise KeyringError(f"the active {family} {active!r} is not in the keyring")
            for key_id, key in keys.items():
                if len(key) != KEY_BYTES:
                    raise KeyringError(f"{family} {key_id!r} is {len(key)} bytes; it needs 32")
                if ":" in key_id or not key_id:
                    raise KeyringError(f"{family} id {key_id!r} may not be empty or contain ':'")
        if set(self.keys) & set(self.index_keys):
            raise KeyringError("an encryption key and an index key share an id")

    @property
    def index_key(self) -> bytes:
        """The active blind-index key: every new index and signature is made with it."""
        return self.index_keys[self.index_active]

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(
                f"a value is encrypted under key {key_id!r}, which is not in the keyring"
            ) from None

    def with_new_active_key(self) -> Keyring:
        key_id = new_key_id()
        return replace(
            self, active=key_id, keys={**self.keys, key_id: secrets.token_bytes(KEY_BYTES)}
        )

    def with_new_index_key(self) -> Keyring:
        key_id = new_index_key_id()
        return replace(
            self,
            index_active=key_id,
            index_keys={**self.index_keys, key_id: secrets.token_bytes(KEY_BYTES)},
        )

    def family_of(self, key_id: str) -> str | None:
        """``"key"``, ``"index"`` or None: which kind of key ``key_id`` names in this ring."""
        if key_id in self.keys:
            return "key"
        return "index" if key_id in self.index_keys else None

    def without_key(self, key_id: str) -> Keyring:
        if key_id in (self.active, self.index_active):
            raise KeyringError("an active key cannot be retired")
        return replace(
            self,
            keys={k: v for k, v in self.keys.items() if k != key_id},
            index_keys={k: v for k, v in self.index_keys.items() if k != key_id},
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "active": self.active,
                "keys": {k: _b64(v) for k, v in self.keys.items()},
                "index_active": self.index_active,
                "index_keys": {k: _b64(v) for k, v in self.index_keys.items()},
                # the active index key again, for a process of an older release still
                # running during an upgrade (it reads only this); newer ones ignore it
                "index_key": _b64(self.index_key),
            },
            indent=2,
        )


def new_key_id() -> str:
    return f"k{datetime.now(tz=UTC):%Y%m%d}{secrets.token_hex(3)}"


def new_index_key_id() -> str:
    """Short, because some index columns carry it in front of the hash (``crypto.code_index``)."""
    return f"i{secrets.token_hex(3)}"


def generate() -> Keyring:
    key_id, index_id = new_key_id(), new_index_key_id()
    return Keyring(
        active=key_id,
        keys={key_id: secrets.token_bytes(KEY_BYTES)},
        index_active=index_id,
        index_keys={index_id: secrets.token_bytes(KEY_BYTES)},
    )


def parse(text: str, *, source: str) -> Keyring:
    try:
        data = json.loads(text)
        keys = {str(k): base64.b64decode(v, validate=True) for k, v in data["keys"].items()}
        if "index_keys" in data:
            index_active = str(data["index_active"])
            index_keys = {
                str(k): base64.b64decode(v, validate=True) for k, v in data["index_keys"].items()
            }
        else:  # a keyring from before index keys had ids
            index_active = LEGACY_INDEX_ID
            index_keys = {LEGACY_INDEX_ID: base64.b64decode(data["index_key"], validate=True)}
        return Keyring(
            active=data["active"], keys=keys, index_active=index_active, index_keys=index_keys
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
