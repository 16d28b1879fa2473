"""Reads of screenings, scoped to the caller and audited."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.screening.models import ScreeningRecord
from safepath.screening.policies import ScreeningAction, screening_policy


def screening_queryset(
    *, user: User, action: ScreeningAction = ScreeningAction.VIEW
) -> QuerySet[ScreeningRecord]:
    return screening_policy.instances_user_has_permission_for(user, action)


def _visible(user: User, screening_id: uuid.UUID | str) -> ScreeningRecord:
    """A screening the user may see; any other id is 'not found', whether or not it exists."""
    try:
        return screening_queryset(user=user).get(pk=screening_id)
    except (ScreeningRecord.DoesNotExist, ValueError):
        raise NotFoundError(_("No such screening.")) from None


def screening_get(*, user: User, screening_id: uuid.UUID | str, channel: str) -> ScreeningRecord:
    record = _visible(user, screening_id)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="screening",
        object_id=record.id,
    )
    return record


def screening_for_action(
    *, user: User, screening_id: uuid.UUID | str, action: ScreeningAction
) -> ScreeningRecord:
    record = _visible(user, screening_id)
    if not screening_policy.user_has_permission_for_instance(user, action, record):
        raise PermissionDeniedError(_("You may read this screening but not do this to it."))
    return record
