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
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
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


# --- large files -------------------------------------------------------------------------------
#
# A file too large to hold in memory (a bank's transactions) is sealed as a stream: one header
# line ``s1:<key id>:<base64 nonce>\n``, then the AES-256-GCM ciphertext, then its 16-byte tag.
# The context is the associated data, as for field values, so a file copied under another name
# does not open. Opening writes the clear bytes to ``dest`` and removes them again unless the tag
# checks out: nothing that failed authentication is ever left for a reader.

STREAM_VERSION = "s1"
TAG_BYTES = 16
STREAM_CHUNK = 1 << 20
_HEADER_MAX = 128


def seal_stream(
    chunks: Iterable[bytes], dest: Path, *, context: str, ring: Keyring | None = None
) -> None:
    """Write ``chunks`` sealed into ``dest`` (written beside it, then renamed over it)."""
    ring = ring or current_keyring()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(ring.key(ring.active)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(context.encode("utf-8"))
    header = f"{STREAM_VERSION}:{ring.active}:{base64.b64encode(nonce).decode('ascii')}\n"
    partial = dest.with_name(f"{dest.name}.{os.getpid()}.tmp")
    try:
        with partial.open("wb") as out:
            out.write(header.encode("ascii"))
            for chunk in chunks:
                out.write(encryptor.update(chunk))
            out.write(encryptor.finalize())
            out.write(encryptor.tag)
        partial.replace(dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _stream_header(handle: BinaryIO, context: str) -> tuple[str, bytes]:
    line = handle.readline(_HEADER_MAX)
    try:
        version, key_id, nonce = line.decode("ascii").rstrip("\n").split(":")
        raw_nonce = base64.b64decode(nonce, validate=True)
    except (UnicodeDecodeError, ValueError, binascii.Error):
        raise DecryptionError(f"{context}: not a SafePath sealed file") from None
    if version != STREAM_VERSION or len(raw_nonce) != NONCE_BYTES:
        raise DecryptionError(f"{context}: unknown sealed-file version {version!r}")
    return key_id, raw_nonce


def stream_key_id(path: Path) -> str | None:
    """The key a sealed file is under; None if it went meanwhile or is not a sealed file."""
    try:
        with path.open("rb") as handle:
            return _stream_header(handle, str(path))[0]
    except (FileNotFoundError, DecryptionError):
        return None


def open_stream(source: Path, dest: Path, *, context: str, ring: Keyring | None = None) -> int:
    """Write the clear bytes of the sealed file ``source`` into ``dest``; their size.

    Raises DecryptionError (and leaves no ``dest``) if the key, the context or a byte is wrong."""
    with source.open("rb") as handle:
        key_id, nonce = _stream_header(handle, context)
        body = source.stat().st_size - handle.tell() - TAG_BYTES
        if body < 0:
            raise DecryptionError(f"{context}: the sealed file is cut short")
        if ring is None:
            ring = current_keyring()
            if key_id not in ring.keys:
                reload_keyring()
                ring = current_keyring()
        try:
            key = ring.key(key_id)
        except KeyringError as error:
            raise DecryptionError(f"{context}: {error}") from None
        start = handle.tell()
        handle.seek(start + body)
        tag = handle.read(TAG_BYTES)
        handle.seek(start)
        decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(context.encode("utf-8"))
        size = 0
        try:
            with dest.open("wb") as out:
                left = body
                while left:
                    chunk = handle.read(min(STREAM_CHUNK, left))
                    if not chunk:
                        raise DecryptionError(f"{context}: the sealed file is cut short")
                    left -= len(chunk)
                    size += len(chunk)
                    out.write(decryptor.update(chunk))
                try:
                    out.write(decryptor.finalize())
                except InvalidTag:
                    raise DecryptionError(
                        f"{context}: authentication failed (key, name or data)"
                    ) from None
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
    return size
