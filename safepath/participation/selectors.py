"""Reads of consultations, their results and the information given to children, scoped by the
caller's role (a record the caller may not see is 'not found')."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record, audit_record_many
from safepath.cases.models import Case
from safepath.cases.policies import CaseAction
from safepath.cases.selectors import case_for_action
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.evidence.models import Release, ReleaseStatus
from safepath.participation import consultations, results
from safepath.participation.codes import link_digest
from safepath.participation.models import (
    ActionTaken,
    Answer,
    Consultation,
    ConsultationSession,
    ConsultationSummary,
    InformationGiven,
    Participant,
    ParticipantStatus,
    ReviewStatus,
)
from safepath.participation.policies import (
    ConsultationAction,
    InformationAction,
    consultation_policy,
    information_policy,
)
from safepath.participation.results import Cell, Results

SUMMARY_SOURCE = "participation"
COUNTED = (ParticipantStatus.COMPLETED, ParticipantStatus.STOPPED)


def consultation_for(
    *, user: User, consultation_id: uuid.UUID | str, action: ConsultationAction, lock: bool = False
) -> Consultation:
    """The consultation ``user`` may do ``action`` on: 404 if they may not see it, 403 if they
    see it but may not do this."""
    visible = consultation_policy.instances_user_has_permission_for(user, ConsultationAction.VIEW)
    try:
        queryset = visible.select_for_update(of=("self",)) if lock else visible
        consultation = queryset.select_related("agency").get(pk=consultation_id)
    except (Consultation.DoesNotExist, ValueError):
        raise NotFoundError(_("No such consultation.")) from None
    if not consultation_policy.user_has_permission_for_instance(user, action, consultation):
        raise PermissionDeniedError(_("Your role may see this consultation but not do this."))
    return consultation


def instrument_of(consultation: Consultation) -> consultations.Consultation:
    return consultations.get(consultation.instrument_id, consultation.instrument_version)


def consultation_list(*, user: User) -> QuerySet[Consultation]:
    if not consultation_policy.user_has_permission(user, ConsultationAction.VIEW):
        raise PermissionDeniedError(_("Your role does not see consultations."))
    return (
        consultation_policy.instances_user_has_permission_for(user, ConsultationAction.VIEW)
        .select_related("agency")
        .annotate(
            taking_part=Count("participants", filter=Q(participants__status__in=COUNTED)),
            to_review=Count(
                "participants__answers",
                filter=Q(participants__answers__review_status=ReviewStatus.PENDING),
            ),
        )
        # Said again: an aggregating query drops Meta.ordering, and pages need a stable order.
        .order_by("-created_at", "id")
    )


def consultation_get(
    *,
    user: User,
    consultation_id: uuid.UUID | str,
    action: ConsultationAction = ConsultationAction.VIEW,
) -> Consultation:
    return consultation_for(user=user, consultation_id=consultation_id, action=action)


def consultation_by_link(token: str) -> Consultation | None:
    """The open consultation a link's secret opens, or None (wrong, replaced or closed)."""
    if not token or len(token) > 100:
        return None
    consultation = (
        Consultation.objects.select_related("agency").filter(link_digest=link_digest(token)).first()
    )
    return consultation if consultation is not None and consultation.is_open else None


def live_session(session_id: uuid.UUID | str | None) -> ConsultationSession | None:
    if not session_id:
        return None
    try:
        session = (
            ConsultationSession.objects.select_related("consultation", "consultation__agency")
            .filter(pk=session_id)
            .first()
        )
    except (ValueError, TypeError):
        return None
    return session if session is not None and session.is_live else None


def participant_in_progress(participant_id: uuid.UUID | str | None) -> Participant | None:
    """The participant a browser holds (only the browser that started it knows the id)."""
    if not participant_id:
        return None
    try:
        return (
            Participant.objects.select_related("consultation", "consultation__agency")
            .prefetch_related("answers")
            .filter(pk=participant_id)
            .exclude(status=ParticipantStatus.WITHDRAWN)
            .first()
        )
    except (ValueError, TypeError):
        return None


def responses(consultation: Consultation) -> list[results.Response]:
    """Every counted child's answers (finished, or stopped keeping them), decrypted in memory."""
    answers: dict[uuid.UUID, dict[str, str | None]] = {}
    bands: dict[uuid.UUID, str] = {}
    for participant_id, band in Participant.objects.filter(
        consultation=consultation, status__in=COUNTED
    ).values_list("id", "age_band"):
        bands[participant_id] = band
        answers[participant_id] = {}
    for answer in Answer.objects.filter(participant_id__in=bands.keys()).only(
        "participant_id", "question_id", "skipped", "value", "review_status"
    ):
        written = answer.review_status != ReviewStatus.NOT_NEEDED
        value = None if answer.skipped else ("written" if written else answer.value)
        answers[answer.participant_id][answer.question_id] = value
    return [results.Response(bands[pid], answers[pid]) for pid in bands]


@dataclass
class ConsultationResults:
    consultation: Consultation
    instrument: consultations.Consultation
    results: Results
    withdrawn: Cell
    excerpts: dict[str, list[str]]  # question id -> approved written answers (shown ones only)
    waiting_for_review: int


def consultation_results(
    *,
    user: User | None,
    consultation_id: uuid.UUID | str,
    k: int = results.DEFAULT_K,
    channel: str = Channel.WEB,
) -> ConsultationResults:
    """Aggregates only, protected; written answers only once reviewed and only where at least k
    children answered the question. ``user`` None: the command line (the operator)."""
    if user is None:
        consultation = (
            Consultation.objects.select_related("agency").filter(pk=consultation_id).first()
        )
        if consultation is None:
            raise NotFoundError(_("No such consultation."))
    else:
        consultation = consultation_for(
            user=user, consultation_id=consultation_id, action=ConsultationAction.RESULTS
        )
    instrument = instrument_of(consultation)
    table = results.tabulate(instrument, responses(consultation), k=k)
    withdrawn = Participant.objects.filter(
        consultation=consultation, status=ParticipantStatus.WITHDRAWN
    ).count()
    excerpts = approved_excerpts(consultation, table)
    audit_record(
        actor=Actor.of(user, channel) if user else Actor.system(channel),
        action=Action.READ,
        object_type="participation.results",
        object_id=consultation.id,
        details={"k": k},
    )
    return ConsultationResults(
        consultation=consultation,
        instrument=instrument,
        results=table,
        withdrawn=results.single_figure(withdrawn, k),
        excerpts=excerpts,
        waiting_for_review=Answer.objects.filter(
            participant__consultation=consultation, review_status=ReviewStatus.PENDING
        ).count(),
    )


def approved_excerpts(consultation: Consultation, table: results.Results) -> dict[str, list[str]]:
    """Reviewed written answers for each written question whose 'answered' count is published
    (at least k children): in a fixed order that is not the order they were given in."""
    shown = {
        q.question.id
        for q in table.questions
        if q.question.type == consultations.FREE_TEXT
        and not q.table.cell(results.ANSWERED).suppressed
    }
    found: dict[str, list[str]] = {question: [] for question in shown}
    for answer in Answer.objects.filter(
        participant__consultation=consultation,
        participant__status__in=COUNTED,
        question_id__in=shown,
        review_status=ReviewStatus.APPROVED,
    ).only("question_id", "reviewed_text"):
        found[answer.question_id].append(answer.reviewed_text)
    return {question: sorted(texts, key=str.casefold) for question, texts in found.items()}


def written_for_review(
    *, user: User, consultation_id: uuid.UUID | str, limit: int = 20, channel: str = Channel.WEB
) -> tuple[Consultation, list[Answer]]:
    """Written answers waiting for review, shuffled (never in the order they were given). Each
    read is audited: the reviewer sees a child's own words."""
    consultation = consultation_for(
        user=user, consultation_id=consultation_id, action=ConsultationAction.REVIEW_TEXT
    )
    pending = list(
        Answer.objects.filter(
            participant__consultation=consultation, review_status=ReviewStatus.PENDING
        ).only("id", "question_id", "value")
    )
    random.SystemRandom().shuffle(pending)
    pending = pending[:limit]
    audit_record_many(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="participation.answer",
        object_ids=[answer.id for answer in pending],
        purpose="review written answers",
    )
    return consultation, pending


def action_list(*, consultation: Consultation) -> QuerySet[ActionTaken]:
    return ActionTaken.objects.filter(consultation=consultation)


def summary_list(*, consultation: Consultation) -> QuerySet[ConsultationSummary]:
    return ConsultationSummary.objects.filter(consultation=consultation).select_related("release")


def published_summaries() -> QuerySet[Release]:
    """Consultation summaries the data-protection officer approved and that were published:
    public, for the children who took part and anyone else."""
    return Release.objects.filter(source=SUMMARY_SOURCE, status=ReleaseStatus.PUBLISHED).order_by(
        "-published_at"
    )


def published_summary(release_id: uuid.UUID | str) -> Release:
    release = published_summaries().filter(pk=release_id).first()
    if release is None:
        raise NotFoundError(_("No such published summary."))
    return release


def information_given_for_case(
    *, user: User, case_id: uuid.UUID | str
) -> tuple[Case, QuerySet[InformationGiven]]:
    """What the child was told, for someone who may see the case (404 otherwise)."""
    case = case_for_action(user=user, case_id=case_id, action=CaseAction.VIEW)
    if not information_policy.user_may_for_case(user, InformationAction.VIEW, case):
        raise NotFoundError(_("No such case."))
    return case, InformationGiven.objects.filter(case=case).select_related("recorded_by")
