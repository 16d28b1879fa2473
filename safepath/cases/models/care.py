"""Care facts around the child: age assessments, family, guardianship, justice contact, and the
plan for the transition to adulthood."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.cases.models.records import Case
from safepath.cases.vocabulary import AgeMethod, JusticeContactKind
from safepath.core.fields import EncryptedTextField


class AgeAssessment(models.Model):
    """An assessment of age, with its method and range; a disputed one keeps the presumption of
    minority (the child is treated as a child while the dispute lasts)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="age_assessments")
    method = models.CharField(_("method"), max_length=15, choices=AgeMethod.choices)
    assessed_on = models.DateField(_("date"))
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"))
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"))
    disputed = models.BooleanField(_("disputed"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on"]

    def __str__(self) -> str:
        return f"age assessment {self.id}"


class FamilyMember(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="family")
    relation = models.CharField(_("relation to the child"), max_length=40)
    name = EncryptedTextField(_("name"))
    contact = EncryptedTextField(_("contact"), blank=True)
    is_caregiver = models.BooleanField(_("usual caregiver"), default=False)
    whereabouts_known = models.BooleanField(_("whereabouts known"), default=False)
    tracing_requested = models.BooleanField(_("tracing requested"), default=False)
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"family member {self.id}"


class GuardianAppointment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="guardians")
    guardian_name = EncryptedTextField(_("guardian's name"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    appointed_on = models.DateField(_("date appointed"))
    ended_on = models.DateField(_("date ended"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-appointed_on"]

    def __str__(self) -> str:
        return f"guardian appointment {self.id}"


class JusticeContact(models.Model):
    """The child arrested, charged or detained: the non-punishment principle must be applied."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="justice_contacts")
    kind = models.CharField(_("kind"), max_length=25, choices=JusticeContactKind.choices)
    occurred_on = models.DateField(_("date"))
    authority = models.CharField(_("authority"), max_length=200, blank=True)
    linked_to_exploitation = models.BooleanField(
        _("the alleged offence was committed as a result of being trafficked"), default=True
    )
    details = EncryptedTextField(_("details"), blank=True)
    resolved_on = models.DateField(_("date resolved"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"justice contact {self.id}"


class TransitionPlan(models.Model):
    """The plan for turning 18: services that continue, and the young adult's aftercare wishes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transition_plans")
    agreed_on = models.DateField(_("date agreed"))
    content = EncryptedTextField(_("plan"))
    aftercare_wanted = models.BooleanField(_("the young person wants aftercare after 18"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-agreed_on"]

    def __str__(self) -> str:
        return f"transition plan {self.id}"
