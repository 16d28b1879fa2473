"""Uploaded files stay in memory: they are hashed and dropped, never written to disk.

Django writes uploads larger than 2.5 MB to a temporary file; the media this app receives must
not touch the disk, so its views install ``InMemoryOnlyUploadHandler`` before the body is read.
A file larger than ``ONLINE_MAX_FILE_BYTES`` is dropped while it streams in and named in
``request.oversize_files``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect


def max_file_bytes() -> int:
    return int(getattr(settings, "ONLINE_MAX_FILE_BYTES", 25 * 1024 * 1024))


class InMemoryOnlyUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = max_file_bytes()
        self.buffer = BytesIO()
        if request is not None and not hasattr(request, "oversize_files"):
            request.oversize_files = []  # type: ignore[attr-defined]

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.buffer.tell() + len(raw_data) > self.limit:
            if self.request is not None:
                self.request.oversize_files.append(self.file_name or "?")  # type: ignore[attr-defined]
            self.buffer = BytesIO()
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def install(request: HttpRequest) -> None:
    request.upload_handlers = [InMemoryOnlyUploadHandler(request)]


def in_memory_uploads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a web view that takes files: handlers installed before CSRF reads the body."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        install(request)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def client_address(request: HttpRequest) -> str:
    header = getattr(settings, "ONLINE_CLIENT_ADDRESS_HEADER", "")
    value = request.META.get(header, "") if header else ""
    return (value.split(",")[0].strip() if value else "") or request.META.get("REMOTE_ADDR", "")
