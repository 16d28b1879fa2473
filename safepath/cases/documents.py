"""Uploaded documents: checked by their bytes (not their name), encrypted, stored as files.

A file's content is sealed with the field-encryption keyring (AES-256-GCM, the document id as
associated data), so a copied file cannot be read nor swapped for another document's file.
Key rotation re-seals the files too (:class:`SealedDocuments`, registered in ``apps.py``), and
``safepath backup`` copies the folder with the database.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from safepath.core import crypto
from safepath.core.exceptions import FieldValidationError
from safepath.core.keyring import Keyring
from safepath.core.rotation import Family, Progress
from safepath.core.uploads import upload_limit_text

# What a caseworker uploads: scans and photos of documents, and PDFs. Known by magic numbers.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def too_large_message() -> str:
    return _("The file is larger than %(limit)s.") % {"limit": upload_limit_text()}


# HTML inside a PDF or image (a polyglot) is how a file meant to be viewed becomes a page that
# runs script if a browser or another program is ever led to read it as HTML. Refused: an HTML
# tag of four letters or more followed by a space, "/" or ">", an SVG root with a namespace or an
# event handler, or a javascript: URL. Legitimate PDFs and images carry XML metadata (XMP:
# <?xpacket, <x:xmpmeta, <rdf:RDF) and PDF hex strings (<FEFF0041>), none of which match, and
# compressed bytes match by chance a few times in a million per megabyte.
_HTML_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|frameset|frame|object|embed|meta"
    rb"|style|link|form|base|title|math|template)[\s/>]"
    rb"|<svg\s[^>]{0,200}?(?:xmlns|\bon[a-z]+\s*=)"
    rb"|javascript:",
    re.IGNORECASE,
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
    if len(content) > settings.MAX_UPLOAD_BYTES:
        raise FieldValidationError({"file": [too_large_message()]})
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            if _HTML_MARKUP.search(content):
                raise FieldValidationError(
                    {
                        "file": [
                            _(
                                "The file has web-page markup (HTML) hidden inside it and is "
                                "refused. Save or scan it again as a plain PDF or image."
                            )
                        ]
                    }
                )
            return CheckedFile(content, content_type, hashlib.sha256(content).hexdigest())
    raise FieldValidationError({"file": [_("Upload a PDF, PNG or JPEG file.")]})


def documents_dir() -> Path:
    return Path(settings.DATA_DIR) / "documents"


def _path(document_id: uuid.UUID) -> Path:
    folder = documents_dir() / str(document_id)[:2]
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{document_id}.sealed"


def _context(document_id: uuid.UUID | str) -> str:
    return f"document:{document_id}"


def store(document_id: uuid.UUID, content: bytes) -> None:
    sealed = crypto.encrypt(
        base64.b64encode(content).decode("ascii"), context=_context(document_id)
    )
    _path(document_id).write_text(sealed, encoding="ascii")


def load(document_id: uuid.UUID, sha256: str) -> bytes:
    sealed = _path(document_id).read_text(encoding="ascii")
    content = base64.b64decode(crypto.decrypt(sealed, context=_context(document_id)))
    if hashlib.sha256(content).hexdigest() != sha256:
        raise crypto.DecryptionError(f"document {document_id}: digest does not match")
    return content


def remove(document_id: uuid.UUID) -> None:
    _path(document_id).unlink(missing_ok=True)


# --- key rotation ------------------------------------------------------------------------------


def sealed_files() -> Iterator[Path]:
    """Every sealed file in the documents folder, with or without its row."""
    folder = documents_dir()
    if folder.is_dir():
        yield from sorted(folder.glob("*/*.sealed"))


def _key_id(path: Path) -> str | None:
    try:
        with path.open("r", encoding="ascii") as handle:
            head = handle.read(64)
    except FileNotFoundError:  # removed meanwhile
        return None
    return crypto.key_id_of(head) if head.count(":") >= 2 else None


class SealedDocuments:
    """The document files, for ``keys status|rotate|retire`` (core/rotation.py)."""

    kind = "documents"
    family: Family = "key"
    label = "cases documents"
    recomputable = True

    def count_under(self, ring: Keyring, key_id: str) -> int:
        return sum(1 for path in sealed_files() if _key_id(path) == key_id)

    def count_not_under_active(self, ring: Keyring) -> int:
        return sum(1 for path in sealed_files() if _key_id(path) not in (ring.active, None))

    def rotate(self, ring: Keyring, progress: Progress) -> tuple[int, int]:
        """Re-seal each file under the active key: written beside it, then renamed over it (a
        reader sees the old file or the new, never half of one). Documents never change once
        stored, so a file that changed or went meanwhile is skipped, and never brought back."""
        moved = skipped = 0
        for path in sealed_files():
            key_id = _key_id(path)
            if key_id in (ring.active, None):
                continue
            try:
                old = path.read_text(encoding="ascii")
            except FileNotFoundError:
                skipped += 1
                continue
            context = _context(path.stem)
            clear = crypto.decrypt(old, context=context, ring=ring)
            temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            temporary.write_text(crypto.encrypt(clear, context=context, ring=ring), "ascii")
            try:
                current = path.read_text(encoding="ascii")
            except FileNotFoundError:
                current = None
            if current != old:
                temporary.unlink()
                skipped += 1
            else:
                temporary.replace(path)
                moved += 1
            if progress:
                progress(1)
        return moved, skipped


def sealed_things() -> list[SealedDocuments]:
    return [SealedDocuments()]
