"""Single sign-on: the sign-in an ID token's validated claims ask for, or its refusal.

An identity is found by the provider's issuer and subject (``sub``), never by e-mail. A known
identity whose SafePath user is turned off is refused. The administrator's rules
(``SsoClaimRule``, first match wins) give the role and agency, at every sign-in, so a change of
groups at the provider reaches SafePath; no rule matched: refused, and nothing is created. Every
sign-in and refusal is audited (ids and reason codes, never names) and refusals are logged.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import SsoClaimRule, SsoIdentity, User
from safepath.accounts.roles import Role
from safepath.accounts.sso.providers import Provider
from safepath.accounts.sso.rules import first_match, second_factor_asserted
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)


class SsoRefusedError(ApplicationError):
    code = "sso_refused"
    http_status = 403


def _message(reason: str, provider: Provider) -> str:
    if reason == "no_rule":
        return _(
            "Your account at %(provider)s is not given access to SafePath. Ask your "
            "administrator to add you to a group that SafePath accepts."
        ) % {"provider": provider.label}
    if reason == "account_disabled":
        return _("This SafePath account is turned off. Ask your administrator.")
    if reason in {"discovery_failed", "keys_unavailable", "token_exchange_failed"}:
        return _(
            "%(provider)s cannot be reached just now. Try again later, or sign in with a "
            "SafePath password."
        ) % {"provider": provider.label}
    if reason == "provider_denied":
        return _("%(provider)s did not sign you in.") % {"provider": provider.label}
    return _(
        "The sign-in with %(provider)s could not be completed safely, so it was refused. Try "
        "again; if it happens again, tell your administrator."
    ) % {"provider": provider.label}


def sso_refuse(
    *, provider: Provider, reason: str, user_id: Any = None, extra: dict[str, str] | None = None
) -> SsoRefusedError:
    """Audit and log a refused single sign-on; the error to raise, with words for the person.

    Runs outside any transaction a caller could roll back: the record must stay."""
    audit_record(
        actor=Actor(user_id, None, Channel.WEB),
        action=Action.LOGIN_FAILED,
        object_type="user",
        object_id=user_id or "",
        details={"via": "sso", "provider": provider.key, "reason": reason, **(extra or {})},
    )
    logger.warning(
        "single sign-on refused: provider=%s reason=%s user=%s",
        provider.key,
        reason,
        user_id or "-",
    )
    return SsoRefusedError(_message(reason, provider), code=reason)


@dataclass(frozen=True)
class SsoSignIn:
    user: User
    identity: SsoIdentity
    second_factor: bool  # the provider asserted a second factor that SafePath accepts
    created: bool


_USERNAME_CHARS = re.compile(r"[^\w.@+-]")


def _username_for(provider: Provider, claims: Mapping[str, Any]) -> str:
    """A readable, unique username: the provider's preferred username (or the e-mail's local
    part) with "@<provider>"; a short digest of issuer and subject when that is taken. Only a
    label: the identity is linked by issuer and subject."""
    wanted = claims.get("preferred_username") or str(claims.get("email") or "").split("@")[0]
    base = _USERNAME_CHARS.sub("", str(wanted or ""))[:100] or "user"
    username = f"{base}@{provider.key}"
    if User.objects.filter(username=username).exists():
        tag = hashlib.sha256(f"{provider.issuer}|{claims['sub']}".encode()).hexdigest()[:8]
        username = f"{base}-{tag}@{provider.key}"
    return username


def _text_claim(claims: Mapping[str, Any], name: str, limit: int) -> str:
    value = claims.get(name)
    return value[:limit] if isinstance(value, str) else ""


def active_rules() -> list[SsoClaimRule]:
    """The rules in the order they are tried; a rule for a closed agency is skipped."""
    return list(
        SsoClaimRule.objects.filter(is_active=True)
        .filter(Q(agency__isnull=True) | Q(agency__is_active=True))
        .select_related("agency")
    )


def sso_sign_in(*, provider: Provider, claims: Mapping[str, Any]) -> SsoSignIn:
    """Sign-in by a validated ID token (tokens.id_token_claims): the user, made or updated, or
    SsoRefusedError (audited, nothing written but the refusal)."""
    try:
        return _sso_sign_in(provider=provider, claims=claims)
    except IntegrityError:
        # Two first sign-ins of one person at once (a double click), or two people taking the
        # same username: the other request's rows are there now, so the second try finds them.
        return _sso_sign_in(provider=provider, claims=claims)


def _sso_sign_in(*, provider: Provider, claims: Mapping[str, Any]) -> SsoSignIn:
    identity = (
        SsoIdentity.objects.select_related("user")
        .filter(issuer=provider.issuer, subject=claims["sub"])
        .first()
    )
    known_id = identity.user_id if identity else None
    if identity is not None and not identity.user.is_active:
        raise sso_refuse(provider=provider, reason="account_disabled", user_id=known_id)
    rule = first_match(active_rules(), provider=provider.key, claims=claims)
    if rule is None:
        raise sso_refuse(provider=provider, reason="no_rule", user_id=known_id)
    second_factor = second_factor_asserted(
        claims, amr_values=provider.mfa_amr, acr_values=provider.mfa_acr
    )
    now = timezone.now()
    with transaction.atomic():
        created = identity is None
        if identity is None:
            user = User(username=_username_for(provider, claims))
            user.set_unusable_password()  # signs in through the provider only
        else:
            user = identity.user
        before = (user.role, user.agency_id)
        user.role, user.agency_id = rule.role, rule.agency_id
        user.is_staff = user.is_superuser = rule.role == Role.SYSTEM_ADMIN
        user.first_name = _text_claim(claims, "given_name", 150) or user.first_name
        user.last_name = _text_claim(claims, "family_name", 150) or user.last_name
        user.email = _text_claim(claims, "email", 254) or user.email
        user.last_login = now
        user.save()
        if created:
            identity = SsoIdentity.objects.create(
                user=user,
                name=provider.label[:64],
                confirmed=True,
                provider=provider.key,
                issuer=provider.issuer,
                subject=claims["sub"],
                last_sign_in_at=now,
            )
        else:
            assert identity is not None  # noqa: S101 - narrowed above
            identity.last_sign_in_at = now
            identity.save(update_fields=["last_sign_in_at"])
        actor = Actor(user.id, user.agency_id, Channel.WEB)
        if created or before != (user.role, user.agency_id):
            audit_record(
                actor=actor,
                action=Action.ADMIN,
                object_type="user",
                object_id=user.id,
                details={
                    "change": "created" if created else "role from provider",
                    "via": "sso",
                    "provider": provider.key,
                    "rule": str(rule.id),
                    "role": rule.role,
                },
            )
        audit_record(
            actor=actor,
            action=Action.LOGIN,
            object_type="user",
            object_id=user.id,
            details={
                "via": "sso",
                "provider": provider.key,
                "rule": str(rule.id),
                "second_factor_by_provider": second_factor,
            },
        )
    return SsoSignIn(user=user, identity=identity, second_factor=second_factor, created=created)
