"""What instances exchange, and for what: the purposes a partner is registered for, the kinds
of message, and which kinds go with which purpose."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safepath.cases.vocabulary import ConsentPurpose


class Purpose(models.TextChoices):
    TRACING = "tracing", _("Family tracing")
    MATCHING = "matching", _("Privacy-preserving matching")
    CASE_TRANSFER = "case_transfer", _("Case transfer")
    REFERRAL = "referral", _("Cross-border referral")


class Kind(models.TextChoices):
    CASE_TRANSFER = "case_transfer", _("Case transfer package")
    REFERRAL = "referral", _("Cross-border referral")
    TRACING_REQUEST = "tracing_request", _("Tracing request")
    TRACING_ANSWER = "tracing_answer", _("Tracing answer")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    CONSENT_WITHDRAWAL = "consent_withdrawal", _("Consent withdrawal")
    CASE_CLOSURE = "case_closure", _("Case-closure notice")


# A kind travels only under these purposes. Acknowledgements, withdrawals and closures follow
# the message they answer, so they take its purpose.
KIND_PURPOSES: dict[str, frozenset[str]] = {
    Kind.CASE_TRANSFER: frozenset({Purpose.CASE_TRANSFER}),
    Kind.REFERRAL: frozenset({Purpose.REFERRAL}),
    Kind.TRACING_REQUEST: frozenset({Purpose.TRACING}),
    Kind.TRACING_ANSWER: frozenset({Purpose.TRACING}),
    Kind.ACKNOWLEDGEMENT: frozenset(Purpose.values),
    Kind.CONSENT_WITHDRAWAL: frozenset(Purpose.values),
    Kind.CASE_CLOSURE: frozenset({Purpose.CASE_TRANSFER, Purpose.REFERRAL}),
}

# The consent that must be in force, for the recipient, before a child's data goes out for
# each purpose (cases/vocabulary.py's purposes).
CONSENT_FOR: dict[str, str] = {
    Purpose.CASE_TRANSFER: ConsentPurpose.SHARING,
    Purpose.REFERRAL: ConsentPurpose.REFERRAL,
    Purpose.TRACING: ConsentPurpose.TRACING,
    Purpose.MATCHING: ConsentPurpose.MATCHING,
}


class Direction(models.TextChoices):
    OUT = "out", _("Sent")
    IN = "in", _("Received")


class MessageStatus(models.TextChoices):
    # outgoing
    QUEUED = "queued", _("Waiting to be sent")
    SENT = "sent", _("Delivered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the partner")
    FAILED = "failed", _("Could not be delivered")
    # incoming
    RECEIVED = "received", _("Received, waiting to be applied")
    APPLIED = "applied", _("Applied")
    DECLINED = "declined", _("Declined")


class TransferStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared, waiting for a supervisor")
    APPROVED = "approved", _("Approved and sent")
    ACCEPTED = "accepted", _("Accepted by the receiving agency")
    DECLINED = "declined", _("Declined by the receiving agency")
    CANCELLED = "cancelled", _("Cancelled")
