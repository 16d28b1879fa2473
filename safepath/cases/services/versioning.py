"""No lost updates: every write to a case carries the version its author read, and leaves a
history entry (who, when, which fields, before and after)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import Case, CaseChange
from safepath.core.exceptions import ConflictError


def stale_version_conflict(case_id: Any, expected_version: int) -> ConflictError:
    """409 naming what changed since ``expected_version``: fields, who and when, never values."""
    later = CaseChange.objects.filter(case_id=case_id, version__gt=expected_version).order_by(
        "version"
    )
    current = Case.objects.values_list("version", flat=True).get(pk=case_id)
    return ConflictError(
        _(
            "Someone else saved this case after you opened it. "
            "Reload it, then make your change again."
        ),
        extra={
            "current_version": current,
            "changes_since": [
                {
                    "version": change.version,
                    "kind": change.kind,
                    "fields": change.fields,
                    "changed_by": str(change.changed_by_id),
                    "changed_at": change.changed_at.isoformat(),
                }
                for change in later
            ],
        },
    )


def case_version_bump(*, case: Case, expected_version: int) -> Case:
    """Claim the next version, or refuse with 409 if someone saved in between; the fresh row."""
    bumped = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not bumped:
        raise stale_version_conflict(case.pk, expected_version)
    return Case.objects.select_related("child").get(pk=case.pk)


def change_record(
    *,
    case: Case,
    user: User,
    kind: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> CaseChange:
    """One history entry at the case's current version. Values are stored encrypted."""
    before = before or {}
    after = after or {}
    return CaseChange.objects.create(
        case=case,
        version=Case.objects.values_list("version", flat=True).get(pk=case.pk),
        kind=kind,
        fields=sorted(set(before) | set(after)),
        before=_jsonable(before),
        after=_jsonable(after),
        changed_by=user,
    )


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value
        if isinstance(value, str | int | float | bool | list | dict) or value is None
        else str(value)
        for name, value in values.items()
    }


def item_logged(
    *,
    user: User,
    channel: str,
    case: Case,
    item: Any,
    object_type: str,
    action: str = Action.CREATE,
    kind: str = "",
    after: dict[str, Any] | None = None,
) -> None:
    """A record added to (or changed on) a case: its history line and its audit event, together.
    The audit event names the item and the case, never a value."""
    change_record(case=case, user=user, kind=kind or object_type, after=after)
    item_audited(
        user=user, channel=channel, case=case, item=item, object_type=object_type, action=action
    )


def item_audited(
    *, user: User, channel: str, case: Case, item: Any, object_type: str, action: str
) -> None:
    audit_record(
        actor=Actor.of(user, channel),
        action=action,
        object_type=object_type,
        object_id=item.id,
        details={"case": str(case.id)},
    )
