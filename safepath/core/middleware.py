"""Cross-cutting HTTP behaviour: request ids, security headers, JSON errors under /api/."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse

from safepath.core.exceptions import error_body
from safepath.core.request_context import reset_request_id, set_request_id

logger = logging.getLogger(__name__)

# No inline script or style anywhere: everything the pages need is a file under /static/.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class RequestIdMiddleware:
    """Give each request an id (or keep a well-formed incoming X-Request-ID) and echo it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        try:
            request_id = uuid.UUID(incoming)
        except ValueError:
            request_id = uuid.uuid4()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = str(request_id)
        # Server time, for load tests and browsers' dev tools (W3C Server-Timing); no content.
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.setdefault("Cache-Control", "no-store")
        return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _body_limit(request: HttpRequest) -> int:
    """The largest API request body: a file upload (multipart) may carry a file of
    MAX_UPLOAD_BYTES and its envelope; any other body, DATA_UPLOAD_MAX_MEMORY_SIZE."""
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        return max(
            settings.MAX_UPLOAD_BYTES + settings.UPLOAD_ENVELOPE_BYTES,
            settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        )
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


class ApiErrorMiddleware:
    """Under /api/, an error Django would render as HTML is answered in the API's JSON shape."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_api(request) and _declared_length(request) > _body_limit(request):
            return JsonResponse(
                error_body("The request body is too large.", "too_large"), status=413
            )
        response = self.get_response(request)
        if not _is_api(request) or response.get("Content-Type", "").startswith("application/"):
            return response
        if response.status_code == 404:
            return JsonResponse(error_body("Not found.", "not_found"), status=404)
        if response.status_code >= 400 and not settings.DEBUG:
            return JsonResponse(
                error_body("The request could not be handled.", "error"),
                status=response.status_code,
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_api(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse(
                error_body("The request body is too large.", "too_large"), status=413
            )
        if isinstance(exception, SuspiciousOperation):
            return JsonResponse(
                error_body("The request could not be read.", "bad_request"), status=400
            )
        logger.error("unhandled error on %s", request.path, exc_info=exception)
        return JsonResponse(
            error_body("Something went wrong on the server; the error was logged.", "server_error"),
            status=500,
        )
