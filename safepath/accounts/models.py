"""Agencies and their staff. Staff are not data subjects here: a user's name may be shown."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

import pycountry
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from safepath.accounts.roles import (
    READS_IDENTIFYING_DATA,
    REGISTERS_CASES,
    REQUIRES_TWO_FACTOR,
    AgencyType,
    Role,
)


def validate_country(code: str) -> None:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValidationError(
            _("%(code)s is not an ISO 3166-1 alpha-2 country code."), params={"code": code}
        )


class Agency(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("short code"), max_length=20, unique=True)
    agency_type = models.CharField(_("type"), max_length=32, choices=AgencyType.choices)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp devices
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    preferred_language = models.CharField(max_length=8, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="system_admin") | models.Q(agency__isnull=False),
                name="user_outside_administration_has_agency",
            )
        ]

    @property
    def reads_identifying_data(self) -> bool:
        return self.role in READS_IDENTIFYING_DATA

    @property
    def requires_two_factor(self) -> bool:
        return self.role in REQUIRES_TWO_FACTOR

    @property
    def registers_cases(self) -> bool:
        return self.role in REGISTERS_CASES


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored; it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    two_factor_verified = models.BooleanField(default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.id}"

    @staticmethod
    def new_secret() -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, _digest(raw)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _digest(raw)

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class RecoveryCodes(ThrottlingMixin, Device):
    """A user's one-time recovery codes, for signing in when the authenticator is lost. Only
    their SHA-256 digests are kept (each code has 50 random bits); a used code is deleted."""

    class Meta:
        verbose_name = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return 1

    @staticmethod
    def digest_of(code: str) -> str:
        """Codes are compared without case, spaces or dashes (people copy them by hand)."""
        cleaned = "".join(ch for ch in (code or "").lower() if ch.isalnum())
        return _digest(cleaned)

    def verify_token(self, token: str) -> bool:
        """django-otp's interface: true, and the code used up, when ``token`` is one of them.
        Callers check the throttle first (accounts/recovery.py)."""
        used, _by_model = self.codes.filter(digest=self.digest_of(token)).delete()
        if used:
            self.throttle_reset(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return bool(used)


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"recovery code {self.pk}"


class SsoIdentity(Device):
    """A user's account at an OpenID provider, known by the pair SafePath links on: the issuer
    and the provider's subject identifier (``sub``), never the e-mail address.

    It is also a django-otp device, one that checks no code: when the provider's ID token says a
    second factor was used (``amr``/``acr``, accounts/sso/rules.py), the session is verified
    through it and SafePath does not ask for its own code.
    """

    provider = models.CharField(_("provider"), max_length=40)
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique_sub")
        ]

    def __str__(self) -> str:
        return f"{self.provider} identity {self.pk}"

    def verify_token(self, token: str) -> bool:
        return False  # the provider verified the second factor; no code is ever accepted here


class SsoClaimRule(models.Model):
    """An administrator's rule: an ID token whose claim matches gets this role and agency.

    Rules are tried by ``position`` (then age); the first that matches decides. A sign-in that no
    rule matches is refused and nothing is created.
    """

    class Match(models.TextChoices):
        INCLUDES = "includes", _("includes (a list claim has the value)")
        EQUALS = "equals", _("equals")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(
        _("order"), default=100, help_text=_("Lower numbers are tried first.")
    )
    provider = models.CharField(
        _("provider"),
        max_length=40,
        blank=True,
        help_text=_("The provider's key in the settings; empty for every provider."),
    )
    claim = models.CharField(
        _("claim"),
        max_length=100,
        help_text=_("A claim of the ID token; a dotted path reaches inside (realm_access.roles)."),
    )
    match = models.CharField(_("match"), max_length=10, choices=Match.choices)
    value = models.CharField(_("value"), max_length=200)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("single sign-on rule")
        verbose_name_plural = _("single sign-on rules")
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="system_admin") | models.Q(agency__isnull=False),
                name="sso_rule_outside_administration_has_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim} {self.match} {self.value} → {self.role}"

    def clean(self) -> None:
        if self.role and self.role != Role.SYSTEM_ADMIN and self.agency_id is None:
            raise ValidationError(
                {"agency": _("Every role but system administrator needs an agency.")}
            )
