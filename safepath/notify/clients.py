"""API clients: credentials for systems, not people (issue 18, part 5).

A client is scoped to agencies and purposes (``PURPOSES``, data): it reads only what its
purposes name, only about its agencies, through the ``/api/v1/integrations/`` endpoints (a
person's endpoints do not accept its key). Only the SHA-256 of its key is stored; the key is
shown once, when made or rotated, and rotating stops the old key at once. Making, rotating and
revoking are audited, and so is every read a client makes. Each client has its own rate limit
(``ApiClientThrottle``): over it, 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from safepath.accounts.models import Agency, User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import FieldValidationError, NotFoundError
from safepath.notify.models import ApiClient
from safepath.notify.policies import may_manage_integrations

KEY_PREFIX = "spk_"


@dataclass(frozen=True)
class Purpose:
    code: str
    title: str | Promise


# What a client may read, by purpose (each endpoint names the purpose it needs).
PURPOSES: dict[str, Purpose] = {
    p.code: p
    for p in (
        Purpose("referral_tracking", gettext_lazy("Follow referrals to and from the agencies")),
        Purpose("case_status", gettext_lazy("Follow the status of the agencies' cases")),
    )
}


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> tuple[str, str]:
    """A key ``spk_<prefix>_<secret>`` and its prefix (the stored lookup part)."""
    prefix = secrets.token_hex(6)
    return f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}", prefix


@dataclass(frozen=True)
class ClientInput:
    name: str
    agencies: list[Any]
    purposes: list[str]


def _check(data: ClientInput) -> list[Agency]:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Give the client a name (the system it stands for).")]
    if not data.purposes or set(data.purposes) - set(PURPOSES):
        errors["purposes"] = [
            _("Choose one or more purposes: %(codes)s.") % {"codes": ", ".join(PURPOSES)}
        ]
    agencies = list(Agency.objects.filter(pk__in=[str(a) for a in data.agencies]))
    if not data.agencies or len(agencies) != len(set(map(str, data.agencies))):
        errors["agencies"] = [_("Choose one or more agencies the client may read about.")]
    if errors:
        raise FieldValidationError(errors)
    return agencies


def _require_admin(user: User) -> None:
    if not may_manage_integrations(user):
        raise NotFoundError(_("No such page."))


def client_get(*, user: User, client_id: Any) -> ApiClient:
    _require_admin(user)
    try:
        return ApiClient.objects.get(pk=client_id)
    except (ApiClient.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such API client.")) from None


@transaction.atomic
def api_client_create(*, user: User, data: ClientInput, channel: str) -> tuple[ApiClient, str]:
    """A new client; returns it and its key (shown once, never stored)."""
    _require_admin(user)
    agencies = _check(data)
    key, prefix = _new_key()
    client = ApiClient.objects.create(
        name=data.name.strip(),
        purposes=sorted(set(data.purposes)),
        key_prefix=prefix,
        key_hash=_digest(key),
        created_by=user,
    )
    client.agencies.set(agencies)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.ADMIN,
        object_type="api_client",
        object_id=client.id,
        details={"created": True, "purposes": client.purposes},
    )
    return client, key


@transaction.atomic
def api_client_rotate(*, user: User, client_id: Any, channel: str) -> tuple[ApiClient, str]:
    """A new key; the old one stops working at once."""
    client = client_get(user=user, client_id=client_id)
    key, prefix = _new_key()
    client.key_prefix, client.key_hash, client.rotated_at = prefix, _digest(key), timezone.now()
    client.save(update_fields=["key_prefix", "key_hash", "rotated_at"])
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.KEY_ROTATION,
        object_type="api_client",
        object_id=client.id,
    )
    return client, key


@transaction.atomic
def api_client_revoke(*, user: User, client_id: Any, channel: str) -> ApiClient:
    client = client_get(user=user, client_id=client_id)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit_record(
            actor=Actor.of(user, channel),
            action=Action.ADMIN,
            object_type="api_client",
            object_id=client.id,
            details={"revoked": True},
        )
    return client


# --- the API's side: who is calling, what it may read, how often ---------------------------------


class ApiClientAuthentication(BaseAuthentication):
    """``Authorization: Bearer spk_...``: an API client, never a person."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[ApiClient, None] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the key after 'Bearer', once."))
        key = parts[1].decode("ascii", errors="replace")
        pieces = key.split("_", 2)
        if len(key) > 120 or len(pieces) != 3 or f"{pieces[0]}_" != KEY_PREFIX:
            raise exceptions.AuthenticationFailed(_("The key is malformed."))
        client = ApiClient.objects.filter(key_prefix=pieces[1]).first()
        if client is None or not secrets.compare_digest(client.key_hash, _digest(key)):
            raise exceptions.AuthenticationFailed(_("The key is not valid."))
        if client.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This client was revoked."))
        now = timezone.now()
        if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return client, None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ApiClientScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The OpenAPI schema names the API client's key as the integration endpoints' security,
    so their 401 and 403 are documented like every signed-in operation's (core/schema.py)."""

    target_class = ApiClientAuthentication
    name = "apiClient"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API client's key (Authorization: Bearer spk_...).",
        }


class IsApiClient(BasePermission):
    message = "This address is for API clients (a system's key), not a person's token."

    def has_permission(self, request: Request, view: Any) -> bool:
        caller: Any = request.user
        return isinstance(caller, ApiClient)


class ApiClientThrottle(SimpleRateThrottle):
    """Each client its own rate (``SAFEPATH_API_CLIENT_RATE``); DRF answers 429 with
    ``Retry-After`` when it is used up. Counted in Django's cache (per process unless a shared
    cache is configured: docs/integrations.md)."""

    scope = "api_client"

    def get_rate(self) -> str:
        rate: str = settings.API_CLIENT_RATE
        return rate

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        caller: Any = request.user
        if not isinstance(caller, ApiClient):
            return None
        return f"throttle_api_client_{caller.pk}"


def client_may(client: ApiClient, purpose: str, agency_ids: list[Any]) -> bool:
    """Does the client's scope cover this read: its purpose, and one of its agencies?"""
    if purpose not in client.purposes:
        return False
    mine = {str(a) for a in client.agencies.values_list("id", flat=True)}
    return bool(mine & {str(a) for a in agency_ids})


def client_read_audit(client: ApiClient, object_type: str, object_id: Any, purpose: str) -> None:
    audit_record(
        actor=Actor(None, None, "api"),
        action=Action.READ,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        details={"api_client": str(client.id)},
    )
