"""The files of a screening run, kept sealed until the worker has screened them.

A bank's transactions and customers name people and their money, so they are never on disk in
the clear while they wait: each upload is sealed as it arrives (AES-256-GCM streamed through the
field-encryption keyring, ``finance/uploads/<run>/<role>.<format>.sealed``, the run and role as
associated data) and opened into a private temporary folder only while the engine reads it;
both are removed when the run ends. Key rotation re-seals waiting files, ``keys retire`` refuses
while one needs the key, and ``safepath backup`` holds the folder, so a queued run survives a
restore.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

from safepath.core import crypto
from safepath.core.keyring import Keyring
from safepath.core.rotation import Family, Progress

SUFFIX = ".sealed"
FOLDER = "finance/uploads"


class Upload(Protocol):
    """What a run needs of an uploaded file (Django's UploadedFile and File both fit)."""

    name: str | None

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]: ...


def upload_dir(run_id: uuid.UUID | str) -> Path:
    return Path(settings.DATA_DIR) / FOLDER / str(run_id)


def _context(run_id: uuid.UUID | str, name: str) -> str:
    return f"finance-upload:{run_id}:{name}"


def store(upload: Upload, run_id: uuid.UUID, name: str) -> dict[str, Any]:
    """Seal ``upload`` as the run's file ``name`` (e.g. ``transactions.csv``): its SHA-256,
    size and format, counted over the clear bytes as they stream through."""
    digest = hashlib.sha256()
    size = 0

    def counted() -> Iterator[bytes]:
        nonlocal size
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
            yield chunk

    directory = upload_dir(run_id)
    directory.mkdir(parents=True, exist_ok=True)
    crypto.seal_stream(counted(), directory / f"{name}{SUFFIX}", context=_context(run_id, name))
    return {"sha256": digest.hexdigest(), "size": size, "format": Path(name).suffix.lstrip(".")}


def discard(run_id: uuid.UUID | str) -> None:
    shutil.rmtree(upload_dir(run_id), ignore_errors=True)


@contextmanager
def opened(run_id: uuid.UUID | str, names: Iterable[str]) -> Iterator[dict[str, Path]]:
    """The run's files in the clear, in a folder only this process's user can read, removed on
    leaving (whatever happens). Raises DecryptionError if a file was tampered with."""
    with tempfile.TemporaryDirectory(prefix="safepath-finance-") as folder:
        os.chmod(folder, 0o700)
        paths: dict[str, Path] = {}
        for name in names:
            clear = Path(folder) / name
            crypto.open_stream(
                upload_dir(run_id) / f"{name}{SUFFIX}", clear, context=_context(run_id, name)
            )
            paths[name] = clear
        yield paths


# --- key rotation ------------------------------------------------------------------------------


def sealed_files() -> Iterator[Path]:
    folder = Path(settings.DATA_DIR) / FOLDER
    if folder.is_dir():
        yield from sorted(folder.glob(f"*/*{SUFFIX}"))


class SealedUploads:
    """Waiting screening files, for ``keys status|rotate|retire`` (core/rotation.py)."""

    kind = "finance uploads"
    family: Family = "key"
    label = "finance uploads"
    recomputable = True

    def count_under(self, ring: Keyring, key_id: str) -> int:
        return sum(1 for path in sealed_files() if crypto.stream_key_id(path) == key_id)

    def count_not_under_active(self, ring: Keyring) -> int:
        return sum(
            1 for path in sealed_files() if crypto.stream_key_id(path) not in (ring.active, None)
        )

    def rotate(self, ring: Keyring, progress: Progress) -> tuple[int, int]:
        """Re-seal each waiting file under the active key. A file the worker took meanwhile
        (screened and removed) is skipped: it needs no key any more."""
        moved = skipped = 0
        for path in sealed_files():
            if crypto.stream_key_id(path) in (ring.active, None):
                continue
            name = path.name.removesuffix(SUFFIX)
            context = _context(path.parent.name, name)
            try:
                with tempfile.TemporaryDirectory(prefix="safepath-rekey-") as folder:
                    os.chmod(folder, 0o700)
                    clear = Path(folder) / name
                    crypto.open_stream(path, clear, context=context, ring=ring)
                    with clear.open("rb") as handle:
                        chunks = iter(lambda: handle.read(crypto.STREAM_CHUNK), b"")
                        if not path.exists():
                            raise FileNotFoundError(path)
                        crypto.seal_stream(chunks, path, context=context, ring=ring)
                moved += 1
            except FileNotFoundError:
                skipped += 1
            if progress:
                progress(1)
        return moved, skipped


def sealed_things() -> list[SealedUploads]:
    return [SealedUploads()]
