"""The OpenID providers configured in the settings (SAFEPATH_OIDC_*), and an Authlib client for
each: discovery, the authorization request with PKCE (S256), state and nonce, and the code
exchange. The ID token itself is checked by tokens.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    mfa_amr: tuple[str, ...]
    mfa_acr: tuple[str, ...]


class ProviderError(Exception):
    """The provider could not be reached or described itself wrongly."""


def configured_providers() -> list[Provider]:
    return [
        Provider(
            key=key,
            label=str(conf["label"]),
            issuer=str(conf["issuer"]).rstrip("/"),
            client_id=str(conf["client_id"]),
            client_secret=str(conf["client_secret"]),
            scopes=str(conf["scopes"]),
            mfa_amr=tuple(conf["mfa_amr"]),
            mfa_acr=tuple(conf["mfa_acr"]),
        )
        for key, conf in settings.OIDC_PROVIDERS.items()
    ]


def provider_named(key: str) -> Provider | None:
    return next((p for p in configured_providers() if p.key == key), None)


# One client per configuration, so the discovery document and the provider's keys are fetched
# once per process (the keys again when a token names a key not yet seen).
_clients: dict[Provider, DjangoOAuth2App] = {}


def oidc_client(provider: Provider) -> DjangoOAuth2App:
    client = _clients.get(provider)
    if client is None:
        scopes = provider.scopes.split()
        if "openid" not in scopes:
            scopes.insert(0, "openid")
        client = OAuth().register(
            name=provider.key,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": " ".join(scopes),
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_basic",
                "default_timeout": TIMEOUT_SECONDS,
            },
        )
        _clients[provider] = client
    return client


def provider_metadata(provider: Provider) -> dict[str, Any]:
    """The discovery document, checked: its issuer must be the configured one exactly
    (OpenID Connect Discovery 1.0, section 4.3)."""
    client = oidc_client(provider)
    try:
        metadata: dict[str, Any] = client.load_server_metadata()
    except Exception as error:  # requests' and JSON errors: the provider is not usable now
        raise ProviderError("discovery_failed") from error
    if metadata.get("issuer") != provider.issuer:
        client.server_metadata = {}
        raise ProviderError("issuer_mismatch")
    return metadata


def provider_keys(provider: Provider, *, refresh: bool = False) -> dict[str, Any]:
    try:
        keys: dict[str, Any] = oidc_client(provider).fetch_jwk_set(force=refresh)
    except Exception as error:
        raise ProviderError("keys_unavailable") from error
    return keys
