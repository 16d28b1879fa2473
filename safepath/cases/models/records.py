"""A child and the child's case. Identifying values are encrypted fields (core/fields.py)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency, validate_country
from safepath.cases.vocabulary import (
    CareArrangement,
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    ConsentPurpose,
    Disability,
    DurableSolution,
    Exploitation,
    Placement,
    RecruiterRelation,
    Sex,
)
from safepath.core.countries import country_name
from safepath.core.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField

_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread


def new_case_reference() -> str:
    """A short, random, readable case number that reveals nothing (not even how many cases).

    32^8 (about 10^12) numbers: two cases in a million share one with a probability near one
    half, so whoever stores a case must be ready to draw again (``unused_references``)."""
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"SP-{body[:4]}-{body[4:]}"


def unused_references(count: int) -> list[str]:
    """``count`` new case numbers, different from each other and from every stored one."""
    chosen: set[str] = set()
    while len(chosen) < count:
        drawn = {new_case_reference() for _ in range(count - len(chosen))} - chosen
        taken = set(
            Case.objects.filter(reference__in=list(drawn)).values_list("reference", flat=True)
        )
        chosen |= drawn - taken
    return list(chosen)


class Child(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = EncryptedTextField(_("given name"))
    family_name = EncryptedTextField(_("family name"), blank=True)
    other_names = EncryptedJSONField(_("other names and aliases"), default=list, blank=True)
    given_name_index = models.CharField(max_length=32, db_index=True, editable=False)
    family_name_index = models.CharField(max_length=32, db_index=True, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    date_of_birth_estimated = models.BooleanField(_("date of birth is estimated"), default=False)
    age_at_identification = models.PositiveSmallIntegerField(
        _("age when identified"), null=True, blank=True
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, blank=True, validators=[validate_country]
    )
    stateless = models.BooleanField(_("stateless"), default=False)
    gender_identity = EncryptedTextField(_("gender identity, in the child's words"), blank=True)
    languages = models.JSONField(_("languages (ISO 639 codes)"), default=list, blank=True)
    disability = models.CharField(
        _("disability"), max_length=10, choices=Disability.choices, default=Disability.UNKNOWN
    )
    disability_details = EncryptedTextField(_("disability: details"), blank=True)
    care_arrangement = models.CharField(
        _("care arrangement"),
        max_length=15,
        choices=CareArrangement.choices,
        default=CareArrangement.UNKNOWN,
    )
    address = EncryptedTextField(_("current address or location"), blank=True)
    contact = EncryptedTextField(_("contact"), blank=True)
    document_number = EncryptedTextField(_("identity document number"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return f"child {self.id}"  # never the name: this string can reach logs

    def nationality_name(self) -> str:
        return country_name(self.nationality) if self.nationality else ""


class ChildNameKey(models.Model):
    """One keyed name key of a child (``cases/name_keys.py``): what the forgiving search looks
    up instead of decrypting every name. No name can be read back from it."""

    id = models.BigAutoField(primary_key=True)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=32, db_index=True)
    key_id = models.CharField(max_length=16, db_index=True)

    class Meta:
        verbose_name = _("name search key")
        verbose_name_plural = _("name search keys")

    def __str__(self) -> str:
        return f"name key of child {self.child_id}"


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=14, unique=True, default=new_case_reference)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(
        max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    identified_on = models.DateField(_("date identified"))
    forms_of_exploitation = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    country_of_exploitation = models.CharField(
        _("country of exploitation"), max_length=2, blank=True, validators=[validate_country]
    )
    country_of_origin = models.CharField(
        _("country of origin"), max_length=2, blank=True, validators=[validate_country]
    )
    countries_of_transit = models.JSONField(_("countries of transit"), default=list, blank=True)
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    recruiter_relation = models.CharField(
        _("relation to the recruiter"),
        max_length=20,
        choices=RecruiterRelation.choices,
        default=RecruiterRelation.UNKNOWN,
    )
    placement = models.CharField(
        _("placement"), max_length=25, choices=Placement.choices, default=Placement.NONE
    )
    placement_location = EncryptedTextField(_("placement: where"), blank=True)
    durable_solution = models.CharField(
        _("durable solution"), max_length=30, choices=DurableSolution.choices, blank=True
    )
    closure_reason = models.CharField(
        _("reason for closure"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    summary = EncryptedTextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner_agency", "-created_at"]),
            models.Index(fields=["owner_agency", "status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def country_of_exploitation_name(self) -> str:
        return country_name(self.country_of_exploitation) if self.country_of_exploitation else ""

    def exploitation_labels(self) -> list[str]:
        names = dict(Exploitation.choices)
        return [str(names.get(code, code)) for code in self.forms_of_exploitation]


class CaseAssignment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(ended_at__isnull=True),
                name="one_open_assignment_per_user",
            )
        ]
        indexes = [  # a caseworker's open cases, read from the index alone
            models.Index(
                fields=["user", "case"],
                condition=Q(ended_at__isnull=True),
                name="open_assignments_by_user",
            )
        ]

    def __str__(self) -> str:
        return f"assignment {self.id}"


class Consent(models.Model):
    """Consent or assent to share: who gave it, for what, which data, to whom, until when.

    ``data_categories`` (``DataCategory`` codes) bound what a receiving agency reads; the child's
    ``assent`` is recorded beside a parent's or guardian's consent.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(max_length=10, choices=ConsentGiver.choices)
    purpose = models.CharField(max_length=10, choices=ConsentPurpose.choices)
    data_scope = models.CharField(_("which data"), max_length=200)
    data_categories = models.JSONField(_("data categories"), default=list, blank=True)
    child_assent = models.BooleanField(_("the child assents"), null=True, blank=True)
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"consent {self.id}"


def consent_in_force(prefix: str = "") -> Q:
    """The one rule for a consent in force: not withdrawn, and not expired today.

    ``prefix`` reaches a consent through a relation (``"consent__"`` from a share).
    """
    today = timezone.localdate()
    return Q(**{f"{prefix}withdrawn_at__isnull": True}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": today})
    )


class CaseShareQuerySet(models.QuerySet["CaseShare"]):
    def active(self) -> CaseShareQuerySet:
        """Shares in force: not revoked, and resting on a consent in force."""
        return self.filter(consent_in_force("consent__"), revoked_at__isnull=True)


class CaseShare(models.Model):
    """The case is shared with another agency under a consent (referrals create these)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="shared_cases")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CaseShareQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=Q(revoked_at__isnull=True),
                name="one_open_share_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"share {self.id}"
