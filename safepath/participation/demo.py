"""Demo data of the participation app, all synthetic: safeguarding leads for agencies A and B,
an open consultation at agency B with 32 children's answers (entered as from paper, so the
figures cross the threshold of 11), some written answers reviewed, one 'you said, we did' row,
feedback on the demo safe house (one of it late, one a safeguarding complaint), and one
explanation recorded on a demo case. Idempotent: each part is made only when it is missing."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.participation import consultations
from safepath.participation.models import (
    ActionStatus,
    Answer,
    CaregiverConsent,
    Consultation,
    Feedback,
    FeedbackFrom,
    FeedbackKind,
    InformationFormat,
    InformationGiven,
    ReviewStatus,
    SafeguardingLead,
)
from safepath.participation.services.consultations import consultation_create
from safepath.participation.services.feedback import feedback_submit
from safepath.participation.services.information import information_record_given
from safepath.participation.services.participants import participant_submit
from safepath.participation.services.review import answer_review
from safepath.participation.services.safeguarding import safeguarding_lead_set
from safepath.participation.services.summaries import action_record
from safepath.referrals.models import Service

DEMO_TITLE = "Drop-in centre, Nairobi (demo)"
PARTICIPANTS = 32
WRITTEN = (  # synthetic answers, as children might write them; no real words of any child
    "More time to talk with the same worker.",
    "Explain things in Swahili, not only English.",
    "Let us call our families more often.",
    "A quiet place to study in the evening.",
    "Tell us earlier when we have to move.",
    "Ask us before deciding, not after.",
    "Fewer new people asking the same questions.",
    "Football on Saturdays.",
    "Help with school fees.",
    "Someone to talk to at night.",
    "Be on time for appointments.",
    "Nothing, it was good.",
)
FEEDBACK = (  # (kind, message) - synthetic
    *[(FeedbackKind.COMPLIMENT, "The staff were kind and listened to me.")] * 12,
    (FeedbackKind.SUGGESTION, "Please have more books in Swahili."),
    (FeedbackKind.SUGGESTION, "Could we have a football?"),
    (FeedbackKind.COMPLAINT, "The food was cold most evenings."),
    (FeedbackKind.SAFEGUARDING, "A night worker shouted at us and said we would be sent away."),
)


def _answers(
    instrument: consultations.Consultation, rng: random.Random, number: int
) -> dict[str, str | None]:
    chosen: dict[str, str | None] = {}
    answers: dict[str, str | None] = {}
    for question in instrument.questions:
        if not instrument.shown(question, chosen):
            continue
        if question.type == consultations.FREE_TEXT:
            value = WRITTEN[number % len(WRITTEN)] if question.id == "one_change" else None
        elif rng.random() < 0.08:
            value = None  # skipped
        else:
            weights = [(1 + i) ** 2 for i in range(len(question.options))]  # the happier end
            value = rng.choices(question.option_ids(), weights=weights)[0]
        answers[question.id] = value
        chosen[question.id] = value if question.has_options else None
    return answers


def _consultation(facilitator: User, coordinator: User | None) -> dict[str, Any]:
    if Consultation.objects.filter(title=DEMO_TITLE).exists():
        return {"consultation": "exists"}
    consultation = consultation_create(
        actor=facilitator,
        instrument_id="services-experience",
        title=DEMO_TITLE,
        channel=Channel.CLI,
    )
    instrument = consultations.get(consultation.instrument_id, consultation.instrument_version)
    rng = random.Random(15)  # noqa: S311 - synthetic demo answers, not security
    for number in range(PARTICIPANTS):
        participant_submit(
            actor=facilitator,
            consultation_id=consultation.id,
            age_band="12-15" if number % 3 else "16-17",
            language="en" if number % 4 else "fr",
            assent=True,
            caregiver_consent=CaregiverConsent.FACILITATOR_CONFIRMED,
            answers=_answers(instrument, rng, number),
            channel=Channel.CLI,
        )
    pending = Answer.objects.filter(
        participant__consultation=consultation, review_status=ReviewStatus.PENDING
    ).order_by("id")
    for answer in list(pending)[:11]:
        answer_review(
            actor=facilitator,
            answer_id=answer.id,
            approve=True,
            text=str(answer.value),
            channel=Channel.CLI,
        )
    if coordinator is not None:
        action_record(
            actor=coordinator,
            consultation_id=consultation.id,
            you_said="Things were explained in English only.",
            we_did="Every explanation for children now exists in Swahili too (demo).",
            status=ActionStatus.PLANNED,
            channel=Channel.CLI,
        )
    return {"consultation": str(consultation.id), "participants": PARTICIPANTS}


def _leads() -> int:
    made = 0
    for code, lead in (("agency-a", "supervisor.a"), ("agency-b", "supervisor.b")):
        agency = Agency.objects.filter(code=code).first()
        person = User.objects.filter(username=lead).first()
        if agency and person and not SafeguardingLead.objects.filter(agency=agency).exists():
            safeguarding_lead_set(
                actor=None, agency_id=agency.id, lead_id=person.id, channel=Channel.CLI
            )
            made += 1
    return made


def _feedback() -> int:
    service = Service.objects.filter(name="Safe House Nairobi (demo)").first()
    if service is None or Feedback.objects.filter(service=service).exists():
        return 0
    now = timezone.now()
    for number, (kind, message) in enumerate(FEEDBACK):
        feedback, _code = feedback_submit(
            kind=kind,
            submitted_by=FeedbackFrom.CHILD if number % 5 else FeedbackFrom.CAREGIVER,
            service_id=service.id,
            message=message,
            about_worker="A night worker" if kind == FeedbackKind.SAFEGUARDING else "",
            language="en",
            audit_channel=Channel.CLI,
        )
        # Spread the synthetic feedback over the past weeks; the complaint is late on purpose.
        days = 30 - number if kind != FeedbackKind.COMPLAINT else 5
        received = now - datetime.timedelta(days=days)
        acknowledge_by = received + (feedback.acknowledge_by - feedback.received_at)
        respond_by = received + (feedback.respond_by - feedback.received_at)
        Feedback.objects.filter(pk=feedback.pk).update(
            received_at=received, acknowledge_by=acknowledge_by, respond_by=respond_by
        )
    return len(FEEDBACK)


def _information() -> int:
    worker = User.objects.filter(username="caseworker.a").first()
    if worker is None or worker.agency is None:
        return 0
    case = (
        Case.objects.filter(
            owner_agency=worker.agency, assignments__user=worker, assignments__ended_at__isnull=True
        )
        .order_by("created_at")
        .first()
    )
    if case is None or InformationGiven.objects.filter(case=case).exists():
        return 0
    for topic, level, language in (("your-rights", "older", "en"), ("case-steps", "younger", "fr")):
        information_record_given(
            actor=worker,
            case_id=case.id,
            topic=topic,
            level=level,
            language=language,
            format=InformationFormat.READ_TOGETHER,
            channel=Channel.CLI,
        )
    return 2


@transaction.atomic
def load_demo() -> dict[str, Any]:
    facilitator = User.objects.filter(username="facilitator.b").first()
    coordinator = User.objects.filter(username="coordinator").first()
    summary: dict[str, Any] = {"safeguarding_leads": _leads()}
    if facilitator is not None:
        summary.update(_consultation(facilitator, coordinator))
    summary["feedback"] = _feedback()
    summary["information_given"] = _information()
    return summary
