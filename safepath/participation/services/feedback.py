"""Feedback and complaints about services: made by a child or carer (on a phone, or through a
caseworker), followed with a tracking code, handled and answered within deadlines.

Routing: ordinary feedback goes to the supervisors of the agency that runs the service. A
safeguarding complaint (a worker's behaviour) goes to the agency's safeguarding lead, or to the
deputy when it is about the lead, or to the agency's longest-serving supervisor when no lead is
named; never to the worker it is about (``subject_user``), whom no query lets see it.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core import crypto
from safepath.core.exceptions import (
    ApplicationError,
    FieldValidationError,
    NotFoundError,
    PermissionDeniedError,
)
from safepath.participation import codes, rules
from safepath.participation.consultations import LANGUAGES
from safepath.participation.models import (
    CodeLookupFailure,
    EscalationStep,
    Feedback,
    FeedbackChannel,
    FeedbackEscalation,
    FeedbackFrom,
    FeedbackKind,
    FeedbackStatus,
    SafeguardingLead,
)
from safepath.participation.policies import FeedbackAction, feedback_policy
from safepath.participation.services.common import actor_of
from safepath.referrals.models import Service

OBJECT = "participation.feedback"
MAX_MESSAGE = 4000
MAX_REPLY = 2000
LOOKUP_WINDOW = timedelta(hours=1)
LOOKUP_LIMIT = 10  # unknown codes from one address in LOOKUP_WINDOW; the next is refused
CODE_PURPOSE = "participation.tracking-code"
ADDRESS_PURPOSE = "participation.lookup-address"


class TooManyAttemptsError(ApplicationError):
    """Too many unknown tracking codes from one address: wait ``retry_after`` seconds."""

    code = "throttled"
    http_status = 429

    def __init__(self, retry_after: int):
        super().__init__(
            _("Too many codes that do not exist were tried from here. Try again later."),
            extra={"retry_after": retry_after},
        )
        self.retry_after = retry_after


CODE_INDEX_WIDTH = 64  # Feedback.code_index


def code_index(normalised: str) -> str:
    return crypto.tagged_index(normalised, purpose=CODE_PURPOSE, width=CODE_INDEX_WIDTH)


def _clean_contact(contact: Any) -> dict[str, str]:
    if not isinstance(contact, dict):
        return {}
    return {
        key: str(contact.get(key) or "").strip()[:200]
        for key in ("name", "phone", "email")
        if str(contact.get(key) or "").strip()
    }


def _check(
    *,
    kind: str,
    submitted_by: str,
    service: Service | None,
    message: str,
    anonymous: bool,
    contact: dict[str, str],
    language: str,
    channel: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in FeedbackKind.values:
        errors["kind"] = [_("Choose what kind of feedback it is.")]
    if submitted_by not in FeedbackFrom.values:
        errors["submitted_by"] = [_("Say whether a child or a parent or carer is writing.")]
    if service is None:
        errors["service"] = [_("Choose the service it is about.")]
    if not message.strip():
        errors["message"] = [_("Please write what happened or what you think.")]
    elif len(message) > MAX_MESSAGE:
        errors["message"] = [_("At most %(n)s characters.") % {"n": MAX_MESSAGE}]
    if not anonymous and not contact:
        errors["contact"] = [
            _("To get an answer with your name, give a name, a phone number or an e-mail.")
        ]
    if language not in LANGUAGES:
        errors["language"] = [_("The language must be one of en, fr, es, ar.")]
    if channel not in FeedbackChannel.values:
        errors["channel"] = [_("Unknown channel.")]
    return errors


def _service(service_id: Any) -> Service | None:
    try:
        return (
            Service.objects.select_related("provider__agency")
            .filter(pk=service_id, is_active=True, provider__agency__isnull=False)
            .first()
        )
    except (ValueError, TypeError):
        return None


def _supervisors(agency_id: Any) -> list[User]:
    return list(
        User.objects.filter(
            agency_id=agency_id, role=Role.SUPERVISOR, is_active=True, agency__is_active=True
        ).order_by("date_joined", "username")
    )


def _excluded(feedback: Feedback, lead: SafeguardingLead | None) -> set[Any]:
    """People who must never see this feedback: the worker it is about, whoever stood aside,
    and the safeguarding lead when the complaint says it is about the lead."""
    excluded = {feedback.subject_user_id, feedback.recused_by_id} - {None}
    if feedback.concerns_lead and lead is not None:
        excluded.add(lead.lead_id)
    return excluded


def route(feedback: Feedback) -> User | None:
    """Who handles a safeguarding complaint (None for ordinary feedback: the supervisors' queue)."""
    if not feedback.is_safeguarding:
        return None
    lead = (
        SafeguardingLead.objects.select_related("lead", "deputy")
        .filter(agency=feedback.agency)
        .first()
    )
    excluded = _excluded(feedback, lead)
    candidates: list[User] = []
    if lead is not None:
        candidates += [lead.lead] + ([lead.deputy] if lead.deputy else [])
    candidates += _supervisors(feedback.agency_id)
    for person in candidates:
        if (
            person.id not in excluded
            and person.is_active
            and person.agency_id == feedback.agency_id
        ):
            return person
    return None


@transaction.atomic
def feedback_submit(
    *,
    kind: str,
    submitted_by: str,
    service_id: Any,
    message: str,
    about_worker: str = "",
    concerns_lead: bool = False,
    anonymous: bool = True,
    contact: Any = None,
    language: str = "en",
    channel: str = FeedbackChannel.PHONE,
    recorded_by: User | None = None,
    subject_user_id: Any = None,
    audit_channel: str = Channel.API,
) -> tuple[Feedback, str]:
    """Store the feedback and return it with its tracking code (shown once, never stored)."""
    if channel == FeedbackChannel.CASEWORKER and (
        recorded_by is None
        or not feedback_policy.user_has_permission(recorded_by, FeedbackAction.RECORD_FOR_CHILD)
    ):
        raise PermissionDeniedError(_("Your role does not record feedback for a child."))
    service = _service(service_id)
    clean_contact = {} if anonymous else _clean_contact(contact)
    errors = _check(
        kind=kind,
        submitted_by=submitted_by,
        service=service,
        message=message,
        anonymous=anonymous,
        contact=clean_contact,
        language=language,
        channel=channel,
    )
    subject = None
    if subject_user_id not in (None, ""):
        if channel != FeedbackChannel.CASEWORKER:
            errors["subject_user"] = [_("Only a caseworker names the worker from the staff list.")]
        elif service is not None:
            subject = (
                User.objects.filter(pk=subject_user_id, agency=service.provider.agency).first()
                if _is_uuid(subject_user_id)
                else None
            )
            if subject is None:
                errors["subject_user"] = [_("Choose a worker of the agency that runs the service.")]
    if len(about_worker) > 500:
        errors["about_worker"] = [_("At most %(n)s characters.") % {"n": 500}]
    if errors:
        raise FieldValidationError(errors, _("The feedback was not sent: some fields need a look."))
    assert service is not None  # noqa: S101 - checked above
    agency_id = service.provider.agency_id
    assert agency_id is not None  # noqa: S101 - only services of agencies on SafePath
    code = codes.new_code()
    received = timezone.now()
    acknowledge_by, respond_by = rules.deadlines().due(kind, received)
    feedback = Feedback(
        code_index=code_index(codes.normalise(code) or ""),
        kind=kind,
        submitted_by=submitted_by,
        channel=channel,
        service=service,
        agency_id=agency_id,
        message=message.strip(),
        about_worker=about_worker.strip(),
        subject_user=subject,
        concerns_lead=bool(concerns_lead) and kind == FeedbackKind.SAFEGUARDING,
        anonymous=anonymous,
        contact=clean_contact or None,
        language=language,
        recorded_by=recorded_by if channel == FeedbackChannel.CASEWORKER else None,
        received_at=received,
        acknowledge_by=acknowledge_by,
        respond_by=respond_by,
    )
    if feedback.concerns_lead and feedback.subject_user_id is None:
        lead = SafeguardingLead.objects.filter(agency_id=feedback.agency_id).first()
        feedback.subject_user_id = lead.lead_id if lead else None
    feedback.handler = route(feedback)
    feedback.save()
    audit_record(
        actor=Actor.of(recorded_by, audit_channel) if recorded_by else Actor.system(audit_channel),
        action=Action.CREATE,
        object_type=OBJECT,
        object_id=feedback.id,
        details={
            "kind": kind,
            "service": str(service.id),
            "channel": channel,
            "anonymous": anonymous,
            "routed_to_handler": feedback.handler_id is not None,
        },
    )
    return feedback, code


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _lock_address(key: str) -> None:
    """On PostgreSQL, one lookup at a time per address, so the limit is never overshot."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def feedback_status(*, code: Any, address: str, now: datetime | None = None) -> Feedback:
    """The feedback a tracking code belongs to. At most LOOKUP_LIMIT unknown codes an hour from
    one address; past that, every lookup from it is refused (a right code too), so the answer
    says nothing about which codes exist."""
    now = now or timezone.now()
    key = crypto.blind_index(address or "unknown", purpose=ADDRESS_PURPOSE)
    text = code if isinstance(code, str) else ""
    with transaction.atomic():
        _lock_address(key)
        recent = CodeLookupFailure.objects.filter(address_index=key, at__gt=now - LOOKUP_WINDOW)
        if recent.count() >= LOOKUP_LIMIT:
            oldest = recent.order_by("at").values_list("at", flat=True).first() or now
            raise TooManyAttemptsError(
                max(1, math.ceil((oldest + LOOKUP_WINDOW - now).total_seconds()))
            )
        normalised = codes.normalise(text)
        candidates = (
            crypto.tagged_indexes(normalised, purpose=CODE_PURPOSE, width=CODE_INDEX_WIDTH)
            if normalised
            else []
        )
        feedback = (
            Feedback.objects.select_related("service").filter(code_index__in=candidates).first()
            if candidates
            else None
        )
        if feedback is not None and feedback.code_index != candidates[0]:
            # made under an older index key (a rotation since): move it to the active key
            Feedback.objects.filter(pk=feedback.pk, code_index=feedback.code_index).update(
                code_index=candidates[0]
            )
        if feedback is None:
            CodeLookupFailure.objects.create(address_index=key, at=now)
        else:
            audit_record(
                actor=Actor.system(Channel.API),
                action=Action.READ,
                object_type=OBJECT,
                object_id=feedback.id,
                purpose="status by tracking code",
            )
    if feedback is None:
        raise NotFoundError(
            _("No feedback has this tracking code. Check the code and try again."),
            code="unknown_code",
        )
    return feedback


def _for_handler(user: User, feedback_id: Any) -> Feedback:
    visible = feedback_policy.instances_user_has_permission_for(user, FeedbackAction.VIEW)
    if not _is_uuid(feedback_id):
        raise NotFoundError(_("No such feedback."))
    feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .filter(pk=feedback_id, pk__in=visible.values("pk"))
        .first()
    )
    if feedback is None:
        raise NotFoundError(_("No such feedback."))
    if not feedback_policy.user_has_permission_for_instance(user, FeedbackAction.HANDLE, feedback):
        raise PermissionDeniedError(_("You may read this feedback but not handle it."))
    return feedback


def _save(actor: User, feedback: Feedback, channel: str, **details: Any) -> Feedback:
    feedback.version += 1
    feedback.save()
    audit_record(
        actor=actor_of(actor, channel),
        action=Action.UPDATE,
        object_type=OBJECT,
        object_id=feedback.id,
        details=details,
    )
    return feedback


def _reply(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise FieldValidationError({"reply": [_("Write the answer the child or carer will read.")]})
    if len(text) > MAX_REPLY:
        raise FieldValidationError({"reply": [_("At most %(n)s characters.") % {"n": MAX_REPLY}]})
    return text


@transaction.atomic
def feedback_acknowledge(
    *, actor: User, feedback_id: Any, reply: str = "", channel: str = Channel.API
) -> Feedback:
    """Say it has been received and is being looked at (the deadline for this is the first)."""
    feedback = _for_handler(actor, feedback_id)
    if feedback.status != FeedbackStatus.RECEIVED:
        raise ApplicationError(_("This feedback was already acknowledged."), code="acknowledged")
    text = _reply(reply, required=False)
    feedback.status = FeedbackStatus.ACKNOWLEDGED
    feedback.acknowledged_at = timezone.now()
    feedback.handler = feedback.handler or actor
    if text:
        feedback.reply = text
    return _save(
        actor,
        feedback,
        channel,
        status="acknowledged",
        late=feedback.acknowledged_at > feedback.acknowledge_by,
    )


@transaction.atomic
def feedback_respond(
    *, actor: User, feedback_id: Any, reply: str, channel: str = Channel.API
) -> Feedback:
    """The answer the child or carer reads with their tracking code."""
    feedback = _for_handler(actor, feedback_id)
    if feedback.status == FeedbackStatus.CLOSED:
        raise ApplicationError(_("This feedback is closed."), code="closed")
    feedback.reply = _reply(reply, required=True)
    now = timezone.now()
    if feedback.acknowledged_at is None:
        feedback.acknowledged_at = now
    feedback.status = FeedbackStatus.RESPONDED
    feedback.responded_at = now
    feedback.handler = feedback.handler or actor
    return _save(actor, feedback, channel, status="responded", late=now > feedback.respond_by)


@transaction.atomic
def feedback_close(*, actor: User, feedback_id: Any, channel: str = Channel.API) -> Feedback:
    feedback = _for_handler(actor, feedback_id)
    if feedback.status != FeedbackStatus.RESPONDED:
        raise ApplicationError(_("Answer the feedback before closing it."), code="not_answered")
    feedback.status = FeedbackStatus.CLOSED
    feedback.closed_at = timezone.now()
    return _save(actor, feedback, channel, status="closed")


@transaction.atomic
def feedback_recuse(*, actor: User, feedback_id: Any, channel: str = Channel.API) -> Feedback:
    """The handler stands aside (it is about them, or they cannot be impartial): it goes to the
    next person, and the one who stood aside can no longer see it."""
    feedback = _for_handler(actor, feedback_id)
    if not feedback.is_safeguarding:
        raise ApplicationError(
            _("Only a safeguarding complaint is handed over; another supervisor can take this."),
            code="not_safeguarding",
        )
    if feedback.recused_by_id is not None and feedback.recused_by_id != actor.id:
        raise ApplicationError(
            _("Someone already stood aside from this complaint; ask a supervisor to reassign it."),
            code="already_recused",
        )
    feedback.recused_by = actor
    feedback.escalations.filter(recipient=actor).delete()
    feedback.handler = route(feedback)
    return _save(
        actor, feedback, channel, recused=True, routed_to_handler=feedback.handler_id is not None
    )


@dataclass
class EscalationRun:
    escalated: list[str] = field(default_factory=list)
    to_people: int = 0
    to_coordination: int = 0
    purged_lookups: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "escalated": self.escalated,
            "to_people": self.to_people,
            "to_coordination": self.to_coordination,
            "purged_lookups": self.purged_lookups,
        }


def _escalation_people(feedback: Feedback) -> list[User]:
    """A late safeguarding complaint also goes to the deputy and the agency's supervisors."""
    lead = (
        SafeguardingLead.objects.select_related("deputy")
        .filter(agency_id=feedback.agency_id)
        .first()
    )
    excluded = _excluded(feedback, lead) | {feedback.handler_id}
    people = ([lead.deputy] if lead and lead.deputy else []) + _supervisors(feedback.agency_id)
    return [p for p in people if p.id not in excluded and p.is_active]


def _escalate(feedback: Feedback, step: str, now: datetime) -> int:
    made = 0
    for person in _escalation_people(feedback):
        _row, created = FeedbackEscalation.objects.get_or_create(
            feedback=feedback, step=step, recipient=person, defaults={"created_at": now}
        )
        made += int(created)
    if made:
        audit_record(
            actor=Actor.system(Channel.SYSTEM),
            action=Action.UPDATE,
            object_type=OBJECT,
            object_id=feedback.id,
            details={"escalation": step, "recipients": made},
        )
    return made


@transaction.atomic
def feedback_escalate_overdue(*, now: datetime | None = None) -> EscalationRun:
    """Idempotent; run every hour. A safeguarding complaint not acknowledged (or not answered)
    in time goes to the deputy and the supervisors as well; any feedback still unanswered well
    past its deadline is counted for the national coordination (which sees counts, not content).
    Unknown-code records older than a day are deleted."""
    now = now or timezone.now()
    run = EscalationRun()
    late = Feedback.objects.select_for_update().filter(
        Q(status=FeedbackStatus.RECEIVED, acknowledge_by__lte=now)
        | Q(status__in=[FeedbackStatus.RECEIVED, FeedbackStatus.ACKNOWLEDGED], respond_by__lte=now)
    )
    coordination_after = rules.deadlines().coordinator_after
    for feedback in late.order_by("received_at"):
        made = 0
        if feedback.is_safeguarding:
            if feedback.status == FeedbackStatus.RECEIVED and feedback.acknowledge_by <= now:
                made += _escalate(feedback, EscalationStep.ACKNOWLEDGEMENT, now)
            if feedback.respond_by <= now:
                made += _escalate(feedback, EscalationStep.RESPONSE, now)
        if made:
            run.escalated.append(str(feedback.id))
            run.to_people += made
        if (
            feedback.coordination_alerted_at is None
            and now >= feedback.respond_by + coordination_after
        ):
            feedback.coordination_alerted_at = now
            feedback.save(update_fields=["coordination_alerted_at"])
            audit_record(
                actor=Actor.system(Channel.SYSTEM),
                action=Action.UPDATE,
                object_type=OBJECT,
                object_id=feedback.id,
                details={"escalation": "coordination"},
            )
            run.to_coordination += 1
    run.purged_lookups, _rows = CodeLookupFailure.objects.filter(
        at__lt=now - timedelta(days=1)
    ).delete()
    return run
