"""Domain errors, and the one place that turns any error into the API's JSON shape.

Every API error body is ``{"detail": "<readable sentence>", "code": "<code>"}``; validation
errors add ``"fields": {"<field>": ["<message>", ...]}`` naming each field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework import status
from rest_framework.response import Response


class ApplicationError(Exception):
    """A domain rule refused an action. ``code`` is stable; ``message`` is for people."""

    code = "refused"
    http_status: int = status.HTTP_400_BAD_REQUEST

    def __init__(
        self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None
    ):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    """The object does not exist, or the caller may not know that it does."""

    code = "not_found"
    http_status = status.HTTP_404_NOT_FOUND


class PermissionDeniedError(ApplicationError):
    """The caller may see the object but may not do this to it."""

    code = "permission_denied"
    http_status = status.HTTP_403_FORBIDDEN


class ConflictError(ApplicationError):
    """Someone else changed the object since the caller read it."""

    code = "conflict"
    http_status = status.HTTP_409_CONFLICT


class FieldValidationError(ApplicationError):
    """Input failed validation; ``fields`` maps each field to its messages."""

    code = "invalid"

    def __init__(self, fields: dict[str, list[str]], message: str = "Some fields are not valid."):
        super().__init__(message, extra={"fields": fields})
        self.fields = fields


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        flat: list[Any] = []
        for item in detail:
            value = _flatten(item)
            flat.append(value)
        return flat
    return str(detail)


def _dotted(fields: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"child": {"given_name": [...]}} becomes {"child.given_name": [...]}."""
    flat: dict[str, Any] = {}
    for key, value in fields.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_dotted(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _field_messages(detail: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(detail, dict):
        fields = _dotted(_flatten(detail))
        general = fields.pop("non_field_errors", None)
        if general and not fields:
            return " ".join(general), {}
        named = ", ".join(sorted(fields))
        sentence = f"Some fields are not valid: {named}." if named else "The request is not valid."
        if general:
            sentence = f"{' '.join(general)} {sentence}"
        return sentence, fields
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail), {}
    return str(detail), {}


def error_body(detail: str, code: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail, "code": code}
    if fields:
        body["fields"] = fields
    return body


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, FieldValidationError):
        return Response(error_body(exc.message, exc.code, exc.fields), status=exc.http_status)
    if isinstance(exc, ApplicationError):
        return Response({**exc.extra, **error_body(exc.message, exc.code)}, status=exc.http_status)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("The request body is too large.", "too_large"),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):
        exc = drf.ParseError("The request could not be read.")
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf.ValidationError):
        sentence, fields = _field_messages(exc.detail)
        response.data = error_body(sentence, "invalid", fields)
    elif isinstance(exc, drf.APIException):
        detail = exc.detail
        text = detail if isinstance(detail, str) else _field_messages(detail)[0]
        codes = exc.get_codes()
        response.data = error_body(str(text), codes if isinstance(codes, str) else exc.default_code)
    return response
