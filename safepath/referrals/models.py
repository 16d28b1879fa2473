"""The service directory, referrals between agencies, and the escalations of overdue referrals.

A referral carries only what the receiving agency needs to decide (case reference, service,
urgency, the referrer's reason, encrypted); the case itself opens to the receiving agency only
on acceptance, through a consent-scoped ``CaseShare``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency, validate_country
from safepath.cases.models import Case, CaseShare, Consent
from safepath.core.fields import EncryptedTextField


class Urgency(models.TextChoices):
    HIGH = "high", _("High: answer within 24 hours")
    MEDIUM = "medium", _("Medium: answer within 3 days")
    LOW = "low", _("Low: answer within 7 days")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Outcome reported")


class DeclineCode(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity now")
    NOT_ELIGIBLE = "not_eligible", _("The child is outside the ages, gender or area served")
    NOT_OFFERED = "not_offered", _("We do not offer this service")
    ALREADY_SERVED = "already_served", _("The child already receives this service")
    OTHER = "other", _("Other reason")


class Outcome(models.TextChoices):
    DELIVERED = "delivered", _("Service delivered")
    NOT_DELIVERED = "not_delivered", _("Service not delivered")
    CHILD_DECLINED = "child_declined", _("The child declined the service")


class GenderServed(models.TextChoices):
    ANY = "any", _("Any")
    FEMALE = "female", _("Girls and young women")
    MALE = "male", _("Boys and young men")


class ServiceProvider(models.Model):
    """Who provides services: an agency on SafePath (it can receive referrals) or an external
    provider listed for information."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    agency = models.OneToOneField(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_provider",
    )
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.agency_id is None


class OperatingStatus(models.TextChoices):
    """Whether a service runs now (a crisis closes, shrinks or moves services)."""

    OPEN = "open", _("Open")
    REDUCED = "reduced", _("Reduced: fewer places or hours")
    CLOSED = "closed", _("Closed")
    MOVED = "moved", _("Moved to another place")


class Service(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    service_type = models.CharField(_("service type"), max_length=60, db_index=True)
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    admin_area = models.CharField(_("region or county"), max_length=100, blank=True)
    city = models.CharField(_("city or town"), max_length=100, blank=True)
    languages = models.JSONField(_("languages (ISO 639 codes)"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(_("youngest age served"), default=0)
    age_max = models.PositiveSmallIntegerField(_("oldest age served"), default=17)
    gender_served = models.CharField(
        _("gender served"), max_length=10, choices=GenderServed.choices, default=GenderServed.ANY
    )
    capacity = models.PositiveIntegerField(_("places or clients at a time"), null=True, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The latest status report (the history is in ServiceStatusReport)
    operating_status = models.CharField(
        _("operating status"),
        max_length=10,
        choices=OperatingStatus.choices,
        default=OperatingStatus.OPEN,
    )
    status_reported_at = models.DateTimeField(_("status reported at"), null=True, blank=True)
    status_note = models.CharField(_("about the status"), max_length=300, blank=True)
    moved_to = models.CharField(_("moved to"), max_length=200, blank=True)

    class Meta:
        ordering = ["country", "admin_area", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="one_service_name_per_provider"
            ),
            models.CheckConstraint(
                condition=Q(age_min__lte=models.F("age_max")), name="ages_in_order"
            ),
        ]
        indexes = [models.Index(fields=["country", "service_type"])]

    def __str__(self) -> str:
        return self.name


class ServiceStatusReport(models.Model):
    """A service's status as reported, with its time: kept, so the directory's history shows
    when a service closed, shrank, moved or reopened."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="status_reports")
    status = models.CharField(max_length=10, choices=OperatingStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    moved_to = models.CharField(max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["service", "-reported_at"]

    def __str__(self) -> str:
        return f"service status {self.id}"


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    receiving_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="incoming_referrals"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    service_type = models.CharField(_("service type"), max_length=60)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    reason = EncryptedTextField(_("why the child needs this service"))
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    urgent_exception_reason = EncryptedTextField(
        _("urgent protection: why consent could not wait"), blank=True
    )
    consent_pending = models.BooleanField(
        _("consent to be obtained afterwards"), default=False, db_index=True
    )
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    due_at = models.DateTimeField(_("answer due"))
    overdue_at = models.DateTimeField(_("marked overdue"), null=True, blank=True)
    decline_code = models.CharField(max_length=20, choices=DeclineCode.choices, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_note = EncryptedTextField(_("outcome note"), blank=True)
    share = models.ForeignKey(
        CaseShare, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["receiving_agency", "status", "-created_at"]),
            models.Index(fields=["referring_agency", "status", "-created_at"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"referral {self.id}"

    @property
    def is_overdue(self) -> bool:
        """Unanswered past its deadline (whether or not the worker has marked it yet)."""
        return self.status == ReferralStatus.PENDING and (
            self.overdue_at is not None or self.due_at <= timezone.now()
        )


class Escalation(models.Model):
    """An overdue referral brought to someone's attention: level 1 the referring worker, level 2
    the supervisors of both agencies."""

    WORKER = 1
    SUPERVISOR = 2

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(
        choices=[(WORKER, _("To the worker")), (SUPERVISOR, _("To the supervisor"))]
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_escalations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "level", "recipient"], name="one_escalation_per_step"
            )
        ]
        indexes = [models.Index(fields=["recipient", "resolved_at"])]

    def __str__(self) -> str:
        return f"escalation {self.id}"
