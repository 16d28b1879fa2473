"""A person's notifications, how each reaches them (deliveries) and how they want to be reached.

A notification holds a kind, an urgency, a reference and a link: never a child's name or an
identifying detail (``kinds.reference_problem`` and ``kinds.link_problem`` refuse free text).
A delivery is one e-mail or SMS; it is kept, with its attempts and last error, until it is sent
or has failed for good, so nothing is lost and a failure stays visible to the administrator.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.core.fields import EncryptedTextField
from safepath.notify.kinds import KINDS


class Notification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=[(k, k) for k in KINDS])
    urgent = models.BooleanField(_("urgent"), default=False)
    reference = models.CharField(_("reference"), max_length=20)
    link = models.CharField(_("link"), max_length=200)
    # the same event tells the same person once (a periodic scan may see it again)
    dedupe_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # non-urgent, waiting for the person's next digest
    digest_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["digest_pending", "recipient"], name="notification_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One message to one person on one channel: a single notification, or a digest of many."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_deliveries"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    digest = models.BooleanField(default=False)
    notifications = models.ManyToManyField(Notification, related_name="deliveries")
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claim = models.CharField(max_length=32, blank=True)  # the worker's run that sends it
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("at once")
    DAILY = "daily", _("a daily digest")
    WEEKLY = "weekly", _("a weekly digest")


class Preference(models.Model):
    """How a person wants to be reached. Urgent notifications always go at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("by e-mail"), default=True)
    sms_enabled = models.BooleanField(_("urgent ones by SMS"), default=False)
    phone = EncryptedTextField(_("mobile number for SMS"), blank=True)
    frequency = models.CharField(
        _("other notifications by e-mail"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.DAILY,
    )
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    last_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


# --- webhooks: external systems told of events ---------------------------------------------------


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")


class WebhookSubscription(models.Model):
    """An external system told of events about the cases of ``agencies``, with a payload cut to
    its ``data_categories`` (``events.WEBHOOK_CATEGORIES`` at most: never identity). A paused
    subscription keeps collecting its deliveries; they go when it is resumed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address (URL)"), max_length=500)
    secret = EncryptedTextField()  # whsec_<base64>, shown once to the administrator
    events = models.JSONField(_("events"), default=list)
    data_categories = models.JSONField(_("data categories"), default=list, blank=True)
    agencies = models.ManyToManyField("accounts.Agency", related_name="webhook_subscriptions")
    status = models.CharField(
        max_length=8, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE
    )
    consecutive_failures = models.PositiveIntegerField(default=0)
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"webhook {self.id}"


class WebhookDelivery(models.Model):
    """One message to one subscriber: the exact body it is signed over, kept so a failed or
    past delivery can be replayed. ``message_id`` is the ``webhook-id`` header: a replay keeps
    it, so the receiver can tell it already has the message."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40)
    event_type = models.CharField(max_length=40)
    body = models.TextField()
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    replay_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replays"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["subscription", "created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.status}"


# --- API clients: systems, not people ------------------------------------------------------------


class ApiClient(models.Model):
    """A credential for a system (an OpenFn job, another case-management system): scoped to
    agencies and purposes, never a person's token. Only a hash of the key is kept; rotating
    makes a new key and the old one stops working at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=100)
    agencies = models.ManyToManyField("accounts.Agency", related_name="api_clients")
    purposes = models.JSONField(_("purposes"), default=list)
    key_prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"api client {self.id}"

    # DRF's throttles and permissions read these of request.user
    is_authenticated = True
    is_active = True
