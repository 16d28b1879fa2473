"""A child taking part: assent, answers one by one (any may be skipped), finishing, stopping early
with the answers kept, or withdrawing with every answer erased.

The participant is anonymous: no name, no case, no time of day. The audit trail records that a
step happened in a consultation, not which participant took it, so the trail cannot be used to
line answers up with the order in which children sat down at a shared tablet.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.participation import consultations, rules
from safepath.participation.consultations import FREE_TEXT
from safepath.participation.models import (
    Answer,
    CaregiverConsent,
    Consultation,
    ConsultationSession,
    Participant,
    ParticipantStatus,
    ParticipationChannel,
    ReviewStatus,
)
from safepath.participation.policies import ConsultationAction
from safepath.participation.selectors import consultation_for, instrument_of
from safepath.participation.services.common import actor_of

OBJECT = "participation.consultation"
LANGUAGES = consultations.LANGUAGES


def _audit(
    consultation: Consultation, step: str, actor: Actor | None = None, **details: Any
) -> None:
    audit_record(
        actor=actor or Actor.system(Channel.WEB),
        action=Action.CREATE if step in ("assent", "submission") else Action.UPDATE,
        object_type=OBJECT,
        object_id=consultation.id,
        details={"step": step, **details},
    )


def caregiver_consent_needed(consultation: Consultation, age_band: str) -> bool:
    """Whether a child of ``age_band`` needs a parent's or carer's agreement here: the
    consultation's own age, or the country's (``consent_rules.json``), whichever is higher."""
    national = rules.consent_rules().below_age(consultation.agency.country)
    return instrument_of(consultation).needs_caregiver_consent(age_band, national_age=national)


def _check_start(
    consultation: Consultation,
    *,
    channel: str,
    age_band: str,
    language: str,
    assent: bool,
    caregiver: str,
) -> str:
    """The caregiver-consent value to store, or FieldValidationError naming the field."""
    instrument = instrument_of(consultation)
    errors: dict[str, list[str]] = {}
    if not assent:
        errors["assent"] = [_("A child takes part only after saying yes.")]
    if age_band not in {band.id for band in instrument.age_bands}:
        errors["age_band"] = [
            _("Choose one of the age groups: %(bands)s.")
            % {"bands": ", ".join(band.id for band in instrument.age_bands)}
        ]
    if language not in LANGUAGES:
        errors["language"] = [_("The language must be one of en, fr, es, ar.")]
    if errors:
        raise FieldValidationError(errors, _("The child cannot start yet."))
    if not caregiver_consent_needed(consultation, age_band):
        return CaregiverConsent.NOT_REQUIRED
    allowed = {
        ParticipationChannel.SESSION: {
            CaregiverConsent.FACILITATOR_CONFIRMED,
            CaregiverConsent.CAREGIVER_ON_DEVICE,
        },
        ParticipationChannel.LINK: {CaregiverConsent.CAREGIVER_ON_DEVICE},
        ParticipationChannel.PAPER: {CaregiverConsent.FACILITATOR_CONFIRMED},
    }[ParticipationChannel(channel)]
    if caregiver not in allowed:
        raise FieldValidationError(
            {"caregiver_consent": [_("At this age a parent or carer must agree too.")]},
            _("At this age a parent or carer must agree too."),
        )
    return caregiver


def _require_open(consultation: Consultation) -> None:
    if not consultation.is_open:
        raise ApplicationError(_("This consultation is closed."), code="closed")


@transaction.atomic
def participant_start(
    *,
    consultation: Consultation,
    channel: str,
    age_band: str,
    language: str,
    assent: bool,
    caregiver_consent: str = "",
    session: ConsultationSession | None = None,
) -> Participant:
    """A child said yes (and a parent or carer too, where needed): they may now answer."""
    _require_open(consultation)
    if channel == ParticipationChannel.SESSION and (
        session is None or not session.is_live or session.consultation_id != consultation.id
    ):
        raise ApplicationError(_("This session has ended."), code="session_ended")
    if channel == ParticipationChannel.LINK and not consultation.link_digest:
        raise ApplicationError(_("This link no longer works."), code="link_stopped")
    consent = _check_start(
        consultation,
        channel=channel,
        age_band=age_band,
        language=language,
        assent=assent,
        caregiver=caregiver_consent,
    )
    participant = Participant.objects.create(
        consultation=consultation,
        session=session if channel == ParticipationChannel.SESSION else None,
        channel=channel,
        age_band=age_band,
        language=language,
        caregiver_consent=consent,
    )
    _audit(consultation, "assent", channel=channel)
    return participant


def _participant(participant_id: uuid.UUID | str, *, lock: bool = True) -> Participant:
    queryset = Participant.objects.select_related("consultation", "consultation__agency")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    participant = queryset.filter(pk=participant_id).first()
    if participant is None:
        raise NotFoundError(_("These answers cannot be found any more."))
    return participant


def chosen_options(participant: Participant) -> dict[str, str | None]:
    """Question id -> the option chosen (None: skipped or written), for the conditions."""
    return {
        answer.question_id: (
            None if answer.skipped or not isinstance(answer.value, str) else answer.value
        )
        for answer in participant.answers.all()
    }


def _clean_value(question: consultations.Question, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldValidationError(
            {f"answers.{question.id}": [_("An answer is an option or text.")]}
        )
    value = value.strip()
    if not value:
        return None
    if question.has_options and value not in question.option_ids():
        raise FieldValidationError(
            {f"answers.{question.id}": [_("Choose one of the answers shown.")]},
            _("Choose one of the answers shown."),
        )
    text: str = value
    if question.type == FREE_TEXT and len(text) > question.max_length:
        raise FieldValidationError(
            {
                f"answers.{question.id}": [
                    _("Please write at most %(n)s characters.") % {"n": question.max_length}
                ]
            }
        )
    return text


def _store(participant: Participant, question: consultations.Question, value: str | None) -> None:
    written = question.type == FREE_TEXT and value is not None
    Answer.objects.update_or_create(
        participant=participant,
        question_id=question.id,
        defaults={
            "skipped": value is None,
            "value": value,
            "review_status": ReviewStatus.PENDING if written else ReviewStatus.NOT_NEEDED,
            "reviewed_text": "",
        },
    )


def _drop_unasked(participant: Participant, instrument: consultations.Consultation) -> int:
    """After an earlier answer changed, erase answers to questions that are no longer asked."""
    chosen = chosen_options(participant)
    gone = [
        q.id for q in instrument.questions if q.id in chosen and not instrument.shown(q, chosen)
    ]
    if not gone:
        return 0
    deleted, _rows = participant.answers.filter(question_id__in=gone).delete()
    return deleted


@transaction.atomic
def participant_answer(
    *, participant_id: uuid.UUID | str, question_id: str, value: Any
) -> Participant:
    """Keep one answer (``value`` None or blank: the child skipped the question)."""
    participant = _participant(participant_id)
    if participant.status != ParticipantStatus.IN_PROGRESS:
        raise ApplicationError(_("These answers are already sent."), code="finished")
    _require_open(participant.consultation)
    instrument = instrument_of(participant.consultation)
    try:
        question = instrument.question(question_id)
    except KeyError:
        raise FieldValidationError(
            {
                f"answers.{question_id}": [
                    _("This consultation has no question %(id)s.") % {"id": question_id}
                ]
            },
            _("This consultation has no question %(id)s.") % {"id": question_id},
        ) from None
    if not instrument.shown(question, chosen_options(participant)):
        raise FieldValidationError(
            {f"answers.{question_id}": [_("This question is not asked after the earlier answer.")]}
        )
    _store(participant, question, _clean_value(question, value))
    _drop_unasked(participant, instrument)
    _audit(participant.consultation, "answer")
    return participant


@transaction.atomic
def participant_finish(*, participant_id: uuid.UUID | str) -> Participant:
    participant = _participant(participant_id)
    if participant.status == ParticipantStatus.IN_PROGRESS:
        participant.status = ParticipantStatus.COMPLETED
        participant.ended_on = timezone.localdate()
        participant.save(update_fields=["status", "ended_on"])
        _audit(participant.consultation, "finish")
    return participant


@transaction.atomic
def participant_stop(*, participant_id: uuid.UUID | str, keep_answers: bool) -> Participant:
    """The child stops. Their choice: keep the answers given so far, or take them all back.

    Taking them back erases every answer at once (nothing is kept, not even skips); the row
    that stays says only that someone in this age band withdrew, so withdrawals can be counted.
    """
    participant = _participant(participant_id)
    if participant.status == ParticipantStatus.WITHDRAWN:
        return participant
    if keep_answers and participant.status == ParticipantStatus.COMPLETED:
        return participant
    erased = 0
    if keep_answers:
        participant.status = ParticipantStatus.STOPPED
    else:
        erased, _rows = participant.answers.all().delete()
        participant.status = ParticipantStatus.WITHDRAWN
    participant.ended_on = timezone.localdate()
    participant.save(update_fields=["status", "ended_on"])
    _audit(participant.consultation, "withdraw" if not keep_answers else "stop", erased=erased)
    return participant


@transaction.atomic
def participant_submit(
    *,
    actor: User,
    consultation_id: uuid.UUID | str,
    age_band: str,
    language: str,
    assent: bool,
    caregiver_consent: str,
    answers: Mapping[str, Any],
    channel: str = Channel.API,
) -> Participant:
    """A facilitator enters one child's answers given on paper or offline, all at once. Every
    answer is checked first; any error (an unknown question, an option the question does not
    offer) refuses the whole set and nothing is stored."""
    consultation = consultation_for(
        user=actor, consultation_id=consultation_id, action=ConsultationAction.RUN
    )
    _require_open(consultation)
    if not isinstance(answers, Mapping):
        raise FieldValidationError({"answers": [_("answers must map question ids to answers.")]})
    instrument = instrument_of(consultation)
    consent = _check_start(
        consultation,
        channel=ParticipationChannel.PAPER,
        age_band=age_band,
        language=language,
        assent=assent,
        caregiver=caregiver_consent,
    )
    clean, errors = consultations.check_answers(instrument, answers)
    if errors:
        first = next(iter(errors))
        raise FieldValidationError(
            errors, _("Nothing was saved: %(field)s is not valid.") % {"field": first}
        )
    participant = Participant.objects.create(
        consultation=consultation,
        channel=ParticipationChannel.PAPER,
        age_band=age_band,
        language=language,
        caregiver_consent=consent,
        status=ParticipantStatus.COMPLETED,
        ended_on=timezone.localdate(),
    )
    for question in instrument.questions:
        if question.id in clean:
            _store(participant, question, clean[question.id])
    _audit(consultation, "submission", actor=actor_of(actor, channel), answers=len(clean))
    return participant


ABANDONED_AFTER = datetime.timedelta(days=1)


@transaction.atomic
def participants_purge_abandoned(*, today: datetime.date | None = None) -> int:
    """Erase the answers of children who left without finishing or choosing to stop (a tab
    closed half way): after a day they are not counted and not kept. Returns how many."""
    today = today or timezone.localdate()
    stale = Participant.objects.filter(
        status=ParticipantStatus.IN_PROGRESS, started_on__lte=today - ABANDONED_AFTER
    )
    consultations_touched = list(stale.values_list("consultation_id", flat=True).distinct())
    erased, _rows = stale.delete()
    for consultation_id in consultations_touched:
        audit_record(
            actor=Actor.system(Channel.SYSTEM),
            action=Action.DELETE,
            object_type=OBJECT,
            object_id=consultation_id,
            details={"step": "purge_abandoned"},
        )
    return int(erased)
