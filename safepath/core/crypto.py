"""Field encryption (AES-256-GCM) and keyed blind indexes (HMAC-SHA256).

A stored value reads ``v1:<key id>:<base64(nonce | ciphertext | tag)>``. The associated data
binds each ciphertext to its column (``app_label.model.field``), so a value copied into another
column does not decrypt. Exact-match search uses :func:`blind_index` over a normalised value.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import threading
import time
import unicodedata
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from safepath.core import keyring as keyring_module
from safepath.core.keyring import Keyring, KeyringError

VERSION = "v1"
NONCE_BYTES = 12
RELOAD_SECONDS = 5.0


class DecryptionError(RuntimeError):
    """A stored value could not be decrypted (wrong key, wrong column, or tampering)."""


class _KeyringCache:
    """The process's keyring, reloaded when its file changes (so rotation needs no restart)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ring: Keyring | None = None
        self._stamp: float | None = None
        self._checked = 0.0

    def get(self) -> Keyring:
        now = time.monotonic()
        ring = self._ring
        if ring is not None and now - self._checked < RELOAD_SECONDS:
            return ring
        with self._lock:
            ring = self._load_if_changed()
            self._checked = now
            return ring

    def reset(self) -> None:
        with self._lock:
            self._ring, self._stamp, self._checked = None, None, 0.0

    def _load_if_changed(self) -> Keyring:
        from django.conf import settings

        path: Path | None = settings.KEYRING_FILE
        if path is None:
            if self._ring is None:
                self._ring = keyring_module.parse(
                    settings.KEYRING_JSON or "", source="SAFEPATH_KEYRING"
                )
            return self._ring
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if self._ring is None or stamp != self._stamp:
            self._ring = keyring_module.load_file(path)
            self._stamp = stamp
        return self._ring


_cache = _KeyringCache()


def current_keyring() -> Keyring:
    return _cache.get()


def reload_keyring() -> None:
    _cache.reset()


def encrypt(plaintext: str, *, context: str, ring: Keyring | None = None) -> str:
    ring = ring or current_keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.key(ring.active)).encrypt(
        nonce, plaintext.encode("utf-8"), context.encode("utf-8")
    )
    return f"{VERSION}:{ring.active}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str, *, context: str, ring: Keyring | None = None) -> str:
    """Decrypt a stored value. A value under a key this process has not seen yet (another
    process rotated the keys a moment ago) makes it reload the keyring once and try again."""
    try:
        version, key_id, payload = token.split(":", 2)
    except ValueError:
        raise DecryptionError(f"{context}: stored value is not a SafePath ciphertext") from None
    if version != VERSION:
        raise DecryptionError(f"{context}: unknown ciphertext version {version!r}")
    if ring is None:
        ring = current_keyring()
        if key_id not in ring.keys:
            reload_keyring()
            ring = current_keyring()
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError(f"{context}: stored value is not valid base64") from None
    try:
        clear = AESGCM(ring.key(key_id)).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8")
        )
    except InvalidTag:
        raise DecryptionError(f"{context}: authentication failed (key, column or data)") from None
    except KeyringError as error:
        raise DecryptionError(f"{context}: {error}") from None
    return clear.decode("utf-8")


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def normalise_for_index(value: str) -> str:
    """The form two spellings share to match exactly: NFKC, case-folded, single-spaced."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(folded.split())


def blind_index(
    value: str, *, purpose: str, ring: Keyring | None = None, key_id: str | None = None
) -> str:
    """A keyed hash of the normalised value; ``purpose`` keeps indexes of different fields apart.
    Made with the active index key unless ``key_id`` names another index key of the ring."""
    ring = ring or current_keyring()
    key_id = key_id or ring.index_active
    try:
        key = ring.index_keys[key_id]
    except KeyError:
        raise KeyringError(f"there is no index key {key_id!r} in the keyring") from None
    message = f"{purpose}\x1f{normalise_for_index(value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def blind_indexes(value: str, *, purpose: str, ring: Keyring | None = None) -> list[str]:
    """The value's index under every index key of the ring, the active one first: what a search
    looks for while an index-key rotation is recomputing the stored indexes."""
    ring = ring or current_keyring()
    order = [ring.index_active, *(k for k in ring.index_keys if k != ring.index_active)]
    return [blind_index(value, purpose=purpose, ring=ring, key_id=key_id) for key_id in order]


def tagged_index(
    value: str,
    *,
    purpose: str,
    width: int = 32,
    ring: Keyring | None = None,
    key_id: str | None = None,
) -> str:
    """A blind index that names its key: ``<index key id>:<hash>`` in ``width`` characters.

    For secrets a person holds and SafePath never stores (tracking codes, report references):
    rotation cannot recompute their indexes, so each names the key that made it; a lookup tries
    every key (:func:`tagged_indexes`) and the service re-keys it then. Indexes made under the
    legacy key ``i0`` carry no id, as before index keys had ids."""
    ring = ring or current_keyring()
    key_id = key_id or ring.index_active
    digest = blind_index(value, purpose=purpose, ring=ring, key_id=key_id)
    if key_id == keyring_module.LEGACY_INDEX_ID:
        return digest[:width]
    prefix = f"{key_id}:"
    return prefix + digest[: width - len(prefix)]


def tagged_indexes(
    value: str, *, purpose: str, width: int = 32, ring: Keyring | None = None
) -> list[str]:
    """The value's tagged index under every index key of the ring, the active one first."""
    ring = ring or current_keyring()
    order = [ring.index_active, *(k for k in ring.index_keys if k != ring.index_active)]
    return [
        tagged_index(value, purpose=purpose, width=width, ring=ring, key_id=key_id)
        for key_id in order
    ]


def tagged_index_key(index: str) -> str:
    """The id of the index key a :func:`tagged_index` was made with."""
    key_id, colon, _ = index.partition(":")
    return key_id if colon else keyring_module.LEGACY_INDEX_ID
