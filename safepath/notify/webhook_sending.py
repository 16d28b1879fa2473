"""The worker's side of webhooks: send what is due, in batches, signed; retry with backoff;
pause a subscriber that keeps failing and tell the administrators (through ``notify``).

A batch is claimed with one update (a claim token), so two workers never send one delivery
twice; the address is checked again after DNS resolution (``urlguard``) before any byte goes
out; successes are written back in one update per batch. When a subscriber fails, the rest of
its batch waits with it (one slow or dead receiver costs one timeout per run, not one per
message), and its failures in a row are counted: at ``WEBHOOK_PAUSE_AFTER`` it is paused, its
deliveries kept until it is resumed.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.audit.models import Action
from safepath.audit.models import Channel as AuditChannel
from safepath.audit.services import Actor, audit_record, audit_record_many
from safepath.notify import timing, urlguard
from safepath.notify.kinds import short_reference
from safepath.notify.models import (
    DeliveryStatus,
    SubscriptionStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from safepath.notify.services import notify
from safepath.notify.webhook_http import Poster, PostError, signed_headers
from safepath.notify.webhooks import url_policy

logger = logging.getLogger(__name__)

STUCK_AFTER = datetime.timedelta(minutes=15)
CHUNK = 500


@dataclass
class WebhookRun:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    paused: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "failed": self.failed,
            "paused": len(self.paused),
        }


def _claim(now: datetime.datetime) -> list[WebhookDelivery]:
    token = uuid.uuid4().hex
    due = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
            subscription__status=SubscriptionStatus.ACTIVE,
        )
        .order_by("next_attempt_at", "created_at")
        .values_list("id", flat=True)[:CHUNK]
    )
    if not due:
        return []
    WebhookDelivery.objects.filter(pk__in=due, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claim=token, claimed_at=now
    )
    return list(
        WebhookDelivery.objects.filter(claim=token, status=DeliveryStatus.SENDING)
        .select_related("subscription")
        .order_by("next_attempt_at", "created_at")
    )


def _tell_administrators(subscription: WebhookSubscription, now: datetime.datetime) -> None:
    admins = User.objects.filter(role=Role.SYSTEM_ADMIN, is_active=True)
    notify(
        recipients=admins,
        kind="webhook_paused",
        reference=short_reference("WH", subscription.id),
        link=f"/webhooks/{subscription.id}/",
        dedupe_key=f"webhook_paused:{subscription.id}:{now.isoformat()}",
        now=now,
    )


@transaction.atomic
def _fail(
    subscription: WebhookSubscription,
    failed: WebhookDelivery,
    waiting: list[WebhookDelivery],
    detail: str,
    status: int | None,
    now: datetime.datetime,
    run: WebhookRun,
) -> None:
    """The attempt at ``failed`` went wrong: it is retried with backoff (or fails for good);
    ``waiting`` (the rest of the subscriber's batch) goes back to the queue untouched; the
    subscriber's failures in a row are counted, and it is paused at the limit."""
    failed.attempts += 1
    failed.last_error, failed.response_status = detail[:300], status
    failed.claim, failed.claimed_at = "", None
    retry = timing.retry_at(now, failed.attempts)
    if retry is None:
        failed.status, failed.failed_at = DeliveryStatus.FAILED, now
        run.failed += 1
        audit_record(
            actor=Actor.system(AuditChannel.SYSTEM),
            action=Action.UPDATE,
            object_type="webhook_delivery",
            object_id=failed.id,
            details={"status": "failed", "attempts": failed.attempts, "error": detail},
        )
    else:
        failed.status, failed.next_attempt_at = DeliveryStatus.PENDING, retry
        run.retrying += 1
    failed.save()
    later = retry or now + datetime.timedelta(seconds=timing.BACKOFF[0])
    WebhookDelivery.objects.filter(pk__in=[d.pk for d in waiting]).update(
        status=DeliveryStatus.PENDING, claim="", claimed_at=None, next_attempt_at=later
    )
    logger.info(
        "webhook delivery %s to subscription %s: attempt %d failed: %s",
        failed.id,
        subscription.id,
        failed.attempts,
        detail,
    )
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    subscription.refresh_from_db(fields=["consecutive_failures", "status"])
    if (
        subscription.status == SubscriptionStatus.ACTIVE
        and subscription.consecutive_failures >= settings.WEBHOOK_PAUSE_AFTER
    ):
        subscription.status, subscription.paused_at = SubscriptionStatus.PAUSED, now
        subscription.pause_reason = (
            f"paused after {subscription.consecutive_failures} failed attempts in a row; "
            f"last: {detail}"
        )[:300]
        subscription.save(update_fields=["status", "paused_at", "pause_reason"])
        audit_record(
            actor=Actor.system(AuditChannel.SYSTEM),
            action=Action.ADMIN,
            object_type="webhook_subscription",
            object_id=subscription.id,
            details={"status": "paused", "failures": subscription.consecutive_failures},
        )
        logger.warning("webhook subscription %s paused: %s", subscription.id, detail)
        _tell_administrators(subscription, now)
        run.paused.append(str(subscription.id))


@transaction.atomic
def _record_sent(
    subscription: WebhookSubscription, sent: dict[int, list[uuid.UUID]], now: datetime.datetime
) -> None:
    ids = [pk for pks in sent.values() for pk in pks]
    for status, pks in sent.items():
        WebhookDelivery.objects.filter(pk__in=pks).update(
            status=DeliveryStatus.SENT,
            sent_at=now,
            claim="",
            claimed_at=None,
            response_status=status,
            last_error="",
            attempts=F("attempts") + 1,
        )
    WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
    audit_record_many(
        actor=Actor.system(AuditChannel.SYSTEM),
        action=Action.SHARE,
        object_type="webhook_delivery",
        object_ids=ids,
        details={"subscription": str(subscription.id)},
    )


def _send_group(
    subscription: WebhookSubscription,
    deliveries: list[WebhookDelivery],
    poster: Poster,
    now: datetime.datetime,
    run: WebhookRun,
) -> None:
    sent: dict[int, list[uuid.UUID]] = defaultdict(list)
    try:
        target = urlguard.check(subscription.url, url_policy())
    except urlguard.UnsafeUrlError as refused:
        _fail(subscription, deliveries[0], deliveries[1:], f"refused: {refused}", None, now, run)
        return
    secret = subscription.secret
    for index, delivery in enumerate(deliveries):
        headers = signed_headers(secret, delivery.message_id, timezone.now(), delivery.body)
        try:
            status = poster.post(target, delivery.body, headers)
        except PostError as error:
            if sent:
                _record_sent(subscription, sent, now)
                run.sent += sum(len(v) for v in sent.values())
            rest = deliveries[index + 1 :]
            _fail(subscription, delivery, rest, error.detail, error.status, now, run)
            return
        sent[status].append(delivery.pk)
    _record_sent(subscription, sent, now)
    run.sent += len(deliveries)


def webhooks_send_due(
    *, now: datetime.datetime | None = None, limit: int = 100_000, poster: Poster | None = None
) -> WebhookRun:
    """Send every due delivery of the active subscribers, ``CHUNK`` at a time, up to ``limit``
    (idempotent: each batch is claimed first)."""
    now = now or timezone.now()
    run = WebhookRun()
    WebhookDelivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(status=DeliveryStatus.PENDING, claim="", claimed_at=None)
    poster = poster or Poster(timeout=settings.WEBHOOK_TIMEOUT)
    handled = 0
    try:
        while handled < limit:
            batch = _claim(now)
            if not batch:
                break
            handled += len(batch)
            groups: dict[uuid.UUID, list[WebhookDelivery]] = defaultdict(list)
            for delivery in batch:
                groups[delivery.subscription_id].append(delivery)
            for group in groups.values():
                _send_group(group[0].subscription, group, poster, now, run)
    finally:
        poster.close()
    return run
