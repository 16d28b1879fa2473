"""Every change to notifications: one function each, atomic, audited.

``notify`` is what the other apps call, inside their own transaction, so a committed change
always has its notifications (nothing lost); sending is a side effect, scheduled with
``transaction.on_commit`` for the worker, never done inside the request.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Min, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.audit.models import Action
from safepath.audit.models import Channel as AuditChannel
from safepath.audit.services import Actor, audit_deferred, audit_record
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.notify import rendering, timing
from safepath.notify.kinds import KINDS, link_problem, reference_problem
from safepath.notify.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Frequency,
    Notification,
    Preference,
)
from safepath.notify.queue import enqueue_once
from safepath.notify.sms import SendError, sms_channel

logger = logging.getLogger(__name__)

# A delivery left "sending" this long was cut off (a worker stopped): it is tried again.
STUCK_AFTER = datetime.timedelta(minutes=15)


def preference_of(user: User) -> Preference:
    """The person's preferences, or the defaults (unsaved) when they never set any."""
    try:
        return Preference.objects.get(user=user)
    except Preference.DoesNotExist:
        return Preference(user=user)


def _window(preference: Preference) -> timing.Window:
    return timing.Window(preference.quiet_start, preference.quiet_end, preference.time_zone)


def _enqueue_sending() -> None:
    from safepath.notify.tasks import notifications_deliver

    enqueue_once(notifications_deliver)


@dataclass(frozen=True)
class Notice:
    """One event to tell people of: what ``notify`` takes, for ``notify_many``."""

    recipients: Iterable[User]
    kind: str
    reference: str
    link: str
    dedupe_key: str


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    reference: str,
    link: str,
    dedupe_key: str,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Tell each recipient, once per ``dedupe_key``: a kind, a reference and a link, never a
    name. Urgent kinds get their e-mail and SMS deliveries at once; others go by the person's
    frequency (at once after their quiet hours, or in their digest)."""
    return notify_many(notices=[Notice(recipients, kind, reference, link, dedupe_key)], now=now)


def _told(notices: list[Notice], people: dict[Any, User]) -> set[tuple[Any, str]]:
    keys = sorted({n.dedupe_key for n in notices})
    told: set[tuple[Any, str]] = set()
    for first in range(0, len(keys), IN_CHUNK):
        told.update(
            Notification.objects.filter(
                recipient__in=people, dedupe_key__in=keys[first : first + IN_CHUNK]
            ).values_list("recipient_id", "dedupe_key")
        )
    return told


IN_CHUNK = 500


@transaction.atomic
def notify_many(
    *, notices: Sequence[Notice], now: datetime.datetime | None = None
) -> list[Notification]:
    """``notify`` for many events at once (a nightly scan, an import): two reads, one insert
    per table and the audit events chained together, whatever the number of events."""
    now = now or timezone.now()
    batch = [
        Notice([u for u in n.recipients if u.is_active], n.kind, n.reference, n.link, n.dedupe_key)
        for n in notices
    ]
    for notice in batch:
        problem = reference_problem(notice.reference) or link_problem(notice.link)
        if problem:
            raise ValueError(f"a notification carries a reference and a link only: {problem}")
    people = {user.pk: user for notice in batch for user in notice.recipients}
    told = _told(batch, people) if people else set()
    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=people)}
    created: list[Notification] = []
    deliveries: list[Delivery] = []
    links = []
    due_now = False
    audits = []
    for notice in batch:
        spec = KINDS[notice.kind]
        made: list[Notification] = []
        for user in {u.pk: u for u in notice.recipients}.values():
            if (user.pk, notice.dedupe_key) in told:
                continue
            told.add((user.pk, notice.dedupe_key))
            preference = preferences.get(user.pk) or Preference(user=user)
            by_email = preference.email_enabled and bool(user.email)
            waits = not spec.urgent and preference.frequency != Frequency.IMMEDIATE
            note = Notification(
                recipient=user,
                kind=notice.kind,
                urgent=spec.urgent,
                reference=notice.reference,
                link=notice.link,
                dedupe_key=notice.dedupe_key,
                created_at=now,
                digest_pending=by_email and waits,
            )
            made.append(note)
            if waits:
                continue
            at = timing.release_at(now, urgent=spec.urgent, window=_window(preference))
            channels = [Channel.EMAIL] if by_email else []
            if spec.urgent and preference.sms_enabled and preference.phone:
                channels.append(Channel.SMS)
            for channel in channels:
                delivery = Delivery(
                    recipient=user, channel=channel, next_attempt_at=at, created_at=now
                )
                deliveries.append(delivery)
                links.append(Delivery.notifications.through(delivery=delivery, notification=note))
                due_now = due_now or at <= now
        if made:
            created.extend(made)
            audits.append((notice, made))
    # one insert per table, whatever the number of events and recipients
    Notification.objects.bulk_create(created, batch_size=IN_CHUNK)
    Delivery.objects.bulk_create(deliveries, batch_size=IN_CHUNK)
    Delivery.notifications.through.objects.bulk_create(links, batch_size=IN_CHUNK)
    with audit_deferred():  # chained together at the end: one lock, one insert
        for notice, made in audits:
            audit_record(
                actor=Actor.system(AuditChannel.SYSTEM),
                action=Action.CREATE,
                object_type="notification",
                object_id=made[0].id,
                details={
                    "kind": notice.kind,
                    "reference": notice.reference,
                    "recipients": [str(n.recipient_id) for n in made],
                },
            )
    if due_now:
        transaction.on_commit(_enqueue_sending)
    return created


def _own(user: User, notification_id: Any) -> Notification:
    try:
        return Notification.objects.get(pk=notification_id, recipient=user)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such notification.")) from None


@transaction.atomic
def notification_mark_read(
    *, user: User, notification_id: Any, channel: str, now: datetime.datetime | None = None
) -> Notification:
    note = _own(user, notification_id)
    if note.read_at is None:
        note.read_at = now or timezone.now()
        note.save(update_fields=["read_at"])
        audit_record(
            actor=Actor.of(user, channel),
            action=Action.UPDATE,
            object_type="notification",
            object_id=note.id,
            details={"read": True},
        )
    return note


@transaction.atomic
def notifications_mark_all_read(
    *, user: User, channel: str, now: datetime.datetime | None = None
) -> int:
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
    if count:
        audit_record(
            actor=Actor.of(user, channel),
            action=Action.UPDATE,
            object_type="notification",
            object_id=user.id,
            details={"all_read": count},
        )
    return count


@dataclass(frozen=True)
class PreferenceInput:
    email_enabled: bool
    sms_enabled: bool
    phone: str
    frequency: str
    quiet_start: datetime.time | None
    quiet_end: datetime.time | None
    time_zone: str


def _check_preference(data: PreferenceInput) -> None:
    from zoneinfo import available_timezones

    errors: dict[str, list[str]] = {}
    phone = data.phone.replace(" ", "")
    if phone and not (phone.startswith("+") and phone[1:].isdigit() and 8 <= len(phone) <= 16):
        errors["phone"] = [_("Give the number in international form, e.g. +254700000000.")]
    if data.sms_enabled and not phone:
        errors["phone"] = [_("Give a mobile number to receive SMS.")]
    if data.frequency not in Frequency.values:
        errors["frequency"] = [_("Choose at once, a daily digest or a weekly digest.")]
    if (data.quiet_start is None) != (data.quiet_end is None):
        errors["quiet_end"] = [_("Give both ends of the quiet hours, or neither.")]
    if data.time_zone not in available_timezones():
        errors["time_zone"] = [_("Choose a time zone from the list, e.g. Africa/Nairobi.")]
    if errors:
        raise FieldValidationError(errors)


@transaction.atomic
def preference_update(*, user: User, data: PreferenceInput, channel: str) -> Preference:
    _check_preference(data)
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    preference.email_enabled = data.email_enabled
    preference.sms_enabled = data.sms_enabled
    preference.phone = data.phone.replace(" ", "")
    preference.frequency = data.frequency
    preference.quiet_start, preference.quiet_end = data.quiet_start, data.quiet_end
    preference.time_zone = data.time_zone
    preference.updated_at = timezone.now()
    preference.save()
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="notification_preference",
        object_id=user.id,
        details={"fields": ["email_enabled", "sms_enabled", "phone", "frequency", "quiet_hours"]},
    )
    return preference


# --- the worker's side: digests and sending ----------------------------------------------------


def _digest_due(preference: Preference, oldest: datetime.datetime, now: datetime.datetime) -> bool:
    if preference.frequency == Frequency.IMMEDIATE:
        return timing.quiet_end_after(now, _window(preference)) <= now
    since = preference.last_digest_at or oldest
    slot = timing.next_digest_at(
        since,
        weekly=preference.frequency == Frequency.WEEKLY,
        hour=settings.NOTIFY_DIGEST_HOUR,
        window=_window(preference),
    )
    return now >= slot


def digests_plan(*, now: datetime.datetime | None = None) -> int:
    """Gather each person's waiting notifications into one digest e-mail when their daily or
    weekly digest time has come (read ones are left out). The number of digests made."""
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(digest_pending=True)
        .values("recipient_id")
        .annotate(oldest=Min("created_at"))
    )
    made = 0
    for row in waiting:
        user = User.objects.get(pk=row["recipient_id"])
        preference = preference_of(user)
        if not _digest_due(preference, row["oldest"], now):
            continue
        with transaction.atomic():
            notes = list(
                Notification.objects.select_for_update().filter(recipient=user, digest_pending=True)
            )
            Notification.objects.filter(pk__in=[n.pk for n in notes]).update(digest_pending=False)
            unread = [n for n in notes if n.read_at is None]
            if unread and preference.email_enabled and user.email and user.is_active:
                delivery = Delivery.objects.create(
                    recipient=user,
                    channel=Channel.EMAIL,
                    digest=True,
                    next_attempt_at=now,
                    created_at=now,
                )
                delivery.notifications.set(unread)
                made += 1
            Preference.objects.update_or_create(user=user, defaults={"last_digest_at": now})
    return made


@dataclass
class SendRun:
    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"sent": len(self.sent), "retrying": len(self.retrying), "failed": len(self.failed)}


class _Mailer:
    """One SMTP connection for a batch of deliveries, opened when first needed and dropped after
    any error (the next message opens a fresh one), so a batch pays one handshake, not one each."""

    def __init__(self) -> None:
        self._connection: Any = None

    def send(self, message: EmailMessage) -> None:
        try:
            if self._connection is None:
                self._connection = get_connection()
                self._connection.open()
            message.connection = self._connection
            message.send()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._connection.close()
            self._connection = None


def _send_email(delivery: Delivery, notes: list[Notification], mailer: _Mailer) -> None:
    subject, body = rendering.email(delivery.recipient, notes, digest=delivery.digest)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.recipient.email])
    try:
        mailer.send(message)
    except smtplib.SMTPResponseException as error:
        raise SendError(f"the mail server answered {error.smtp_code}") from None
    except smtplib.SMTPRecipientsRefused:
        raise SendError("the mail server refused the recipient") from None
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(f"the mail server could not be used ({type(error).__name__})") from None


def _send(delivery: Delivery, mailer: _Mailer, phones: dict[Any, str]) -> None:
    notes = list(delivery.notifications.all())  # prefetched, oldest first
    if delivery.channel == Channel.EMAIL:
        _send_email(delivery, notes, mailer)
        return
    phone = phones.get(delivery.recipient_id, "")
    if not phone:
        raise SendError("the person has no mobile number for SMS")
    for note in notes:
        sms_channel().send(to=phone, text=rendering.sms(delivery.recipient, note))


def _record_failure(delivery: Delivery, detail: str, now: datetime.datetime, run: SendRun) -> None:
    delivery.attempts += 1
    delivery.last_error = detail[:300]
    delivery.claimed_at, delivery.claim = None, ""
    retry = timing.retry_at(now, delivery.attempts)
    if retry is not None:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, retry
        run.retrying.append(str(delivery.id))
        logger.info(
            "notification delivery %s: attempt %d failed: %s",
            delivery.id,
            delivery.attempts,
            detail,
        )
    else:
        delivery.status, delivery.failed_at = DeliveryStatus.FAILED, now
        run.failed.append(str(delivery.id))
        logger.warning(
            "notification delivery %s failed for good after %d attempts: %s",
            delivery.id,
            delivery.attempts,
            detail,
        )
    with transaction.atomic():
        delivery.save(
            update_fields=[
                "attempts",
                "last_error",
                "claimed_at",
                "claim",
                "status",
                "next_attempt_at",
                "failed_at",
            ]
        )
        if delivery.status == DeliveryStatus.FAILED:
            audit_record(
                actor=Actor.system(AuditChannel.SYSTEM),
                action=Action.UPDATE,
                object_type="notification_delivery",
                object_id=delivery.id,
                details={"status": "failed", "attempts": delivery.attempts, "error": detail},
            )


# Deliveries claimed, sent and marked sent together: one claim, one read (with their
# notifications and recipients) and one "sent" update per chunk instead of four queries each.
# A worker stopped mid-chunk leaves its claimed ones "sending"; they are tried again after
# STUCK_AFTER, so at worst a chunk's messages go twice, never none.
SEND_CHUNK = 100


def _claim_chunk(now: datetime.datetime, size: int) -> list[Delivery]:
    token = uuid.uuid4().hex
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:size]
    )
    if not due:
        return []
    Delivery.objects.filter(pk__in=due, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claim=token, claimed_at=now
    )
    return list(
        Delivery.objects.filter(claim=token, status=DeliveryStatus.SENDING)
        .select_related("recipient")
        .prefetch_related(
            Prefetch("notifications", queryset=Notification.objects.order_by("created_at"))
        )
        .order_by("next_attempt_at")
    )


def _phones(chunk: list[Delivery]) -> dict[Any, str]:
    people = {d.recipient_id for d in chunk if d.channel == Channel.SMS}
    if not people:
        return {}
    return {p.user_id: p.phone for p in Preference.objects.filter(user__in=people)}


def deliveries_send_due(*, now: datetime.datetime | None = None, limit: int = 1000) -> SendRun:
    """Send every delivery whose time has come (up to ``limit``); a failure is retried with
    backoff (``timing.BACKOFF``), then marked failed for the administrator. Each chunk is
    claimed first, so two workers never send the same delivery."""
    now = now or timezone.now()
    run = SendRun()
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        status=DeliveryStatus.PENDING, claimed_at=None, claim=""
    )
    mailer = _Mailer()
    handled = 0
    try:
        while handled < limit:
            chunk = _claim_chunk(now, min(SEND_CHUNK, limit - handled))
            if not chunk:
                break
            handled += len(chunk)
            phones = _phones(chunk)
            sent = []
            for delivery in chunk:
                try:
                    _send(delivery, mailer, phones)
                except SendError as error:
                    _record_failure(delivery, error.detail, now, run)
                    continue
                sent.append(delivery.pk)
            Delivery.objects.filter(pk__in=sent).update(
                status=DeliveryStatus.SENT,
                sent_at=now,
                claimed_at=None,
                claim="",
                attempts=F("attempts") + 1,
            )
            run.sent.extend(str(pk) for pk in sent)
    finally:
        mailer.close()
    return run


@transaction.atomic
def delivery_retry(
    *, user: User, delivery_id: Any, channel: str, now: datetime.datetime | None = None
) -> Delivery:
    """The administrator sends a failed delivery again (its attempts start over)."""
    if user.role != Role.SYSTEM_ADMIN:
        raise NotFoundError(_("No such page."))
    try:
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    except (Delivery.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such delivery.")) from None
    if delivery.status != DeliveryStatus.FAILED:
        raise ApplicationError(_("Only a failed delivery can be sent again."), code="not_failed")
    delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
    delivery.next_attempt_at, delivery.failed_at = now or timezone.now(), None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "failed_at"])
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="notification_delivery",
        object_id=delivery.id,
        details={"status": "retry"},
    )
    transaction.on_commit(_enqueue_sending)
    return delivery
