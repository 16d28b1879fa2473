"""Emergencies, rapid registrations made in the field (offline or through ODK/Kobo), the sync
receipts that make sending twice harmless, the conflicts a person resolved, and the INFORM risk
reference data.

A registration adds to a ``cases.Case`` the handbook's minimum data that the case does not hold
(separation, current carer, urgent needs, risk level, area). Identifying values are encrypted.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import validate_country
from safepath.cases.models import Case
from safepath.core.fields import EncryptedJSONField, EncryptedTextField


class Hazard(models.TextChoices):
    FLOOD = "flood", _("Flood")
    DROUGHT = "drought", _("Drought")
    EARTHQUAKE = "earthquake", _("Earthquake")
    TROPICAL_CYCLONE = "tropical_cyclone", _("Tropical cyclone")
    CONFLICT = "conflict", _("Conflict")
    EPIDEMIC = "epidemic", _("Epidemic")
    DISPLACEMENT = "displacement", _("Mass displacement")
    OTHER = "other", _("Other hazard")


class Emergency(models.Model):
    """A declared emergency: a hazard over an area (country and regions) between two dates.

    While it lasts, registrations in its area are tagged with it and its tighter deadlines
    apply. Ending it keeps everything; nothing is deleted.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    # Region names as written in registrations, compared without case; empty = the whole country
    admin_areas = models.JSONField(_("regions"), default=list, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name_plural = _("emergencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="emergency_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RegistrationSource(models.TextChoices):
    DEVICE = "device", _("Field app (synced)")
    ODK = "odk", _("ODK Collect or KoboToolbox import")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Registration(models.Model):
    """The rapid registration of an unaccompanied or separated child, beside its case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The id the device (or the ODK submission's instance id) gave the record: one record, once
    record_id = models.UUIDField(unique=True)
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="emergency_registration"
    )
    emergency = models.ForeignKey(
        Emergency,
        on_delete=models.PROTECT,
        related_name="registrations",
        null=True,
        blank=True,
    )
    source = models.CharField(max_length=10, choices=RegistrationSource.choices)
    form_version = models.CharField(max_length=20)
    age_estimate = models.PositiveSmallIntegerField(_("age in years (estimate)"), null=True)
    with_whom = EncryptedTextField(_("who the child is with now"), blank=True)
    separation_place = EncryptedTextField(_("place of separation"), blank=True)
    separation_date = EncryptedTextField(_("date of separation"), blank=True)
    separation_cause = models.CharField(_("cause of separation"), max_length=20, blank=True)
    family_last_location = EncryptedTextField(_("family's last known location"), blank=True)
    urgent_needs = models.JSONField(_("urgent needs"), default=list, blank=True)
    needs_details = EncryptedTextField(_("urgent needs: details"), blank=True)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    area_country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    area_admin1 = models.CharField(_("region"), max_length=100)
    site = EncryptedTextField(_("site"), blank=True)
    photo_consent = models.CharField(_("consent to a photograph"), max_length=3, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    device_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["emergency", "created_at"]),
            models.Index(fields=["area_country", "area_admin1"]),
        ]

    def __str__(self) -> str:
        return f"registration {self.id}"


class SyncReceipt(models.Model):
    """An operation a device sent and the server applied: sending it again answers the same.

    ``payload_hash`` is a SHA-256 of the operation as sent; the same id with another body is
    refused (a device bug, never a silent overwrite). ``result`` holds ids and versions only.
    """

    op_id = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    device_id = models.CharField(max_length=64, blank=True)
    record_id = models.UUIDField()
    kind = models.CharField(max_length=20)
    payload_hash = models.CharField(max_length=64)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["record_id", "created_at"])]

    def __str__(self) -> str:
        return f"sync receipt {self.op_id}"


class ConflictChoice(models.TextChoices):
    DEVICE = "device", _("The value from the device")
    SERVER = "server", _("The value on the server")


class SyncConflict(models.Model):
    """One field two people changed apart, and what the caseworker chose: both values kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="conflicts"
    )
    field = models.CharField(max_length=40)
    server_value = EncryptedJSONField(default=None, null=True)
    device_value = EncryptedJSONField(default=None, null=True)
    chosen = models.CharField(max_length=10, choices=ConflictChoice.choices)
    base_version = models.PositiveIntegerField()
    resolved_version = models.PositiveIntegerField()
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(default=timezone.now)
    device_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["registration", "resolved_at", "field"]

    def __str__(self) -> str:
        return f"sync conflict {self.id}"


# --- INFORM risk (reference data: countries, never a child) ----------------------------------
class RiskEdition(models.Model):
    """One edition of the INFORM Risk index as imported, with where it came from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(max_length=60, unique=True)  # "INFORM Risk 2025 v0.7.0"
    year = models.PositiveSmallIntegerField()
    source_name = models.CharField(max_length=200)
    source_sha256 = models.CharField(max_length=64)
    licence = models.CharField(max_length=100, default="CC BY 4.0")
    country_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-imported_at"]

    def __str__(self) -> str:
        return self.label


class CountryRisk(models.Model):
    """A country's INFORM scores in one edition (0-10, 10 the highest risk); None = no data."""

    edition = models.ForeignKey(RiskEdition, on_delete=models.CASCADE, related_name="countries")
    iso3 = models.CharField(max_length=3)
    iso2 = models.CharField(max_length=2, blank=True)
    iso_numeric = models.CharField(max_length=3, blank=True)
    name = models.CharField(max_length=100)
    risk = models.FloatField(null=True)
    risk_class = models.CharField(max_length=20, blank=True)
    rank = models.PositiveSmallIntegerField(null=True)
    hazard_exposure = models.FloatField(null=True)
    vulnerability = models.FloatField(null=True)
    lack_of_coping_capacity = models.FloatField(null=True)
    highly_violent_conflict = models.BooleanField(default=False)
    components = models.JSONField(default=dict)

    class Meta:
        ordering = ["edition", "iso3"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "iso3"], name="one_score_per_edition")
        ]

    def __str__(self) -> str:
        return f"{self.iso3} {self.edition_id}"
