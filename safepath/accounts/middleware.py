"""Pages that show identifying data need a second factor for the roles that read it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from safepath.accounts.models import User
from safepath.accounts.services import two_factor_is_satisfied

# Paths a signed-in user without a second factor may still reach. The web shell's offline
# support (service worker, web app manifest, offline page) and the public tracing lists show no
# identifying data and must load on every page, the sign-in steps included.
OPEN_PREFIXES = (
    "/accounts/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/api/",
    "/favicon",
    "/sw.js",
    "/manifest.webmanifest",
    "/offline/",
    "/tracing-lists/",
)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and not request.path.startswith(OPEN_PREFIXES)
            and not two_factor_is_satisfied(user, verified=user.is_verified())  # type: ignore[attr-defined]
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)
