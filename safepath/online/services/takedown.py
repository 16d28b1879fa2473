"""Notice and takedown: the notice, every step's time, escalation at 24 and 72 hours.

The clock is a parameter (``now``) everywhere, so the escalation can be tested with an
injected time; ``notices_escalate_overdue`` is the periodic task's work (``safepath schedule``
enqueues it, ``safepath worker`` runs it; ``safepath online escalate`` runs it once).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.audit.models import Action, Channel
from safepath.core.exceptions import ApplicationError, ConflictError, FieldValidationError
from safepath.online.engine import takedown as timers
from safepath.online.models import (
    ILLEGAL,
    Notice,
    NoticeEscalation,
    NoticeStatus,
    OnlineReport,
    RecipientType,
    ReportStatus,
    Step,
)
from safepath.online.policies import OnlineAction
from safepath.online.services.common import audit, authorise, now_or, record_event

OPEN = (NoticeStatus.SENT, NoticeStatus.REAPPEARED)


def steps() -> tuple[timers.EscalationStep, ...]:
    return timers.escalation_steps(
        tuple(getattr(settings, "ONLINE_ESCALATION_HOURS", timers.DEFAULT_ESCALATION_HOURS))
    )


def notice_text(report: OnlineReport, *, recipient: str) -> str:
    """The notice, written from the assessment. It names the location, never shows content."""
    assessment = report.assessments.order_by("-assessed_at").first()
    assert assessment is not None  # noqa: S101 - notice_send checked it
    lines = [
        f"To: {recipient}",
        f"Hotline report: {report.id}",
        f"Location: {report.url or '(described in the report)'}",
        f"Classification: {assessment.get_classification_display()}",
        f"Content type: {assessment.get_content_type_display()}",
        f"Apparent age group: {assessment.get_age_group_display()}",
    ]
    if assessment.hosting_provider or assessment.hosting_ip:
        lines.append(
            f"Hosting: {assessment.hosting_provider or '-'} ({assessment.hosting_ip or '-'}, "
            f"{assessment.hosting_country or '-'})"
        )
    lines += [
        "",
        "Please remove or disable access to this content and preserve related data for law "
        "enforcement. Reply to confirm removal.",
        "This notice carries no copy of the content.",
    ]
    return "\n".join(lines)


def notice_send(
    *,
    user: User,
    report: OnlineReport,
    recipient_type: str,
    recipient_name: str,
    recipient_country: str = "",
    channel: str,
    now: datetime.datetime | None = None,
) -> Notice:
    """Send (record) a notice to the hosting provider or the hosting country's hotline."""
    authorise(user, OnlineAction.NOTICE, report)
    now = now_or(now)
    problems: dict[str, list[str]] = {}
    if recipient_type not in RecipientType.values:
        problems["recipient_type"] = [_("Choose the hosting provider, a hotline or a platform.")]
    if not recipient_name.strip():
        problems["recipient_name"] = [_("Name the recipient (an organisation).")]
    country = recipient_country.strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        problems["recipient_country"] = [_("Give a two-letter country code (ISO 3166).")]
    if problems:
        raise FieldValidationError(problems)
    assessment = report.assessments.order_by("-assessed_at").first()
    if assessment is None or assessment.classification not in ILLEGAL:
        raise ApplicationError(
            _("Assess the report as illegal before sending a notice."), code="not_assessed"
        )
    first = steps()[0]
    with transaction.atomic():
        notice = Notice.objects.create(
            report=report,
            recipient_type=recipient_type,
            recipient_name=recipient_name.strip()[:200],
            recipient_country=country or assessment.hosting_country,
            hosting_provider=assessment.hosting_provider,
            body=notice_text(report, recipient=recipient_name.strip()),
            sent_by=user,
            sent_at=now,
            next_escalation_at=now + first.after,
        )
        OnlineReport.objects.filter(pk=report.pk).update(status=ReportStatus.NOTICE_SENT)
        record_event(report, Step.NOTICE_SENT, now, by=user, notice=notice)
        audit(user, channel, Action.CREATE, "online_notice", notice.id, report=str(report.id))
    return notice


def _notice_for_update(notice: Notice, *allowed: str) -> Notice:
    current = Notice.objects.select_for_update().get(pk=notice.pk)
    if current.status not in allowed:
        raise ConflictError(
            _("This notice is %(status)s already.") % {"status": current.get_status_display()},
            code="wrong_status",
        )
    return current


def notice_confirm_removal(
    *, user: User, notice: Notice, channel: str, now: datetime.datetime | None = None
) -> Notice:
    authorise(user, OnlineAction.NOTICE, notice.report)
    now = now_or(now)
    with transaction.atomic():
        current = _notice_for_update(notice, *OPEN)
        if now < current.sent_at:
            raise FieldValidationError({"at": [_("Removal cannot come before the notice.")]})
        current.status = NoticeStatus.REMOVED
        current.removed_at = now
        current.next_escalation_at = None
        current.version += 1
        current.save(update_fields=["status", "removed_at", "next_escalation_at", "version"])
        NoticeEscalation.objects.filter(notice=current, resolved_at__isnull=True).update(
            resolved_at=now
        )
        report = current.report
        if not report.notices.filter(status__in=OPEN).exists():
            OnlineReport.objects.filter(pk=report.pk).update(status=ReportStatus.REMOVED)
        record_event(report, Step.REMOVAL_CONFIRMED, now, by=user, notice=current)
        audit(user, channel, Action.UPDATE, "online_notice", current.id, status="removed")
    return current


def notice_reappeared(
    *, user: User, notice: Notice, channel: str, now: datetime.datetime | None = None
) -> Notice:
    """The content is back: the notice is open again and its timers start again."""
    authorise(user, OnlineAction.NOTICE, notice.report)
    now = now_or(now)
    with transaction.atomic():
        current = _notice_for_update(notice, NoticeStatus.REMOVED)
        current.status = NoticeStatus.REAPPEARED
        current.reappeared_at = now
        current.escalation_level = 0
        current.next_escalation_at = now + steps()[0].after
        current.version += 1
        current.save(
            update_fields=[
                "status",
                "reappeared_at",
                "escalation_level",
                "next_escalation_at",
                "version",
            ]
        )
        OnlineReport.objects.filter(pk=current.report_id).update(status=ReportStatus.NOTICE_SENT)
        record_event(current.report, Step.REAPPEARED, now, by=user, notice=current)
        audit(user, channel, Action.UPDATE, "online_notice", current.id, status="reappeared")
    return current


@dataclass
class EscalationRun:
    escalated: list[str] = field(default_factory=list)
    people: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"escalated": self.escalated, "people": self.people}


def _recipients(notice: Notice, level: int) -> list[User]:
    """Level 1: whoever sent the notice; level 2 and later: the hotline's supervisors too."""
    people = [notice.sent_by] if notice.sent_by.is_active else []
    if level >= 2:
        people += list(
            User.objects.filter(
                agency=notice.report.hotline_id, role=Role.HOTLINE_SUPERVISOR, is_active=True
            )
        )
    return list({p.id: p for p in people}.values())


@transaction.atomic
def notices_escalate_overdue(*, now: datetime.datetime | None = None) -> EscalationRun:
    """Escalate every open notice past its next deadline. Idempotent: each level reaches each
    person once, and a notice removed in the meantime is left alone."""
    now = now_or(now)
    rules = steps()
    run = EscalationRun()
    due = (
        Notice.objects.select_for_update()
        .filter(status__in=OPEN, next_escalation_at__lte=now)
        .select_related("sent_by", "report")
        .order_by("next_escalation_at")
    )
    for notice in due:
        start = notice.reappeared_at or notice.sent_at
        level = timers.due_level(start, now, rules)
        if level <= notice.escalation_level:
            notice.next_escalation_at = timers.next_deadline(start, notice.escalation_level, rules)
            notice.save(update_fields=["next_escalation_at"])
            continue
        for step_level in range(notice.escalation_level + 1, level + 1):
            for person in _recipients(notice, step_level):
                _, created = NoticeEscalation.objects.get_or_create(
                    notice=notice, level=step_level, recipient=person, defaults={"created_at": now}
                )
                run.people += int(created)
            record_event(notice.report, Step.ESCALATED, now, notice=notice, level=step_level)
            audit(
                None,
                Channel.SYSTEM,
                Action.UPDATE,
                "online_notice",
                notice.id,
                escalation_level=step_level,
            )
        notice.escalation_level = level
        notice.next_escalation_at = timers.next_deadline(start, level, rules)
        notice.save(update_fields=["escalation_level", "next_escalation_at"])
        run.escalated.append(str(notice.id))
    return run
