"""Reads in the emergency app: the caseworker's recent registrations (audited), one
registration, and the emergencies. The board, the service gaps and the risk table are in
``board.py`` and ``risk.py``."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record_many
from safepath.core.exceptions import NotFoundError
from safepath.emergency.models import Emergency, Registration, SyncConflict
from safepath.emergency.policies import EmergencyAction, emergency_policy
from safepath.emergency.services.registration import registration_values

RECENT_DAYS = 60
RECENT_LIMIT = 200


def registrations_visible(*, user: User) -> QuerySet[Registration]:
    return emergency_policy.instances_user_has_permission_for(user, EmergencyAction.VIEW)


def my_recent_registrations(*, user: User) -> list[Registration]:
    """The registrations of the cases assigned to the user, newest first: what the field app
    keeps on the device for offline work (at most ``RECENT_LIMIT``, ``RECENT_DAYS`` back)."""
    if not emergency_policy.user_has_permission(user, EmergencyAction.REGISTER):
        return []
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    return list(
        registrations_visible(user=user)
        .filter(
            case__assignments__user=user,
            case__assignments__ended_at__isnull=True,
            created_at__gte=since,
        )
        .select_related("case", "case__child", "emergency")
        .order_by("-created_at", "id")[:RECENT_LIMIT]
    )


def audit_registration_reads(
    *, user: User, registrations: Sequence[Registration], channel: str
) -> None:
    """Reading a registration's values reads the child's identifying data: audited per case."""
    audit_record_many(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="case",
        object_ids=[r.case_id for r in registrations],
        purpose="field app",
    )


def registration_get(*, user: User, record_id: uuid.UUID | str, channel: str) -> Registration:
    try:
        registration = (
            registrations_visible(user=user)
            .select_related("case", "case__child", "emergency")
            .get(record_id=record_id)
        )
    except (Registration.DoesNotExist, ValueError):
        raise NotFoundError(_("No such registration.")) from None
    audit_registration_reads(user=user, registrations=[registration], channel=channel)
    return registration


def registration_data(registration: Registration) -> dict[str, Any]:
    """What the field app keeps for one record: ids, version and the form's values."""
    case = registration.case
    return {
        "record_id": str(registration.record_id),
        "case_id": str(case.id),
        "reference": case.reference,
        "version": case.version,
        "emergency": registration.emergency.name if registration.emergency else "",
        "values": registration_values(registration),
        "updated_at": case.updated_at.isoformat(),
    }


def registration_conflicts(registration: Registration) -> list[SyncConflict]:
    return list(
        registration.conflicts.select_related("resolved_by").order_by("resolved_at", "field")
    )


def emergencies_list() -> QuerySet[Emergency]:
    return Emergency.objects.select_related("declared_by").order_by("-starts_on", "name")


def emergencies_active(day: datetime.date | None = None) -> list[Emergency]:
    day = day or timezone.localdate()
    return [
        e
        for e in emergencies_list().filter(starts_on__lte=day)
        if e.ends_on is None or e.ends_on >= day
    ]
