"""Consultations: create one from a shipped file, make or stop its link, run sessions, close it."""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import audit_record
from safepath.core.exceptions import ApplicationError, FieldValidationError, PermissionDeniedError
from safepath.participation import consultations
from safepath.participation.codes import link_digest
from safepath.participation.models import Consultation, ConsultationSession, ConsultationStatus
from safepath.participation.policies import ConsultationAction, consultation_policy
from safepath.participation.selectors import consultation_for
from safepath.participation.services.common import actor_of

OBJECT = "participation.consultation"
SESSION_HOURS = 12  # a session left running ends by itself after this long


@transaction.atomic
def consultation_create(
    *,
    actor: User,
    instrument_id: str,
    title: str = "",
    closes_on: datetime.date | None = None,
    channel: str = Channel.API,
) -> Consultation:
    """Start a consultation from the newest version of a shipped consultation file."""
    if not consultation_policy.user_has_permission(actor, ConsultationAction.CREATE):
        raise PermissionDeniedError(_("Your role does not run consultations."))
    instrument = consultations.latest().get(instrument_id)
    if instrument is None:
        raise FieldValidationError(
            {"instrument": [_("There is no consultation file %(id)s.") % {"id": instrument_id}]}
        )
    if closes_on is not None and closes_on < timezone.localdate():
        raise FieldValidationError({"closes_on": [_("The closing date has already passed.")]})
    assert actor.agency is not None  # noqa: S101 - the policy lets no one without an agency through
    consultation = Consultation.objects.create(
        agency=actor.agency,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        title=(title.strip() or instrument.title.get(get_language() or "en"))[:200],
        closes_on=closes_on,
        created_by=actor,
    )
    audit_record(
        actor=actor_of(actor, channel),
        action=Action.CREATE,
        object_type=OBJECT,
        object_id=consultation.id,
        details={"instrument": instrument.key},
    )
    return consultation


def _change(actor: User, consultation: Consultation, channel: str, **details: object) -> None:
    consultation.version += 1
    consultation.save()
    audit_record(
        actor=actor_of(actor, channel),
        action=Action.UPDATE,
        object_type=OBJECT,
        object_id=consultation.id,
        details=dict(details),
    )


@transaction.atomic
def consultation_close(
    *, actor: User, consultation_id: uuid.UUID | str, channel: str = Channel.API
) -> Consultation:
    """No more answers: the link stops working and every running session ends."""
    consultation = consultation_for(
        user=actor, consultation_id=consultation_id, action=ConsultationAction.RUN, lock=True
    )
    if consultation.status == ConsultationStatus.CLOSED:
        raise ApplicationError(_("This consultation is already closed."), code="already_closed")
    now = timezone.now()
    consultation.status = ConsultationStatus.CLOSED
    consultation.closed_at = now
    consultation.link_digest = None
    ended = consultation.sessions.filter(ended_at__isnull=True).update(ended_at=now)
    _change(actor, consultation, channel, status="closed", sessions_ended=ended)
    return consultation


def _require_open(consultation: Consultation) -> None:
    if not consultation.is_open:
        raise ApplicationError(_("This consultation is closed."), code="closed")


@transaction.atomic
def consultation_link_create(
    *, actor: User, consultation_id: uuid.UUID | str, channel: str = Channel.API
) -> tuple[Consultation, str]:
    """A new link for children to answer on their own device. The secret is returned once; a
    new link replaces the old one (which stops working)."""
    consultation = consultation_for(
        user=actor, consultation_id=consultation_id, action=ConsultationAction.RUN, lock=True
    )
    _require_open(consultation)
    token = secrets.token_urlsafe(24)
    consultation.link_digest = link_digest(token)
    _change(actor, consultation, channel, link="made")
    return consultation, token


@transaction.atomic
def consultation_link_disable(
    *, actor: User, consultation_id: uuid.UUID | str, channel: str = Channel.API
) -> Consultation:
    consultation = consultation_for(
        user=actor, consultation_id=consultation_id, action=ConsultationAction.RUN, lock=True
    )
    consultation.link_digest = None
    _change(actor, consultation, channel, link="stopped")
    return consultation


@transaction.atomic
def session_start(
    *, actor: User, consultation_id: uuid.UUID | str, channel: str = Channel.WEB
) -> ConsultationSession:
    """A facilitated session on this device. The page that calls this signs the facilitator out
    of the device before handing it to the first child."""
    consultation = consultation_for(
        user=actor, consultation_id=consultation_id, action=ConsultationAction.RUN
    )
    _require_open(consultation)
    now = timezone.now()
    session = ConsultationSession.objects.create(
        consultation=consultation,
        facilitator=actor,
        started_at=now,
        expires_at=now + datetime.timedelta(hours=SESSION_HOURS),
    )
    audit_record(
        actor=actor_of(actor, channel),
        action=Action.CREATE,
        object_type="participation.session",
        object_id=session.id,
        details={"consultation": str(consultation.id)},
    )
    return session


@transaction.atomic
def session_end(
    *, actor: User, session_id: uuid.UUID | str, channel: str = Channel.WEB
) -> ConsultationSession:
    session = (
        ConsultationSession.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise FieldValidationError({"session": [_("No such session.")]})
    consultation_for(
        user=actor, consultation_id=session.consultation_id, action=ConsultationAction.RUN
    )
    if session.ended_at is None:
        session.ended_at = timezone.now()
        session.save(update_fields=["ended_at"])
        audit_record(
            actor=actor_of(actor, channel),
            action=Action.UPDATE,
            object_type="participation.session",
            object_id=session.id,
            details={"ended": True},
        )
    return session
