"""What every online service shares: the permission gate, the timeline, the audit call."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.online.models import Notice, OnlineReport, TakedownEvent
from safepath.online.policies import OnlineAction, online_policy


def require(user: User, action: OnlineAction) -> None:
    """Outside the app's roles the area does not exist: 404, never 403."""
    if not online_policy.user_has_permission(user, action):
        raise NotFoundError(_("No such page."))


def authorise(user: User, action: OnlineAction, report: OnlineReport) -> None:
    """404 when the caller may not see the report, 403 when they see it but may not act."""
    if not online_policy.user_has_permission_for_instance(user, OnlineAction.VIEW, report):
        raise NotFoundError(_("No such report."))
    if not online_policy.user_has_permission(user, action):
        raise PermissionDeniedError(_("Your role may not do this to the report."))


def now_or(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def record_event(
    report: OnlineReport,
    step: str,
    at: datetime.datetime,
    *,
    by: User | None = None,
    notice: Notice | None = None,
    **details: Any,
) -> TakedownEvent:
    return TakedownEvent.objects.create(
        report=report, notice=notice, step=step, at=at, by=by, details=details
    )


def audit(
    user: User | None,
    channel: str,
    action: str,
    object_type: str,
    object_id: Any,
    **details: Any,
) -> None:
    actor = Actor.of(user, channel) if user is not None else Actor.system(channel)
    audit_record(
        actor=actor, action=action, object_type=object_type, object_id=object_id, details=details
    )
