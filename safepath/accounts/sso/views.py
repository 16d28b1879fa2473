"""The two pages of an OpenID Connect sign-in (authorization-code flow with PKCE).

``/accounts/sso/<provider>/`` sends the browser to the provider with a fresh state, nonce and
PKCE verifier kept in the session; ``/accounts/sso/<provider>/callback/`` checks the state,
exchanges the code (with the verifier and the client secret), validates the ID token
(tokens.py) and signs the person in by the administrator's rules (services.py). A refusal shows
a page that says what to do, with HTTP 403, and signs nobody in.
"""

from __future__ import annotations

import re
from typing import Any

from authlib.integrations.base_client import OAuthError
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login

from safepath.accounts.services import two_factor_is_satisfied
from safepath.accounts.sso.providers import (
    Provider,
    ProviderError,
    oidc_client,
    provider_keys,
    provider_metadata,
    provider_named,
)
from safepath.accounts.sso.services import SsoRefusedError, sso_refuse, sso_sign_in
from safepath.accounts.sso.tokens import IdTokenError, id_token_claims

NEXT_KEY = "sso_next"
OAUTH_ERROR = re.compile(r"[a-z_]{1,40}")
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _provider(key: str) -> Provider:
    provider = provider_named(key)
    if provider is None:
        raise Http404
    return provider


def _refused(request: HttpRequest, provider: Provider, refused: SsoRefusedError) -> HttpResponse:
    return render(
        request,
        "accounts/sso_refused.html",
        {"message": refused.message, "provider": provider},
        status=403,
    )


@never_cache
@require_GET
def sso_start(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = _provider(provider)
    try:
        provider_metadata(chosen)
    except ProviderError as error:
        return _refused(request, chosen, sso_refuse(provider=chosen, reason=str(error)))
    target = request.GET.get("next", "")
    request.session[NEXT_KEY] = (
        target
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else "/"
    )
    callback = request.build_absolute_uri(reverse("accounts:sso_callback", args=[chosen.key]))
    response: HttpResponse = oidc_client(chosen).authorize_redirect(request, callback)
    return response


def _claims(request: HttpRequest, provider: Provider) -> dict[str, Any]:
    """The validated ID token's claims for this callback, or SsoRefusedError (audited)."""
    client = oidc_client(provider)
    state = request.GET.get("state", "")
    data = client.framework.get_state_data(request.session, state) if state else None
    if state:
        client.framework.clear_state_data(request.session, state)  # one use only
    if request.GET.get("error"):
        # The provider's own error code (access_denied, login_required...) is an OAuth word,
        # kept when it looks like one; its free-text description is not.
        error = request.GET["error"]
        code = error if OAUTH_ERROR.fullmatch(error) else "other"
        raise sso_refuse(provider=provider, reason="provider_denied", extra={"error": code})
    if not data or not request.GET.get("code"):
        raise sso_refuse(provider=provider, reason="state_mismatch")
    # RFC 9207: a provider that names itself in the response must be the one asked.
    if "iss" in request.GET and request.GET["iss"] != provider.issuer:
        raise sso_refuse(provider=provider, reason="issuer_mismatch")
    try:
        token = client.fetch_access_token(
            redirect_uri=data["redirect_uri"],
            code=request.GET["code"],
            code_verifier=data["code_verifier"],
        )
        keys = provider_keys(provider)
    except (OAuthError, ProviderError, OSError, ValueError):
        raise sso_refuse(provider=provider, reason="token_exchange_failed") from None
    raw = token.get("id_token")
    if not isinstance(raw, str):
        raise sso_refuse(provider=provider, reason="no_id_token")
    check = {
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "nonce": data["nonce"],
        "access_token": token.get("access_token"),
    }
    try:
        try:
            return id_token_claims(raw, jwks=keys, **check)
        except IdTokenError as error:
            if error.reason != "unknown_key":
                raise
            # The provider may have rotated its keys since they were fetched: once more.
            return id_token_claims(raw, jwks=provider_keys(provider, refresh=True), **check)
    except IdTokenError as error:
        raise sso_refuse(provider=provider, reason=f"id_token_{error.reason}") from None
    except ProviderError:
        raise sso_refuse(provider=provider, reason="keys_unavailable") from None


@never_cache
@require_GET
def sso_callback(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = _provider(provider)
    try:
        result = sso_sign_in(provider=chosen, claims=_claims(request, chosen))
    except SsoRefusedError as refused:
        return _refused(request, chosen, refused)
    target = request.session.pop(NEXT_KEY, "/")
    login(request, result.user, backend=BACKEND)
    if result.second_factor:
        otp_login(request, result.identity)
    if not two_factor_is_satisfied(result.user, verified=result.second_factor):
        return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': target})}")
    return redirect(target)
