"""Webhook subscriptions and events: one function per change, atomic, audited.

``webhook_emit`` is what the other apps call (through their ``notices.py``), inside their own
transaction: it writes one delivery per subscriber in one insert, so a committed change always
has its messages (nothing lost), and schedules the worker after commit; sending happens in
``webhook_sending``, never inside a request.
"""

from __future__ import annotations

import base64
import datetime
import json
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.notify import urlguard
from safepath.notify.events import EVENTS, WEBHOOK_CATEGORIES, categories_problem, payload_data
from safepath.notify.models import (
    DeliveryStatus,
    SubscriptionStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from safepath.notify.policies import may_manage_integrations
from safepath.notify.queue import enqueue_once


def url_policy() -> urlguard.Policy:
    return urlguard.Policy(
        allow_http=settings.WEBHOOK_ALLOW_HTTP, allow_private=settings.WEBHOOK_ALLOW_PRIVATE
    )


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def _enqueue_sending() -> None:
    from safepath.notify.tasks import webhooks_deliver

    enqueue_once(webhooks_deliver)


def _require_admin(user: User) -> None:
    if not may_manage_integrations(user):
        raise NotFoundError(_("No such page."))


def subscription_get(*, user: User, subscription_id: Any) -> WebhookSubscription:
    _require_admin(user)
    try:
        return WebhookSubscription.objects.get(pk=subscription_id)
    except (WebhookSubscription.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such webhook subscription.")) from None


@dataclass(frozen=True)
class SubscriptionInput:
    name: str
    url: str
    events: list[str]
    data_categories: list[str]
    agencies: list[Any]  # agency ids


def _check(data: SubscriptionInput) -> list[Agency]:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Give the subscription a name.")]
    try:
        urlguard.check(data.url, url_policy())
    except urlguard.UnsafeUrlError as unsafe:
        errors["url"] = [_("This address cannot receive webhooks: %(why)s.") % {"why": unsafe}]
    unknown = sorted(set(data.events) - set(EVENTS))
    if not data.events or unknown:
        errors["events"] = [
            _("Choose one or more events from the list (unknown: %(codes)s).")
            % {"codes": ", ".join(unknown) or "-"}
        ]
    refused = categories_problem(data.data_categories)
    if refused:
        errors["data_categories"] = [
            _(
                "A webhook may carry only these categories: %(allowed)s; never identifying "
                "data (refused: %(refused)s)."
            )
            % {"allowed": ", ".join(sorted(WEBHOOK_CATEGORIES)), "refused": refused}
        ]
    agencies = list(Agency.objects.filter(pk__in=[str(a) for a in data.agencies]))
    if not data.agencies or len(agencies) != len(set(map(str, data.agencies))):
        errors["agencies"] = [_("Choose one or more agencies whose events it receives.")]
    if errors:
        raise FieldValidationError(errors)
    return agencies


@transaction.atomic
def webhook_subscribe(
    *, user: User, data: SubscriptionInput, channel: str
) -> tuple[WebhookSubscription, str]:
    """Subscribe an external system; returns the subscription and its secret (shown once)."""
    _require_admin(user)
    agencies = _check(data)
    secret = new_secret()
    subscription = WebhookSubscription.objects.create(
        name=data.name.strip(),
        url=data.url,
        secret=secret,
        events=sorted(set(data.events)),
        data_categories=sorted(set(data.data_categories)),
        created_by=user,
    )
    subscription.agencies.set(agencies)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.ADMIN,
        object_type="webhook_subscription",
        object_id=subscription.id,
        details={"created": True, "events": subscription.events},
    )
    return subscription, secret


@transaction.atomic
def webhook_update(
    *, user: User, subscription_id: Any, data: SubscriptionInput, channel: str
) -> WebhookSubscription:
    subscription = subscription_get(user=user, subscription_id=subscription_id)
    agencies = _check(data)
    subscription.name, subscription.url = data.name.strip(), data.url
    subscription.events = sorted(set(data.events))
    subscription.data_categories = sorted(set(data.data_categories))
    subscription.updated_at = timezone.now()
    subscription.save()
    subscription.agencies.set(agencies)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.ADMIN,
        object_type="webhook_subscription",
        object_id=subscription.id,
        details={"updated": ["name", "url", "events", "data_categories", "agencies"]},
    )
    return subscription


@transaction.atomic
def webhook_secret_rotate(
    *, user: User, subscription_id: Any, channel: str
) -> tuple[WebhookSubscription, str]:
    """A new secret; messages signed from now on use it (the old one stops at once)."""
    subscription = subscription_get(user=user, subscription_id=subscription_id)
    secret = new_secret()
    subscription.secret, subscription.updated_at = secret, timezone.now()
    subscription.save(update_fields=["secret", "updated_at"])
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.KEY_ROTATION,
        object_type="webhook_subscription",
        object_id=subscription.id,
    )
    return subscription, secret


@transaction.atomic
def webhook_set_paused(
    *, user: User, subscription_id: Any, paused: bool, channel: str
) -> WebhookSubscription:
    """Pause (deliveries wait) or resume (the waiting ones go at once, failures count anew)."""
    subscription = subscription_get(user=user, subscription_id=subscription_id)
    now = timezone.now()
    if paused:
        subscription.status, subscription.paused_at = SubscriptionStatus.PAUSED, now
        subscription.pause_reason = _("Paused by the administrator.")
    else:
        subscription.status, subscription.paused_at = SubscriptionStatus.ACTIVE, None
        subscription.pause_reason, subscription.consecutive_failures = "", 0
        subscription.deliveries.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=now)
        transaction.on_commit(_enqueue_sending)
    subscription.updated_at = now
    subscription.save()
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.ADMIN,
        object_type="webhook_subscription",
        object_id=subscription.id,
        details={"status": subscription.status},
    )
    return subscription


def _delivery(
    subscription: WebhookSubscription,
    event_type: str,
    values: dict[str, Any],
    message_id: str,
    now: datetime.datetime,
) -> WebhookDelivery:
    categories = frozenset(subscription.data_categories)
    body = {
        "type": event_type,
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "data": payload_data(event_type, values, categories),
    }
    return WebhookDelivery(
        subscription=subscription,
        message_id=message_id,
        event_type=event_type,
        body=json.dumps(body, cls=DjangoJSONEncoder, separators=(",", ":"), sort_keys=True),
        next_attempt_at=now,
        created_at=now,
    )


def webhook_emit(
    *,
    event_type: str,
    agencies: Iterable[Any],
    values: dict[str, Any],
    now: datetime.datetime | None = None,
) -> int:
    """Queue ``event_type`` for every subscriber to it that follows one of ``agencies`` (ids),
    each with the data its categories allow; the number of deliveries queued. Called inside the
    caller's transaction."""
    return webhook_emit_many(event_type=event_type, events=[(agencies, values)], now=now)


def webhook_emit_many(
    *,
    event_type: str,
    events: Sequence[tuple[Iterable[Any], dict[str, Any]]],
    now: datetime.datetime | None = None,
) -> int:
    """Queue many events of one type (an import, a nightly run): one query for the subscribers
    and one insert for all their deliveries, whatever the number of events."""
    if event_type not in EVENTS:
        raise ValueError(f"unknown webhook event {event_type!r}")
    now = now or timezone.now()
    wanted = [({str(a) for a in agencies if a is not None}, values) for agencies, values in events]
    every_agency = set().union(*(agency_ids for agency_ids, _values in wanted)) if wanted else set()
    if not every_agency:
        return 0
    follows: dict[Any, set[str]] = defaultdict(set)
    subscribers: dict[Any, WebhookSubscription] = {}
    rows = WebhookSubscription.agencies.through.objects.filter(
        agency_id__in=every_agency
    ).select_related("webhooksubscription")
    for row in rows:
        subscription = row.webhooksubscription
        if event_type in subscription.events:
            subscribers[subscription.pk] = subscription
            follows[subscription.pk].add(str(row.agency_id))
    if not subscribers:
        return 0
    deliveries: list[WebhookDelivery] = []
    for agency_ids, values in wanted:
        message_id = new_message_id()  # one event, one id, whoever receives it
        deliveries.extend(
            _delivery(subscription, event_type, values, message_id, now)
            for pk, subscription in subscribers.items()
            if follows[pk] & agency_ids
        )
    WebhookDelivery.objects.bulk_create(deliveries, batch_size=500)
    if deliveries and any(s.status == SubscriptionStatus.ACTIVE for s in subscribers.values()):
        transaction.on_commit(_enqueue_sending)
    return len(deliveries)


@transaction.atomic
def webhook_send_test(*, user: User, subscription_id: Any, channel: str) -> WebhookDelivery:
    """A ``webhook.test`` message to this subscriber only, to check its receiver."""
    subscription = subscription_get(user=user, subscription_id=subscription_id)
    now = timezone.now()
    delivery = _delivery(
        subscription,
        "webhook.test",
        {"subscription_id": str(subscription.id), "sent_at": now},
        new_message_id(),
        now,
    )
    delivery.save(force_insert=True)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.ADMIN,
        object_type="webhook_delivery",
        object_id=delivery.id,
        details={"test": True},
    )
    transaction.on_commit(_enqueue_sending)
    return delivery


@transaction.atomic
def webhook_replay(*, user: User, delivery_id: Any, channel: str) -> WebhookDelivery:
    """Send a past message again: the same body and ``webhook-id`` (so the receiver can tell it
    has it already), a fresh timestamp and signature, logged as a new delivery."""
    _require_admin(user)
    try:
        original = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    except (WebhookDelivery.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such delivery.")) from None
    if original.status in {DeliveryStatus.PENDING, DeliveryStatus.SENDING}:
        raise ApplicationError(
            _("This delivery is still being sent; replay it once it has been sent or failed."),
            code="not_finished",
        )
    now = timezone.now()
    replay = WebhookDelivery.objects.create(
        subscription=original.subscription,
        message_id=original.message_id,
        event_type=original.event_type,
        body=original.body,
        next_attempt_at=now,
        created_at=now,
        replay_of=original,
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.ADMIN,
        object_type="webhook_delivery",
        object_id=replay.id,
        details={"replay_of": str(original.id)},
    )
    if original.subscription.status == SubscriptionStatus.ACTIVE:
        transaction.on_commit(_enqueue_sending)
    return replay
