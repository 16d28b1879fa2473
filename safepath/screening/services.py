"""Running a screening and confirming what became of it: atomic, permission-checked, audited."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import Case
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError
from safepath.screening import grades, instruments, signing
from safepath.screening.engine import ScreeningInputError, score
from safepath.screening.models import GradeTable, ScreeningConfirmation, ScreeningRecord
from safepath.screening.policies import ScreeningAction, screening_policy
from safepath.screening.runs import deployment_child_rule, parse_input
from safepath.screening.selectors import instrument_for_scoring


def _field_error(error: ScreeningInputError) -> FieldValidationError:
    return FieldValidationError({error.field: [error.reason]})


@transaction.atomic
def screening_record(
    *,
    user: User,
    instrument_id: str,
    submission: dict[str, Any],
    case: Case | None,
    channel: str,
    interview_id: uuid.UUID | None = None,
) -> ScreeningRecord:
    """Score a submission with the named instrument and keep it, signed, as it was run.

    ``interview_id`` makes it idempotent: the same interview finished twice, even at the same
    moment, keeps the first record and returns it.
    """
    if not screening_policy.user_has_permission(user, ScreeningAction.RUN):
        raise PermissionDeniedError(_("Your role does not run screenings."))
    try:
        instrument = instrument_for_scoring(instrument_id)
    except instruments.InstrumentError:
        raise FieldValidationError({"instrument": [_("No such screening instrument.")]}) from None
    if case is not None and not case_policy.user_has_permission_for_instance(
        user, CaseAction.EDIT, case
    ):
        raise NotFoundError(_("No such case."))
    try:
        given = parse_input(instrument, submission)
    except ScreeningInputError as error:
        raise _field_error(error) from None
    assert user.agency_id is not None  # noqa: S101 - RUN requires an agency
    rule = deployment_child_rule()
    result = score(instrument, given, child_rule=rule)
    record = ScreeningRecord(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        agency_id=user.agency_id,
        screened_by=user,
        case=case,
        setting=given.setting,
        age=given.age,
        age_disputed=given.age_disputed,
        act_recorded=given.act_recorded,
        child_rule=rule,
        answers=dict(given.answers),
        result=result.to_dict(),
        outcome=result.outcome,
        urgency=result.urgency,
        non_punishment_notice=any(n.code == "non_punishment" for n in result.notices),
        created_at=timezone.now(),
        interview_id=interview_id,
    )
    record.signature = signing.sign(record)
    if interview_id is not None:
        earlier = ScreeningRecord.objects.filter(interview_id=interview_id, screened_by=user)
        if earlier.exists():
            return earlier.get()
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        if interview_id is None:
            raise
        return ScreeningRecord.objects.get(interview_id=interview_id, screened_by=user)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.CREATE,
        object_type="screening",
        object_id=record.id,
        details={
            "instrument": instrument.id,
            "outcome": result.outcome,
            **({"case": str(case.id)} if case else {}),
        },
    )
    return record


@transaction.atomic
def screening_confirm(
    *, user: User, record: ScreeningRecord, confirmed_victim: bool, basis: str, channel: str
) -> ScreeningConfirmation:
    """Record whether the person was later confirmed as a victim (for monitoring accuracy)."""
    if not screening_policy.user_has_permission_for_instance(user, ScreeningAction.CONFIRM, record):
        raise PermissionDeniedError(
            _("Only a supervisor of the screening agency, or whoever edits the case, confirms.")
        )
    # lock the record so that two confirmations at once cannot both pass the check below
    ScreeningRecord.objects.select_for_update().filter(pk=record.pk).values_list("pk").first()
    if ScreeningConfirmation.objects.filter(screening=record).exists():
        raise FieldValidationError({"screening": [_("This screening is already confirmed.")]})
    confirmation = ScreeningConfirmation.objects.create(
        screening=record, confirmed_victim=confirmed_victim, basis=basis, confirmed_by=user
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="screening",
        object_id=record.id,
        details={"confirmed": True},
    )
    return confirmation


@transaction.atomic
def grade_table_load(*, user: User, table: grades.GradeTable, channel: str) -> GradeTable:
    """Keep a checked, transcribed grade table: from now on it grades its list (audited).

    ``table`` comes from ``grades.parse_table``, which has refused any bad row; here only the
    permission is checked and the table kept, with its source and who loaded it.
    """
    if not screening_policy.user_has_permission(user, ScreeningAction.LOAD_GRADES):
        raise PermissionDeniedError(_("Only a system administrator loads grade tables."))
    loaded = GradeTable.objects.create(
        instrument_id=table.instrument_id,
        instrument_version=table.instrument_version,
        source=table.source,
        document=dict(table.document),
        digest=table.digest,
        loaded_by=user,
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.ADMIN,
        object_type="screening.grade_table",
        object_id=loaded.id,
        details={
            "instrument": table.instrument_id,
            "version": table.instrument_version,
            "digest": table.digest,
            "rows": len(table.strengths),
        },
    )
    return loaded
