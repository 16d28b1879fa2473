"""Uploaded documents: checked by their bytes (not their name), encrypted, stored as files.

A file's content is sealed with the field-encryption keyring (AES-256-GCM, the document id as
associated data), so a copied file cannot be read nor swapped for another document's file.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from safepath.core import crypto
from safepath.core.exceptions import FieldValidationError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# What a caseworker uploads: scans and photos of documents, and PDFs. Known by magic numbers.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str


def check_upload(content: bytes) -> CheckedFile:
    """The file's real type and digest, or a field error naming what is wrong."""
    if not content:
        raise FieldValidationError({"file": [_("The file is empty.")]})
    if len(content) > MAX_DOCUMENT_BYTES:
        raise FieldValidationError(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": MAX_DOCUMENT_BYTES >> 20}]}
        )
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            return CheckedFile(content, content_type, hashlib.sha256(content).hexdigest())
    raise FieldValidationError({"file": [_("Upload a PDF, PNG or JPEG file.")]})


def _path(document_id: uuid.UUID) -> Path:
    folder = Path(settings.DATA_DIR) / "documents" / str(document_id)[:2]
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{document_id}.sealed"


def store(document_id: uuid.UUID, content: bytes) -> None:
    sealed = crypto.encrypt(
        base64.b64encode(content).decode("ascii"), context=f"document:{document_id}"
    )
    _path(document_id).write_text(sealed, encoding="ascii")


def load(document_id: uuid.UUID, sha256: str) -> bytes:
    sealed = _path(document_id).read_text(encoding="ascii")
    content = base64.b64decode(crypto.decrypt(sealed, context=f"document:{document_id}"))
    if hashlib.sha256(content).hexdigest() != sha256:
        raise crypto.DecryptionError(f"document {document_id}: digest does not match")
    return content


def remove(document_id: uuid.UUID) -> None:
    _path(document_id).unlink(missing_ok=True)
