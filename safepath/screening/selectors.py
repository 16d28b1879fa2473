"""Reads of screenings, scoped to the caller and audited."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.core.dates import day
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.screening import grades, instruments
from safepath.screening.instruments import Instrument
from safepath.screening.models import GradeTable, Outcome, ScreeningRecord
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


# What a positive result asks for, and how soon, as a referral's urgency.
ACTIONABLE = ("presumed_victim", "possible_victim", "at_risk")
REFERRAL_URGENCY = {
    "immediate": "high",
    "within_24_hours": "high",
    "within_7_days": "medium",
    "routine": "low",
}


@dataclass(frozen=True)
class Handover:
    """A positive screening carried into the next step (a referral, a new case): what it found,
    how soon to act, the pathways it recommends. Nothing identifying: no answers, no names."""

    screening_id: uuid.UUID
    screened_on: datetime.date
    outcome: str
    outcome_label: str
    urgency: str  # a referral urgency: high, medium or low
    pathways: tuple[str, ...]  # in the reader's language

    @property
    def summary(self) -> str:
        """One line for a referral's reason, in the reader's language."""
        text = _("Screening of %(day)s: %(outcome)s.") % {
            "day": day(self.screened_on),
            "outcome": self.outcome_label,
        }
        if self.pathways:
            text += " " + _("Recommended: %(pathways)s.") % {"pathways": ", ".join(self.pathways)}
        return text


def screening_handover(
    *, user: User, screening_id: str, case_id: uuid.UUID | None, channel: str
) -> Handover | None:
    """The screening ``screening_id`` to carry into a referral for case ``case_id``, or None when
    the id is not one, the user may not see it, its result asks for nothing, or it belongs to
    another case (a screening without a case may start one). The read is audited."""
    try:
        wanted = uuid.UUID(str(screening_id))
    except ValueError:
        return None
    record = screening_queryset(user=user).filter(pk=wanted).first()
    if record is None or record.outcome not in ACTIONABLE:
        return None
    if record.case_id is not None and record.case_id != case_id:
        return None
    from safepath.screening.views.common import PATHWAY_LABELS  # labels live with the pages

    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="screening",
        object_id=record.id,
    )
    return Handover(
        screening_id=record.id,
        screened_on=record.created_at.date(),
        outcome=record.outcome,
        outcome_label=str(Outcome(record.outcome).label),
        urgency=REFERRAL_URGENCY.get(record.urgency, "medium"),
        pathways=tuple(
            str(PATHWAY_LABELS.get(code, code))
            for code in record.result.get("pathways", [])
            if code != "none"
        ),
    )
