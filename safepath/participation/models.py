"""The participation app's data: consultations and their anonymous answers, feedback and
complaints about services, safeguarding leads, and the information given to a child.

Two rules shape it. A consultation's participant has **no name, no case and no exact time**:
an age band, a language, a day, and answers stored encrypted; nothing here points at a child or
a case, so no query can join them. Feedback is found by its tracking code's keyed hash only; the
code itself is never stored and never travels in a URL.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency
from safepath.cases.models import Case
from safepath.core.fields import EncryptedJSONField, EncryptedTextField
from safepath.evidence.models import Release
from safepath.referrals.models import Service


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ParticipationChannel(models.TextChoices):
    SESSION = "session", _("Facilitated session on a shared device")
    LINK = "link", _("By a link")
    PAPER = "paper", _("Entered by the facilitator (paper or offline)")


class Consultation(models.Model):
    """One run of a consultation file's version by an agency, open to children until closed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    instrument_id = models.CharField(_("consultation file"), max_length=60)
    instrument_version = models.CharField(_("version"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN
    )
    # The link's secret is shown once when made; only its SHA-256 is kept.
    link_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ConsultationStatus.OPEN and (
            self.closes_on is None or timezone.localdate() <= self.closes_on
        )


class ConsultationSession(models.Model):
    """A facilitated session: one device, signed out, handed from child to child."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sessions"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"session {self.id}"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None and timezone.now() < self.expires_at


class ParticipantStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Answering")
    COMPLETED = "completed", _("Finished")
    STOPPED = "stopped", _("Stopped early, answers kept")
    WITHDRAWN = "withdrawn", _("Withdrew, answers erased")


class CaregiverConsent(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required at this age")
    FACILITATOR_CONFIRMED = "facilitator_confirmed", _("Confirmed by the facilitator")
    CAREGIVER_ON_DEVICE = "caregiver_on_device", _("Given by the parent or carer on the device")


class Participant(models.Model):
    """One child's taking part. No name, no case, no time of day: only what the results need."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    session = models.ForeignKey(
        ConsultationSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
    )
    channel = models.CharField(max_length=10, choices=ParticipationChannel.choices)
    age_band = models.CharField(max_length=10)
    language = models.CharField(max_length=8)
    caregiver_consent = models.CharField(max_length=24, choices=CaregiverConsent.choices)
    status = models.CharField(
        max_length=12, choices=ParticipantStatus.choices, default=ParticipantStatus.IN_PROGRESS
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self) -> str:
        return f"participant {self.id}"


class ReviewStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not a written answer")
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved after removing identifying details")
    EXCLUDED = "excluded", _("Left out")


class Answer(models.Model):
    """One answer (or a skip). The value is encrypted; a written answer's original text is
    erased once the reviewer has approved a version without identifying details, or left it out."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=40)
    skipped = models.BooleanField(default=False)
    value = EncryptedJSONField(null=True, blank=True)
    review_status = models.CharField(
        max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.NOT_NEEDED
    )
    reviewed_text = EncryptedTextField(blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "question_id"], name="one_answer_per_question"
            )
        ]
        indexes = [models.Index(fields=["review_status"])]

    def __str__(self) -> str:
        return f"answer {self.id}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    NOT_POSSIBLE = "not_possible", _("Not possible, and why")


class ActionTaken(models.Model):
    """'You said, we did': what children said, beside what changed because of it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="actions")
    you_said = models.TextField(_("You said"), max_length=1000)
    we_did = models.TextField(_("We did"), max_length=1000)
    status = models.CharField(max_length=14, choices=ActionStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"action {self.id}"


class ConsultationSummary(models.Model):
    """A summary prepared for publication: it is an evidence release, reviewed like statistics."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="summaries"
    )
    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"summary {self.id}"


class FeedbackKind(models.TextChoices):
    COMPLIMENT = "compliment", _("Something good")
    SUGGESTION = "suggestion", _("An idea to make it better")
    COMPLAINT = "complaint", _("A complaint about the service")
    SAFEGUARDING = "safeguarding", _("A worker behaved in a way that is not OK")


class FeedbackFrom(models.TextChoices):
    CHILD = "child", _("A child or young person")
    CAREGIVER = "caregiver", _("A parent or carer")


class FeedbackChannel(models.TextChoices):
    PHONE = "phone", _("On a phone or computer, by the child or carer")
    CASEWORKER = "caseworker", _("Through a caseworker")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Being looked at")
    RESPONDED = "responded", _("Answered")
    CLOSED = "closed", _("Closed")


class Feedback(models.Model):
    """Feedback or a complaint about a service. Found by its tracking code's blind index only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code_index = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=14, choices=FeedbackKind.choices)
    submitted_by = models.CharField(max_length=10, choices=FeedbackFrom.choices)
    channel = models.CharField(max_length=12, choices=FeedbackChannel.choices)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    message = EncryptedTextField()
    about_worker = EncryptedTextField(blank=True, default="")
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )  # the worker complained about, when known: never a handler of this feedback
    concerns_lead = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=True)
    contact = EncryptedJSONField(null=True, blank=True)
    language = models.CharField(max_length=8)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A handler who stood aside (a conflict of interest, or it is about them): never sees it again.
    recused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=14, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED
    )
    received_at = models.DateTimeField(default=timezone.now)
    acknowledge_by = models.DateTimeField()
    respond_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the national coordination was told (as a count, never the content) that it is late.
    coordination_alerted_at = models.DateTimeField(null=True, blank=True)
    reply = EncryptedTextField(blank=True, default="")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["service", "kind"]),
            models.Index(fields=["status", "respond_by"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handler__isnull=True)
                | Q(subject_user__isnull=True)
                | ~Q(handler=models.F("subject_user")),
                name="feedback_never_handled_by_its_subject",
            )
        ]

    def __str__(self) -> str:
        return f"feedback {self.id}"

    @property
    def is_safeguarding(self) -> bool:
        return self.kind == FeedbackKind.SAFEGUARDING

    @property
    def is_open(self) -> bool:
        return self.status != FeedbackStatus.CLOSED


class EscalationStep(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Not acknowledged in time")
    RESPONSE = "response", _("Not answered in time")


class FeedbackEscalation(models.Model):
    """Overdue feedback brought to someone who can act on it (who then may see it)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="escalations")
    step = models.CharField(max_length=16, choices=EscalationStep.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "step", "recipient"], name="one_feedback_escalation_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"escalation {self.id}"


class CodeLookupFailure(models.Model):
    """An unknown tracking code asked about, by a keyed hash of the address (never the address)."""

    id = models.BigAutoField(primary_key=True)
    address_index = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["address_index", "at"])]

    def __str__(self) -> str:
        return f"failure {self.id}"


class SafeguardingLead(models.Model):
    """Who receives safeguarding complaints about an agency's workers: a named lead, and a
    deputy for when the lead is away or is the one complained about."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(deputy__isnull=True) | ~Q(deputy=models.F("lead")),
                name="safeguarding_deputy_is_not_the_lead",
            )
        ]

    def __str__(self) -> str:
        return f"safeguarding lead of {self.agency_id}"


class InformationFormat(models.TextChoices):
    PRINTED = "printed", _("Printed and given")
    PHONE = "phone", _("Shown or sent on a phone")
    READ_TOGETHER = "read_together", _("Read together")


class InformationGiven(models.Model):
    """Which child-friendly explanation a caseworker gave the child, how and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=40)
    topic_version = models.CharField(max_length=30)
    level = models.CharField(max_length=10)
    language = models.CharField(max_length=8)
    format = models.CharField(max_length=14, choices=InformationFormat.choices)
    given_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-created_at"]
        indexes = [models.Index(fields=["case", "-given_on"])]

    def __str__(self) -> str:
        return f"information {self.id}"
