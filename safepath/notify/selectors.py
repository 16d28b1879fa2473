"""Reads: a person's own notifications; for the administrator, the failed deliveries, the
webhook subscriptions with their delivery log, and the API clients."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.exceptions import NotFoundError
from safepath.notify.models import (
    ApiClient,
    Delivery,
    DeliveryStatus,
    Notification,
    WebhookDelivery,
    WebhookSubscription,
)
from safepath.notify.policies import may_manage_deliveries, may_manage_integrations


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


# --- webhooks and API clients (administrator) ----------------------------------------------------


def _require_integrations(user: User) -> None:
    if not may_manage_integrations(user):
        raise NotFoundError(_("No such page."))


def webhook_list(*, user: User) -> QuerySet[WebhookSubscription]:
    _require_integrations(user)
    return WebhookSubscription.objects.prefetch_related("agencies").order_by("name")


def webhook_delivery_log(
    *, user: User, subscription: WebhookSubscription, status: str = ""
) -> QuerySet[WebhookDelivery]:
    """A subscription's deliveries, newest first (``status`` narrows them)."""
    _require_integrations(user)
    log = WebhookDelivery.objects.filter(subscription=subscription).order_by("-created_at")
    return log.filter(status=status) if status in DeliveryStatus.values else log


def api_client_list(*, user: User) -> QuerySet[ApiClient]:
    _require_integrations(user)
    return ApiClient.objects.prefetch_related("agencies").order_by("name")
