"""Agencies, users, sign-in and API tokens: every change here is audited."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext
from django_otp import devices_for_user
from django_otp.models import MAX_THROTTLE_DELAY_SECONDS, ThrottlingMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepath.accounts.models import Agency, ApiToken, User
from safepath.accounts.roles import Role
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import ApplicationError, FieldValidationError


class SignInError(ApplicationError):
    code = "sign_in_failed"
    http_status = 400


@transaction.atomic
def agency_create(*, name: str, code: str, agency_type: str, country: str, actor: Actor) -> Agency:
    agency = Agency(name=name, code=code, agency_type=agency_type, country=country.upper())
    try:
        agency.full_clean()
    except ValidationError as error:
        raise FieldValidationError(error.message_dict) from None
    agency.save()
    audit_record(
        actor=actor,
        action=Action.ADMIN,
        object_type="agency",
        object_id=agency.id,
        details={"change": "created"},
    )
    return agency


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    agency: Agency | None,
    actor: Actor,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    check_password: bool = True,
) -> User:
    if role not in Role.values:
        raise FieldValidationError({"role": [f"Unknown role {role!r}."]})
    if role != Role.SYSTEM_ADMIN and agency is None:
        raise FieldValidationError(
            {"agency": ["Every user but a system administrator has an agency."]}
        )
    if User.objects.filter(username=username).exists():
        raise FieldValidationError({"username": ["This username is taken."]})
    user = User(
        username=username,
        role=role,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role == Role.SYSTEM_ADMIN,
        is_superuser=role == Role.SYSTEM_ADMIN,
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise FieldValidationError({"password": list(error.messages)}) from None
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action=Action.ADMIN,
        object_type="user",
        object_id=user.id,
        details={"change": "created", "role": role},
    )
    return user


def two_factor_is_satisfied(user: User, *, verified: bool) -> bool:
    return verified or not user.requires_two_factor or settings.MFA_RELAXED


class TwoFactorThrottledError(ApplicationError):
    """Wrong codes were sent just before: every code, even the right one, waits a moment."""

    code = "two_factor_throttled"
    http_status = 429

    def __init__(self, wait_seconds: int):
        super().__init__(
            ngettext(
                "Too many wrong codes. Wait %(seconds)s second, then enter the current code.",
                "Too many wrong codes. Wait %(seconds)s seconds, then enter the current code.",
                wait_seconds,
            )
            % {"seconds": wait_seconds},
            extra={"wait_seconds": wait_seconds},
        )
        self.wait_seconds = wait_seconds


def refuse_if_throttled(device: ThrottlingMixin) -> None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return
    failures = int((data or {}).get("failure_count", 1))
    required = min(device.get_throttle_factor() * 2 ** (failures - 1), MAX_THROTTLE_DELAY_SECONDS)
    stamp = device.throttling_failure_timestamp or timezone.now()
    waited = (timezone.now() - stamp).total_seconds()
    raise TwoFactorThrottledError(max(1, math.ceil(required - waited)))


def _clean_code(code: str) -> str:
    return (code or "").strip().replace(" ", "")


def verify_totp(user: User, code: str) -> TOTPDevice | None:
    """The device that accepts ``code``; TwoFactorThrottledError right after failures."""
    code = _clean_code(code)
    if not code.isdigit():
        return None
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice):
            refuse_if_throttled(device)
            if device.verify_token(code):
                return device
    return None


def sign_in_check(*, request: HttpRequest, username: str, password: str) -> User:
    """Check a password through the lockout-aware backends; audit a failure by user id only.

    Never call this inside a transaction that a failure rolls back: the lockout counter and the
    failure's audit event must stay written.
    """
    user = authenticate(request, username=username, password=password)
    if user is None:
        known = User.objects.filter(username=username).values_list("id", flat=True).first()
        channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        audit_record(
            actor=Actor(known, None, channel),
            action=Action.LOGIN_FAILED,
            object_type="user",
            object_id=known or "",
        )
        raise SignInError("The username or password is not right.")
    assert isinstance(user, User)  # noqa: S101 - AUTH_USER_MODEL is always this class
    return user


def api_token_issue(*, request: HttpRequest, username: str, password: str, otp: str) -> str:
    user = sign_in_check(request=request, username=username, password=password)
    device = verify_totp(user, otp) if otp else None
    if otp and device is None:
        raise SignInError("The two-factor code is not right.", code="two_factor_invalid")
    if not two_factor_is_satisfied(user, verified=device is not None):
        raise SignInError(
            "Your role needs a two-factor code: send it as 'otp'.", code="two_factor_required"
        )
    raw, digest = ApiToken.new_secret()
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            digest=digest,
            created_at=now,
            expires_at=now + timedelta(hours=settings.API_TOKEN_HOURS),
            two_factor_verified=device is not None,
        )
        audit_record(
            actor=Actor.of(user, Channel.API),
            action=Action.TOKEN_ISSUED,
            object_type="api_token",
            object_id=token.id,
        )
    return raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    audit_record(
        actor=Actor.of(token.user, Channel.API),
        action=Action.LOGOUT,
        object_type="api_token",
        object_id=token.id,
    )
    token.delete()


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user (any earlier unconfirmed one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, code: str) -> bool:
    code = _clean_code(code)
    if not code.isdigit():
        return False
    refuse_if_throttled(device)
    if not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=Actor.of(user, Channel.WEB),
        action=Action.TWO_FACTOR,
        object_type="user",
        object_id=user.id,
        details={"change": "authenticator added"},
    )
    return True
