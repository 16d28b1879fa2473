"""Reads of screenings, scoped to the caller and audited."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.screening import grades, instruments
from safepath.screening.instruments import Instrument
from safepath.screening.models import GradeTable, ScreeningRecord
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


def grade_table_current(instrument: Instrument) -> GradeTable | None:
    """The newest grade table loaded for this list and version, if any."""
    return (
        GradeTable.objects.filter(
            instrument_id=instrument.id, instrument_version=instrument.version
        )
        .select_related("loaded_by")
        .order_by("-loaded_at")
        .first()
    )


def instrument_for_scoring(instrument_id: str) -> Instrument:
    """The shipped instrument, graded by the newest transcribed table loaded for it, if any.

    Raises ``instruments.InstrumentError`` for an unknown id. A table kept in the database is
    checked again against the shipped list (it was checked when loaded): one that no longer
    fits is ignored, so the list stays marked unverified rather than half-replaced.
    """
    instrument = instruments.get(instrument_id)
    if instrument.grades is None:
        return instrument
    loaded = grade_table_current(instrument)
    if loaded is None:
        return instrument
    try:
        table = grades.parse_table(loaded.document, instrument)
    except grades.GradeTableError:
        return instrument
    return grades.apply(instrument, table)


def record_grades_unverified(record: ScreeningRecord) -> bool:
    """Was this record scored with unverified strengths? Records written before the lists
    said so have no ``grades`` in their result: every ILO list was unverified then."""
    found = record.result.get("grades")
    if found is not None:
        return bool(found.get("status") != "transcribed")
    if any(w.get("code") == "unverified_grades" for w in record.result.get("warnings", [])):
        return True
    try:
        return instruments.get(record.instrument_id).grades is not None
    except instruments.InstrumentError:
        return False
