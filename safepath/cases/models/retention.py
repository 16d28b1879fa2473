"""Retention: legal holds that stop erasure, and the record of each erasure (never its values)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.cases.models.records import Case
from safepath.cases.vocabulary import DataCategory
from safepath.core.fields import EncryptedTextField


class LegalHold(models.Model):
    """While a hold is in force (not released), nothing of the case or its child is erased:
    proceedings, an investigation or a complaint need the record as it is."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_holds")
    reason = EncryptedTextField(_("reason for the hold"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        indexes = [
            models.Index(
                fields=["case"], condition=Q(released_at__isnull=True), name="holds_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"legal hold {self.id}"


class CaseErasure(models.Model):
    """One category of one case erased: when, under which period, and how many values and rows
    went. What was erased is not kept anywhere, here or in the audit trail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="erasures")
    category = models.CharField(max_length=20, choices=DataCategory.choices)
    period_days = models.PositiveIntegerField()
    erased_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["case", "category"]
        constraints = [
            models.UniqueConstraint(fields=["case", "category"], name="one_erasure_per_category")
        ]

    def __str__(self) -> str:
        return f"erasure {self.id}"
