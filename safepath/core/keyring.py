"""Encryption keys: AES-256 keys with ids, one of them active, plus the blind-index keys.

The keyring is JSON::

    {"active": "k20261129a1b2c3", "keys": {"k20261129a1b2c3": "<base64 of 32 bytes>", ...},
     "index_active": "i1a2b3c", "index_keys": {"i1a2b3c": "<base64 of 32 bytes>", ...},
     "audit_active": "a4d5e6f", "audit_keys": {"a4d5e6f": "<base64 of 32 bytes>", ...},
     "audit_legacy_until": 0}

New ciphertexts use the active key; older keys stay in the ring until nothing sealed uses them,
so keys rotate without downtime (``safepath keys rotate``). The blind-index keys are a separate
family: they make the keyed hashes used for exact-match search and the screening signatures,
and never decrypt anything. They rotate the same way (``safepath keys rotate --index-key``).
A keyring written before index keys had ids (``"index_key": "<base64>"``) reads as one index
key with the id ``i0``.

The audit chain keys are a third family: each audit event's hash is an HMAC under one of them
(``audit/chain.py``), so someone who can write to the database but does not hold the keyring
cannot rebuild a consistent chain. They never encrypt anything and are never retired while an
event needs them. ``audit_legacy_until`` is the switch-over point: the last event written
before the chain was keyed (0 for a keyring made with its first audit key, so every event must
be keyed; absent when an older keyring got its audit key without knowing the chain's head).
A keyring from before audit keys has none: events are then written unkeyed, as before, until
``safepath keys rotate --audit-key-only`` adds one. This module has no Django in it.
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
FAMILIES = ("key", "index", "audit")
INIT_DONE = "Wrote a new keyring to {path} (mode 600). Back it up offline, apart from backups."


class KeyringError(RuntimeError):
    """The keyring is missing, malformed or lacks a key that a value needs."""


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes] = field(repr=False)
    index_active: str
    index_keys: dict[str, bytes] = field(repr=False)
    audit_active: str | None = None
    audit_keys: dict[str, bytes] = field(default_factory=dict, repr=False)
    audit_legacy_until: int | None = None

    def __post_init__(self) -> None:
        for family, active, keys in (
            ("key", self.active, self.keys),
            ("index key", self.index_active, self.index_keys),
            ("audit key", self.audit_active, self.audit_keys),
        ):
            if active is None and not keys and family == "audit key":
                continue  # a keyring from before audit keys
            if active not in keys:
                raise KeyringError(f"the active {family} {active!r} is not in the keyring")
            for key_id, key in keys.items():
                if len(key) != KEY_BYTES:
                    raise KeyringError(f"{family} {key_id!r} is {len(key)} bytes; it needs 32")
                if ":" in key_id or not key_id:
                    raise KeyringError(f"{family} id {key_id!r} may not be empty or contain ':'")
        if set(self.keys) & set(self.index_keys) or set(self.audit_keys) & (
            set(self.keys) | set(self.index_keys)
        ):
            raise KeyringError("keys of two families share an id")

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

    def with_new_audit_key(self, *, head_seq: int | None = None) -> Keyring:
        """A new active audit chain key: the events written from now on start a new segment.
        The first audit key of a keyring records ``head_seq`` (the chain's head, read under its
        lock) as the switch-over point: no event after it may be unkeyed."""
        key_id = new_audit_key_id()
        legacy_until = self.audit_legacy_until if self.audit_keys else head_seq
        return replace(
            self,
            audit_active=key_id,
            audit_keys={**self.audit_keys, key_id: secrets.token_bytes(KEY_BYTES)},
            audit_legacy_until=legacy_until,
        )

    def ids_of(self, family: str) -> dict[str, bytes]:
        """The keys of one family: ``"key"``, ``"index"`` or ``"audit"``."""
        return {"key": self.keys, "index": self.index_keys, "audit": self.audit_keys}[family]

    def active_of(self, family: str) -> str | None:
        return {"key": self.active, "index": self.index_active, "audit": self.audit_active}[family]

    def family_of(self, key_id: str) -> str | None:
        """``"key"``, ``"index"``, ``"audit"`` or None: which kind of key ``key_id`` names."""
        for family in FAMILIES:
            if key_id in self.ids_of(family):
                return family
        return None

    def without_key(self, key_id: str) -> Keyring:
        if key_id in (self.active, self.index_active, self.audit_active):
            raise KeyringError("an active key cannot be retired")
        return replace(
            self,
            keys={k: v for k, v in self.keys.items() if k != key_id},
            index_keys={k: v for k, v in self.index_keys.items() if k != key_id},
            audit_keys={k: v for k, v in self.audit_keys.items() if k != key_id},
        )

    def to_json(self) -> str:
        data: dict[str, object] = {
            "active": self.active,
            "keys": {k: _b64(v) for k, v in self.keys.items()},
            "index_active": self.index_active,
            "index_keys": {k: _b64(v) for k, v in self.index_keys.items()},
            # the active index key again, for a process of an older release still
            # running during an upgrade (it reads only this); newer ones ignore it
            "index_key": _b64(self.index_key),
        }
        if self.audit_keys:
            data["audit_active"] = self.audit_active
            data["audit_keys"] = {k: _b64(v) for k, v in self.audit_keys.items()}
            data["audit_legacy_until"] = self.audit_legacy_until
        return json.dumps(data, indent=2)


def new_key_id() -> str:
    return f"k{datetime.now(tz=UTC):%Y%m%d}{secrets.token_hex(3)}"


def new_index_key_id() -> str:
    """Short, because some index columns carry it in front of the hash (``crypto.code_index``)."""
    return f"i{secrets.token_hex(3)}"


def new_audit_key_id() -> str:
    return f"a{secrets.token_hex(3)}"


def generate() -> Keyring:
    """A new keyring: every event of a chain that starts with it is keyed (switch-over 0)."""
    key_id, index_id = new_key_id(), new_index_key_id()
    return Keyring(
        active=key_id,
        keys={key_id: secrets.token_bytes(KEY_BYTES)},
        index_active=index_id,
        index_keys={index_id: secrets.token_bytes(KEY_BYTES)},
    ).with_new_audit_key(head_seq=0)


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
        audit_keys = {
            str(k): base64.b64decode(v, validate=True)
            for k, v in (data.get("audit_keys") or {}).items()
        }
        legacy_until = data.get("audit_legacy_until")
        return Keyring(
            active=data["active"],
            keys=keys,
            index_active=index_active,
            index_keys=index_keys,
            audit_active=str(data["audit_active"]) if audit_keys else None,
            audit_keys=audit_keys,
            audit_legacy_until=int(legacy_until) if legacy_until is not None else None,
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
    else:
        ring = load_file(path)
        if not ring.audit_keys:  # made before audit keys: the chain's head is unknown here
            write_file(path, ring.with_new_audit_key())
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
