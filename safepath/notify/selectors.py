"""Reads: a person's own notifications, and the failed deliveries for the administrator."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.exceptions import NotFoundError
from safepath.notify.models import Delivery, DeliveryStatus, Notification
from safepath.notify.policies import may_manage_deliveries


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    notes = Notification.objects.filter(recipient=user).order_by("-created_at")
    return notes.filter(read_at__isnull=True) if unread_only else notes


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def delivery_failed_list(*, user: User) -> QuerySet[Delivery]:
    if not may_manage_deliveries(user):
        raise NotFoundError(_("No such page."))
    return (
        Delivery.objects.filter(status=DeliveryStatus.FAILED)
        .select_related("recipient")
        .order_by("-failed_at")
    )


def delivery_failed_count() -> int:
    return Delivery.objects.filter(status=DeliveryStatus.FAILED).count()
