"""The current request's id, readable anywhere in the request (audit events, log lines)."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

_request_id: ContextVar[uuid.UUID | None] = ContextVar("safepath_request_id", default=None)


def current_request_id() -> uuid.UUID | None:
    return _request_id.get()


def set_request_id(value: uuid.UUID | None) -> object:
    return _request_id.set(value)


def reset_request_id(token: object) -> None:
    _request_id.reset(token)  # type: ignore[arg-type]
