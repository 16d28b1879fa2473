"""Registering partner instances: an administrator's act, audited, checked field by field."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from safepath.accounts.models import Agency, User, validate_country
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.cases.vocabulary import DataCategory
from safepath.core.exceptions import FieldValidationError, PermissionDeniedError
from safepath.exchange.instance_keys import CURVE
from safepath.exchange.models import Partner
from safepath.exchange.policies import may_manage_partners
from safepath.exchange.services.keys import this_instance
from safepath.exchange.vocabulary import Purpose

LOOPBACK_NAMES = frozenset({"localhost"})


def _require_admin(user: User) -> None:
    if not may_manage_partners(user):
        raise PermissionDeniedError(_("Only a system administrator registers partner instances."))


def clean_public_keys(jwks: Any) -> dict[str, Any]:
    """A JWK set of public EC P-256 keys, one for signing and one for encryption at least."""
    error = _check_public_keys(jwks)
    if error:
        raise FieldValidationError({"public_keys": [error]})
    return {"keys": [dict(key) for key in jwks["keys"]]}


def _check_public_keys(jwks: Any) -> str:
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list) or not jwks["keys"]:
        return _('Give a JWK set: {"keys": [...]}.')
    uses = set()
    for position, key in enumerate(jwks["keys"], start=1):
        if not isinstance(key, dict):
            return _("Key %(n)s is not a JWK.") % {"n": position}
        if "d" in key:
            return _("Key %(n)s holds a private part; register public keys only.") % {"n": position}
        if key.get("kty") != "EC" or key.get("crv") != CURVE or not key.get("kid"):
            return _("Key %(n)s must be an EC P-256 key with a kid.") % {"n": position}
        if key.get("use") not in {"sig", "enc"}:
            return _('Key %(n)s needs "use": "sig" or "enc".') % {"n": position}
        try:
            ECKey.import_key(key)
        except (JoseError, ValueError, TypeError):
            return _("Key %(n)s is not a valid public key.") % {"n": position}
        uses.add(key["use"])
    if uses != {"sig", "enc"}:
        return _("The set needs a signing key and an encryption key.")
    return ""


def clean_url(url: str) -> str:
    """HTTPS, or plain HTTP to a loopback address only (a tunnel or a test on one machine)."""
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url.rstrip("/")
    if parts.scheme == "http" and _loopback(host):
        return url.rstrip("/")
    raise FieldValidationError(
        {"url": [_("The address must start with https:// (http:// only on this machine).")]}
    )


def _loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _clean_codes(field: str, values: Sequence[str], allowed: Sequence[str]) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise FieldValidationError(
            {
                field: [
                    _("Unknown value %(code)s; allowed: %(allowed)s.")
                    % {"code": unknown[0], "allowed": ", ".join(allowed)}
                ]
            }
        )
    return sorted(set(values))


def _clean_instance(instance: str) -> str:
    if not instance or len(instance) > 64:
        raise FieldValidationError({"instance_id": [_("Give the partner's instance id.")]})
    if instance == this_instance():
        raise FieldValidationError(
            {"instance_id": [_("This is this instance's own id; a partner is another one.")]}
        )
    return instance


def _clean_country(country: str) -> str:
    try:
        validate_country(country)
    except Exception:
        raise FieldValidationError(
            {"country": [_("Give the partner's country as an ISO 3166 code, such as KE.")]}
        ) from None
    return country


@transaction.atomic
def partner_register(
    *,
    user: User,
    instance_id: str,
    public_keys: Any,
    name: str,
    country: str,
    purposes: Sequence[str],
    data_categories: Sequence[str],
    agencies: Sequence[Agency] = (),
    url: str = "",
    channel: str,
) -> Partner:
    """Register another instance as a partner, for these purposes and data categories only."""
    _require_admin(user)
    if Partner.objects.filter(instance_id=instance_id).exists():
        raise FieldValidationError(
            {"instance_id": [_("This instance is registered already; update it instead.")]}
        )
    partner = Partner(
        instance_id=_clean_instance(instance_id),
        public_keys=clean_public_keys(public_keys),
        name=name.strip() or instance_id,
        country=_clean_country(country),
        url=clean_url(url),
        purposes=_clean_codes("purposes", purposes, Purpose.values),
        data_categories=_clean_codes("data_categories", data_categories, DataCategory.values),
        registered_by=user,
    )
    partner.save(force_insert=True)
    partner.agencies.set(agencies)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.ADMIN,
        object_type="exchange_partner",
        object_id=partner.id,
        details=_registration(partner) | {"registered": True},
    )
    return partner


@transaction.atomic
def partner_update(
    *,
    user: User,
    partner: Partner,
    channel: str,
    public_keys: Any = None,
    name: str | None = None,
    url: str | None = None,
    purposes: Sequence[str] | None = None,
    data_categories: Sequence[str] | None = None,
    agencies: Sequence[Agency] | None = None,
    is_active: bool | None = None,
) -> Partner:
    """Change a registration (new keys after the partner rotated, fewer purposes, ...)."""
    _require_admin(user)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = _registration(partner)
    if public_keys is not None:
        partner.public_keys = clean_public_keys(public_keys)
    if name is not None:
        partner.name = name.strip() or partner.instance_id
    if url is not None:
        partner.url = clean_url(url)
    if purposes is not None:
        partner.purposes = _clean_codes("purposes", purposes, Purpose.values)
    if data_categories is not None:
        partner.data_categories = _clean_codes(
            "data_categories", data_categories, DataCategory.values
        )
    if is_active is not None:
        partner.is_active = is_active
    partner.updated_at = timezone.now()
    partner.save()
    if agencies is not None:
        partner.agencies.set(agencies)
    after = _registration(partner)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.ADMIN,
        object_type="exchange_partner",
        object_id=partner.id,
        details={
            "changed": sorted(k for k in after if after[k] != before[k]),
            **after,
        },
    )
    return partner


def _registration(partner: Partner) -> dict[str, Any]:
    return {
        "instance": partner.instance_id,
        "country": partner.country,
        "purposes": list(partner.purposes),
        "data_categories": list(partner.data_categories),
        "keys": sorted(str(key.get("kid")) for key in partner.public_keys.get("keys", [])),
        "url": partner.url,
        "active": partner.is_active,
    }
