"""Every change to a case, kept: who, when, which version, and the values before and after."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safepath.cases.models.records import Case
from safepath.core.fields import EncryptedJSONField


class CaseChange(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=40)
    fields = models.JSONField(default=list)
    before = EncryptedJSONField(default=dict)
    after = EncryptedJSONField(default=dict)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "version", "changed_at"]
        indexes = [models.Index(fields=["case", "version"])]

    def __str__(self) -> str:
        return f"case change {self.id}"
