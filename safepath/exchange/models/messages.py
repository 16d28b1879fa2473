"""Every message sent to or received from a partner, with its hash (both sides audit it, so
the two chains can be reconciled). An outgoing message keeps its sealed token until delivered
(push, pull or file); an incoming one keeps its verified body, encrypted, until applied."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from safepath.accounts.models import Agency
from safepath.cases.models import Case
from safepath.core.fields import EncryptedJSONField
from safepath.exchange.models.partners import Partner
from safepath.exchange.vocabulary import Direction, Kind, MessageStatus, Purpose


class Message(models.Model):
    id = models.UUIDField(primary_key=True, editable=False)  # the envelope's id
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    purpose = models.CharField(max_length=15, choices=Purpose.choices)
    sequence = models.PositiveBigIntegerField()
    digest = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=15, choices=MessageStatus.choices)
    token = models.TextField(blank=True)  # the sealed JWE (outgoing, until delivered)
    body = EncryptedJSONField(null=True, blank=True)  # the verified body (incoming)
    size = models.PositiveBigIntegerField(default=0)
    in_reply_to = models.UUIDField(null=True, blank=True, db_index=True)
    # Incoming transfers: the agency here it is addressed to (whose caseworkers answer it).
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)  # a code and a status, no content
    delivered_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "direction", "sequence"], name="one_message_per_sequence"
            )
        ]
        indexes = [models.Index(fields=["direction", "status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.direction} {self.kind} {self.id}"
