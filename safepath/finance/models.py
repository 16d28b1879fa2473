"""Screening runs, the red-flag alerts they raise, and what analysts decide about them.

Customer and account identifiers are identifying financial data: they are encrypted
(core/fields.py), and the customer id has a keyed blind index so that "one alert per customer
per period" can be checked without decrypting. Uploaded files are kept only while a run works
on them; the run keeps their SHA-256 and size, and an alert keeps only the rows it rests on
(the customer's profile and the evidence transactions), encrypted.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency
from safepath.core.fields import EncryptedJSONField, EncryptedTextField

CUSTOMER_INDEX_PURPOSE = "finance.customer_id"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed: the files have problems")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    NOT_SUSPICIOUS = "not_suspicious", _("Not suspicious")
    ESCALATED = "escalated", _("Escalated")
    REPORTED = "reported", _("To report")


class Decision(models.TextChoices):
    NOT_SUSPICIOUS = "not_suspicious", _("Not suspicious")
    ESCALATE = "escalate", _("Escalate")
    REPORT = "report", _("Report to the financial intelligence unit")


STATUS_AFTER: dict[str, str] = {
    Decision.NOT_SUSPICIOUS: AlertStatus.NOT_SUSPICIOUS,
    Decision.ESCALATE: AlertStatus.ESCALATED,
    Decision.REPORT: AlertStatus.REPORTED,
}

# Decisions that count as a true alert when the metrics compute precision.
POSITIVE_DECISIONS = frozenset({Decision.ESCALATE, Decision.REPORT})


class ScreeningRun(models.Model):
    """One upload of transactions and customers, screened by the engine in the background."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    base_currency = models.CharField(max_length=3, default="USD")
    # What was uploaded, without its contents: {"transactions": {"sha256", "size", "format"}, ...}
    files = models.JSONField(default=dict)
    customers_screened = models.PositiveIntegerField(default=0)
    transactions_screened = models.PositiveIntegerField(default=0)
    alerts_raised = models.PositiveIntegerField(default=0)
    alerts_suppressed = models.PositiveIntegerField(default=0)
    skipped_rules = models.JSONField(default=list, blank=True)
    # The engine's input problems (file, row, field, message): they may quote values, so encrypted.
    problems = EncryptedJSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "-created_at"])]

    def __str__(self) -> str:
        return f"screening run {self.id}"


class FinancialAlert(models.Model):
    """One customer, one period, scored above the threshold; explained by its rule hits."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(
        ScreeningRun, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    customer_id = EncryptedTextField(_("customer"))
    customer_index = models.CharField(max_length=32, editable=False)
    # The customer's profile row and the transactions behind the hits, for the evidence view
    # and the report; nothing else from the upload is kept.
    customer_record = EncryptedJSONField(default=dict)
    evidence_transactions = EncryptedJSONField(default=list)
    score = models.PositiveIntegerField(_("score"))
    band = models.CharField(_("band"), max_length=20)
    typologies = models.JSONField(_("typologies"), default=list)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    checklist = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "created_at"]
        indexes = [
            models.Index(fields=["agency", "status", "-score"]),
            models.Index(fields=["agency", "customer_index"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "customer_index", "period_start", "period_end"],
                name="finance_one_alert_per_customer_period",
            )
        ]

    def __str__(self) -> str:
        return f"financial alert {self.id}"  # never the customer: this string can reach logs


class RuleHit(models.Model):
    """Why an alert was raised: one rule, the transactions that made it fire, its parameters."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alert = models.ForeignKey(FinancialAlert, on_delete=models.CASCADE, related_name="hits")
    rule_id = models.CharField(max_length=20, db_index=True)
    title = models.CharField(max_length=300)
    typology = models.CharField(max_length=60)
    weight = models.IntegerField()
    evidence_txn_ids = EncryptedJSONField(default=list)
    parameters = models.JSONField(default=dict)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-weight", "rule_id"]

    def __str__(self) -> str:
        return f"{self.rule_id} on {self.alert_id}"


class AlertDisposition(models.Model):
    """An analyst's decision on an alert. Append-only: a later decision adds a row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alert = models.ForeignKey(FinancialAlert, on_delete=models.PROTECT, related_name="dispositions")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reason = EncryptedTextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    alert_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["alert", "decided_at"]
        indexes = [models.Index(fields=["alert", "decided_at"])]

    def __str__(self) -> str:
        return f"disposition {self.id}"


class AlertReport(models.Model):
    """A suspicious transaction report generated from an alert (goAML XML), validated, kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alert = models.ForeignKey(FinancialAlert, on_delete=models.PROTECT, related_name="reports")
    report_format = models.CharField(max_length=20, default="goaml")
    profile = models.CharField(max_length=60)
    content = EncryptedTextField()
    sha256 = models.CharField(max_length=64)
    valid = models.BooleanField(default=False)
    validation_errors = models.JSONField(default=list, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-generated_at"]

    def __str__(self) -> str:
        return f"report {self.id}"
