"""A screening as it was run: signed and immutable, linkable to a child's case.

The answers and the detailed result are sensitive (they can speak of sexual health or abuse), so
they are encrypted; the outcome, urgency and instrument stay in clear for figures and monitoring.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency
from safepath.cases.models import Case
from safepath.core.fields import EncryptedJSONField


class Outcome(models.TextChoices):
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim: refer for formal identification")
    POSSIBLE_VICTIM = "possible_victim", _("Possible victim: assess further")
    AT_RISK = "at_risk", _("At risk: refer for support")
    NO_INDICATORS = "no_indicators", _("No indicators found")
    INSUFFICIENT_INFORMATION = "insufficient_information", _("Not enough information")


class ScreeningRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instrument_id = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=20)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="screenings"
    )
    setting = models.CharField(max_length=30)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    age_disputed = models.BooleanField(default=False)
    act_recorded = models.BooleanField(null=True)
    child_rule = models.CharField(max_length=12)
    answers = EncryptedJSONField()
    result = EncryptedJSONField()
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    urgency = models.CharField(max_length=20)
    non_punishment_notice = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    signature = models.CharField(max_length=64)
    # The web interview's id: pressing Finish twice, even at once, keeps one record.
    interview_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["instrument_id", "outcome"])]

    def __str__(self) -> str:
        return f"screening {self.id}"


class ScreeningConfirmation(models.Model):
    """What later became of the person screened: the reference standard for monitoring."""

    screening = models.OneToOneField(
        ScreeningRecord, on_delete=models.PROTECT, related_name="confirmation"
    )
    confirmed_victim = models.BooleanField()
    basis = models.CharField(max_length=200)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"confirmation of {self.screening_id}"


class GradeTable(models.Model):
    """A transcribed grade table an administrator loaded for an ILO list (``grades.py``).

    The newest table for a list and its version replaces the shipped strengths from then on;
    earlier records keep the grades they were scored with (their version names the table).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instrument_id = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=20)
    source = models.CharField(max_length=500)
    document = models.JSONField()
    digest = models.CharField(max_length=64)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-loaded_at"]
        indexes = [models.Index(fields=["instrument_id", "loaded_at"])]

    def __str__(self) -> str:
        return f"grade table {self.instrument_id} {self.digest[:8]}"
