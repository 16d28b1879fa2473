"""Pruning what sign-in leaves behind: expired sessions, long-expired API tokens, and old sign-in
records. Run daily by the worker and by ``safepath prune``; audited as one event with counts."""

from __future__ import annotations

from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from safepath.accounts.models import ApiToken
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.pruning import task_results_prune


def _sign_in_cutoff(now: datetime) -> datetime:
    # Never shorter than a lockout: an attempt still counting towards one is kept.
    keep = max(settings.PRUNE_SIGN_IN_RECORDS_AFTER, settings.AXES_COOLOFF_TIME)
    return now - keep


def expired_records_prune(
    *, now: datetime | None = None, dry_run: bool = False, channel: str = Channel.SYSTEM
) -> dict[str, int]:
    """Delete expired sessions, tokens expired longer ago than ``PRUNE_EXPIRED_TOKENS_AFTER``,
    sign-in records older than ``PRUNE_SIGN_IN_RECORDS_AFTER`` and finished task results older
    than ``PRUNE_TASK_RESULTS_AFTER``. What was (or, with ``dry_run``, would be) deleted, by kind.
    Nothing live is touched: a session or token still valid, a lockout still running, a task
    not yet finished."""
    now = now or timezone.now()
    sign_in_cutoff = _sign_in_cutoff(now)
    due = {
        "sessions": Session.objects.filter(expire_date__lte=now),
        "api_tokens": ApiToken.objects.filter(
            expires_at__lte=now - settings.PRUNE_EXPIRED_TOKENS_AFTER
        ),
        "sign_in_attempts": AccessAttempt.objects.filter(attempt_time__lt=sign_in_cutoff),
        "sign_in_failures": AccessFailureLog.objects.filter(attempt_time__lt=sign_in_cutoff),
        "sign_ins": AccessLog.objects.filter(attempt_time__lt=sign_in_cutoff),
    }
    if dry_run:
        counts = {kind: query.count() for kind, query in due.items()}
        counts["task_results"] = task_results_prune(now=now, dry_run=True)
        return counts
    with transaction.atomic():
        # Each count is of that kind's own rows, not of what the deletion cascaded to.
        counts = {
            kind: query.delete()[1].get(query.model._meta.label, 0) for kind, query in due.items()
        }
        counts["task_results"] = task_results_prune(now=now)
        audit_record(
            actor=Actor.system(channel),
            action=Action.DELETE,
            object_type="expired_records",
            purpose="pruning",
            details=counts,
        )
    return counts
