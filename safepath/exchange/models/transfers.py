"""A case transfer: prepared by a caseworker, approved by a supervisor (who sees exactly the
package that will go), then sent; and the link between the two references on both sides."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safepath.accounts.models import Agency
from safepath.cases.models import BestInterestsDetermination, Case, Consent
from safepath.core.fields import EncryptedJSONField
from safepath.exchange.models.messages import Message
from safepath.exchange.models.partners import Partner
from safepath.exchange.vocabulary import Direction, TransferStatus


class Transfer(models.Model):
    """The sender's side. ``package`` is what leaves, exactly as the supervisor saw it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="transfers")
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+")
    determination = models.ForeignKey(
        BestInterestsDetermination, on_delete=models.PROTECT, related_name="+"
    )
    categories = models.JSONField(default=list)
    package = EncryptedJSONField()
    package_digest = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PREPARED
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    message = models.OneToOneField(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="transfer"
    )
    remote_reference = models.CharField(max_length=32, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-prepared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "partner"],
                condition=models.Q(status__in=["prepared", "approved"]),
                name="one_open_transfer_per_case_and_partner",
            )
        ]

    def __str__(self) -> str:
        return f"transfer {self.id}"


class CaseLink(models.Model):
    """A local case and its counterpart at a partner: the two references stay linked, and a
    withdrawal of the consent the data came under finds the case here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="links")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    remote_case_id = models.CharField(max_length=64, blank=True)
    remote_reference = models.CharField(max_length=32, blank=True)
    remote_consent_id = models.CharField(max_length=64, blank=True, db_index=True)
    categories = models.JSONField(default=list)
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "direction", "remote_case_id"], name="one_link_per_remote_case"
            )
        ]

    def __str__(self) -> str:
        return f"case link {self.id}"
