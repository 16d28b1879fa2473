"""The best-interests procedure and the child's participation in every decision.

UNHCR's Best Interests Procedure Guidelines (2021): an assessment (short or comprehensive) informs
the case plan; a determination by a panel of at least three decides a durable solution that takes
the child across a border. ICAT action 3: the child's views are heard at every decision.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.cases.models.records import Case
from safepath.cases.vocabulary import AssessmentKind, DecisionKind, DurableSolution
from safepath.core.fields import EncryptedJSONField, EncryptedTextField

# The panel of a best-interests determination has at least this many members (UNHCR 2021).
MINIMUM_PANEL = 3


class BestInterestsAssessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("kind"), max_length=15, choices=AssessmentKind.choices)
    assessed_on = models.DateField(_("date of the assessment"))
    findings = EncryptedTextField(_("findings"))
    recommendation = EncryptedTextField(_("recommendation"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"best-interests assessment {self.id}"


class BestInterestsDetermination(models.Model):
    """A panel's decision. ``panel`` holds each member's name and role, encrypted (members may
    come from outside the agency); ``dissent`` records any member who disagreed, and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="determinations")
    decided_on = models.DateField(_("date of the decision"))
    panel = EncryptedJSONField(_("panel members"))
    decision = models.CharField(
        _("solution decided"), max_length=30, choices=DurableSolution.choices
    )
    reasons = EncryptedTextField(_("reasons"))
    dissent = EncryptedTextField(_("dissent"), blank=True)
    risk_assessment_done = models.BooleanField(
        _("risk assessment in the destination"), default=False
    )
    non_refoulement_checked = models.BooleanField(_("non-refoulement checked"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"best-interests determination {self.id}"


class ChildViews(models.Model):
    """What the child said about one decision, how they were told, and how their views counted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="child_views")
    decision = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    decision_ref = models.CharField(
        _("the decision's record"), max_length=64, blank=True, db_index=True
    )
    views = EncryptedTextField(_("the child's views, in their words"), blank=True)
    declined_to_express = models.BooleanField(_("the child chose not to give views"), default=False)
    informed_language = models.CharField(_("language the child was informed in"), max_length=8)
    interpreter_language = models.CharField(_("interpreter's language"), max_length=8, blank=True)
    informed_in_understandable_manner = models.BooleanField(
        _("informed in a manner suited to the child's age and maturity")
    )
    weight_given = EncryptedTextField(_("how the child's views were weighed"))
    heard_on = models.DateField(_("date heard"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-heard_on", "-recorded_at"]
        verbose_name_plural = "child views"

    def __str__(self) -> str:
        return f"child views {self.id}"
