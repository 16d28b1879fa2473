"""Recovery codes: ten one-time codes a user prints or stores when adding an authenticator, to
sign in once each if the phone is lost. Issued only to a user who has an authenticator; issuing
new ones voids the old; every issue and every use is audited (by user id, never the code)."""

from __future__ import annotations

import base64
import secrets

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepath.accounts.models import RecoveryCode, RecoveryCodes, User
from safepath.accounts.services import refuse_if_throttled
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import ApplicationError

CODE_COUNT = 10


class RecoveryCodesRefusedError(ApplicationError):
    code = "recovery_codes_refused"
    http_status = 400


def _new_code() -> str:
    """Ten base32 characters (50 random bits), shown as two groups of five."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()[:10]
    return f"{raw[:5]}-{raw[5:]}"


def recovery_codes_remaining(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Ten new codes for ``user``, replacing any earlier ones. Shown once: only digests stay."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise RecoveryCodesRefusedError(
            _("Add an authenticator app first: recovery codes stand in for it.")
        )
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [_new_code() for _ in range(CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=RecoveryCodes.digest_of(code)) for code in codes
    )
    audit_record(
        actor=Actor.of(user, Channel.WEB),
        action=Action.TWO_FACTOR,
        object_type="user",
        object_id=user.id,
        details={"change": "recovery codes issued", "count": CODE_COUNT},
    )
    return codes


def recovery_code_use(*, user: User, code: str, channel: str = Channel.WEB) -> RecoveryCodes | None:
    """The user's recovery-code device when ``code`` is one of their unused codes (it is then
    used up); None otherwise. TwoFactorThrottledError right after wrong codes, as for TOTP."""
    device = RecoveryCodes.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    refuse_if_throttled(device)
    with transaction.atomic():
        device = RecoveryCodes.objects.select_for_update().filter(pk=device.pk).first()
        if device is None:  # new codes were made meanwhile
            return None
        if not device.verify_token(code):
            return None
        audit_record(
            actor=Actor.of(user, channel),
            action=Action.TWO_FACTOR,
            object_type="user",
            object_id=user.id,
            details={"change": "recovery code used", "remaining": device.codes.count()},
        )
    return device  # type: ignore[no-any-return]  # django-otp models are untyped
