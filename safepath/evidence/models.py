"""The evidence app's data: releases of statistics and the privacy-budget ledger per source.

The analysis data itself lives in the DuckDB analysis store (``engine/store.py``), never here.
A release stores its parameters, the computed (already protected) table and its methodology
note, so what was reviewed is exactly what is published.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EPSILON_PLACES = Decimal("0.0001")


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class PrivacyBudget(models.Model):
    """The total epsilon that may ever be spent on one source (losses add up across releases)."""

    source = models.CharField(_("source"), max_length=40, unique=True)
    total_epsilon = models.DecimalField(_("total epsilon"), max_digits=8, decimal_places=4)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("privacy budget")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_epsilon__gt=0), name="evidence_budget_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.total_epsilon}"

    def spent(self) -> Decimal:
        total = self.spends.aggregate(total=Sum("epsilon"))["total"]
        return Decimal(total if total is not None else 0).quantize(EPSILON_PLACES)

    def remaining(self) -> Decimal:
        return self.total_epsilon - self.spent()


class Release(models.Model):
    """A table prepared for publication: draft -> in review -> published or rejected."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=40)
    status = models.CharField(
        _("status"), max_length=20, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    result = models.JSONField(_("table"), default=dict)
    methodology = models.TextField(_("methodology note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(default=False)
    review_note = models.TextField(_("review note"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("statistical release")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class BudgetSpend(models.Model):
    """One spend of epsilon on a source: who, when, how much, for which release."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    budget = models.ForeignKey(PrivacyBudget, on_delete=models.PROTECT, related_name="spends")
    epsilon = models.DecimalField(_("epsilon"), max_digits=8, decimal_places=4)
    spent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    channel = models.CharField(max_length=10)
    spent_at = models.DateTimeField(default=timezone.now)
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, related_name="spends", null=True, blank=True
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    parameters = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("privacy budget spend")
        ordering = ["spent_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(epsilon__gt=0), name="evidence_spend_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.budget.source}: {self.epsilon}"
