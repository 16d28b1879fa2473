"""Partner instances: another country's SafePath, registered by an administrator with its
public keys, the agencies it speaks for, the purposes it may exchange and the data categories
it may receive. Nothing goes to an instance that is not registered for the purpose."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency, validate_country


class PartnerQuerySet(models.QuerySet["Partner"]):
    def active(self) -> PartnerQuerySet:
        return self.filter(is_active=True)


class Partner(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instance_id = models.CharField(_("instance id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    # Where its inbox answers (https://..., or http:// on a loopback address); empty for an
    # instance that pulls or exchanges files only.
    url = models.URLField(_("address"), blank=True)
    public_keys = models.JSONField(_("public keys (JWK set)"))
    purposes = models.JSONField(_("purposes"), default=list)
    data_categories = models.JSONField(_("data categories it may receive"), default=list)
    # This instance's records of the agencies it speaks for (type "foreign counterpart"):
    # a consent names one of them as its recipient.
    agencies = models.ManyToManyField(Agency, related_name="exchange_partners", blank=True)
    is_active = models.BooleanField(default=True)
    # Our next outgoing sequence number to it (each message takes one, under a row lock).
    next_sequence = models.PositiveBigIntegerField(default=1, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    registered_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return self.instance_id

    def allows(self, purpose: str) -> bool:
        return self.is_active and purpose in self.purposes

    def jwks(self) -> dict[str, Any]:
        return dict(self.public_keys)
