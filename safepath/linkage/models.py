"""The linkage app's data: persons, candidate pairs and their review, tracing, formal requests.

A *person* is SafePath's persistent id for one human being. Each child record (``cases.Child``)
belongs to exactly one person; two records become one person only when a reviewer confirms a
candidate pair, and every merge and split is kept as a ``PersonChange`` with the membership
before and after, so that any change can be reverted.

No model here holds a name in clear: tracing requests encrypt the sought child's and the
requester's identifying fields, and a pair's explanation holds field names and weights only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency
from safepath.cases.models import Case, Child
from safepath.cases.vocabulary import Sex
from safepath.core.fields import EncryptedJSONField, EncryptedTextField


class Person(models.Model):
    """A persistent id; retired (``merged_into`` set) when a merge folds it into another."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="absorbed"
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"person {self.id}"


class PersonMember(models.Model):
    """Child record ``child`` is person ``person`` (one person per child record)."""

    child = models.OneToOneField(
        Child, on_delete=models.PROTECT, related_name="linkage_member", primary_key=True
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="members")
    since = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"member {self.child_id} of {self.person_id}"


class ChangeKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    REVERT = "revert", _("Revert")


class PersonChange(models.Model):
    """One merge, split or revert: who, when, why, and the memberships before and after.

    ``before`` and ``after`` map each person id touched to the sorted ids of its child records;
    reverting a change restores ``before`` when the data still equals ``after``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="changes")
    other_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    pair = models.ForeignKey(
        "CandidatePair", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reverts = models.OneToOneField(
        "self", on_delete=models.PROTECT, related_name="reverted_by", null=True, blank=True
    )
    reason = EncryptedTextField(_("reason"))
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


class RunScope(models.TextChoices):
    AGENCY = "agency", _("The cases one agency may see")
    NATIONAL = "national", _("Every case in this SafePath instance")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class MatchRun(models.Model):
    """One deduplication run: which records (scope), at which threshold, what it found."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scope = models.CharField(max_length=10, choices=RunScope.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    threshold = models.FloatField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    record_count = models.PositiveIntegerField(default=0)
    pair_count = models.PositiveIntegerField(default=0)
    failure = models.CharField(max_length=200, blank=True)  # an error class, never data
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"run {self.id}"


class PairStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    CONFIRMED = "confirmed", _("Confirmed: the same child")
    REJECTED = "rejected", _("Rejected: different children")


class CandidatePair(models.Model):
    """Two cases whose children may be the same child, with the engine's evidence.

    ``case_1`` sorts before ``case_2`` by id, so one pair of cases has one row pending.
    ``evidence`` is a list of ``{"field", "level", "bayes_factor", "log2_bayes_factor"}``:
    field names and weights, never the compared values.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(MatchRun, on_delete=models.PROTECT, related_name="pairs")
    case_1 = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    case_2 = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    match_probability = models.FloatField()
    evidence = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=PairStatus.choices, default=PairStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = EncryptedTextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_1", "case_2"],
                condition=Q(status="pending"),
                name="one_pending_pair_per_two_cases",
            ),
            models.CheckConstraint(condition=~Q(case_1=models.F("case_2")), name="pair_of_two"),
        ]
        indexes = [models.Index(fields=["status", "-match_probability"])]

    def __str__(self) -> str:
        return f"pair {self.id}"


class RequestKind(models.TextChoices):
    CROSS_AGENCY = "cross_agency", _("A possible duplicate held by another agency")
    CROSS_BORDER = "cross_border", _("A match of encodings with a counterpart country")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open: waiting for the holder")
    ACCEPTED = "accepted", _("Accepted: sharing follows through consent")
    DECLINED = "declined", _("Declined")


class MatchRequest(models.Model):
    """A formal request that a match starts; it discloses nothing by itself.

    Cross-agency: the requesting agency asks the holding agency to share its case under the
    child's consent (``cases`` records consent and share). Cross-border: the pair of opaque
    record ids and the Dice score from a privacy-preserving match, to be taken up through the
    case-transfer process.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=15, choices=RequestKind.choices)
    pair = models.ForeignKey(
        CandidatePair, on_delete=models.PROTECT, related_name="requests", null=True, blank=True
    )
    requesting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    holding_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    counterpart = models.CharField(_("counterpart"), max_length=100, blank=True)
    local_record_id = models.CharField(max_length=64, blank=True)
    remote_record_id = models.CharField(max_length=64, blank=True)
    score = models.FloatField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "requesting_agency"],
                condition=Q(status="open"),
                name="one_open_request_per_pair_and_agency",
            )
        ]

    def __str__(self) -> str:
        return f"match request {self.id}"


class EncodingExport(models.Model):
    """One export of encodings: counts only. ``ExportedRecord`` maps its opaque ids back."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    schema_id = models.CharField(max_length=100)
    record_count = models.PositiveIntegerField()
    excluded_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"encoding export {self.id}"


class ExportedRecord(models.Model):
    """A random id sent in one export (unlinkable across exports), and the case it stands for."""

    record_id = models.CharField(max_length=32, primary_key=True)
    export = models.ForeignKey(EncodingExport, on_delete=models.CASCADE, related_name="records")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.record_id


class TracingStatus(models.TextChoices):
    OPEN = "open", _("Open: searching")
    POSSIBLE_MATCH = "possible_match", _("Possible match found")
    VERIFYING = "verifying", _("Verification under way")
    VERIFIED = "verified", _("Verified: reunification assessed through best interests")
    REUNIFIED = "reunified", _("Reunified: follow-up visits under way")
    RESOLVED = "resolved", _("Closed after reunification and follow-up")
    CLOSED = "closed", _("Closed without a match")


class TracingRequest(models.Model):
    """A parent or relative looking for a child. Identifying fields are encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The child sought
    sought_given_name = EncryptedTextField(_("child's given name"))
    sought_family_name = EncryptedTextField(_("child's family name"), blank=True)
    sought_other_names = EncryptedJSONField(_("other names"), default=list, blank=True)
    sought_sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    sought_date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    sought_birth_year = models.PositiveSmallIntegerField(
        _("year of birth (estimate)"), null=True, blank=True
    )
    sought_place_of_birth = EncryptedTextField(_("place of birth"), blank=True)
    sought_nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    last_seen_place = EncryptedTextField(_("place last seen"), blank=True)
    mother_given_name = EncryptedTextField(_("mother's given name"), blank=True)
    father_given_name = EncryptedTextField(_("father's given name"), blank=True)
    # Who is looking
    requester_name = EncryptedTextField(_("requester's name"))
    requester_relation = models.CharField(_("relation to the child"), max_length=40)
    requester_contact = EncryptedTextField(_("requester's contact"), blank=True)
    status = models.CharField(
        max_length=15, choices=TracingStatus.choices, default=TracingStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"tracing request {self.id}"


class CandidateStatus(models.TextChoices):
    POSSIBLE = "possible", _("Possible match")
    VERIFYING = "verifying", _("Being verified")
    VERIFIED = "verified", _("Verified")
    RULED_OUT = "ruled_out", _("Ruled out")
    REUNIFICATION = "reunification", _("Referred for a best-interests reunification decision")
    REUNIFIED = "reunified", _("Reunified with the family")
    CLOSED = "closed", _("Closed after the follow-up visits")


class TracingCandidate(models.Model):
    """A child who may be the one sought: only a child whose tracing consent is in force."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="candidates")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    match_probability = models.FloatField()
    evidence = models.JSONField(default=list)
    status = models.CharField(
        max_length=15, choices=CandidateStatus.choices, default=CandidateStatus.POSSIBLE
    )
    note = EncryptedTextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    reunified_on = models.DateField(_("date reunified"), null=True, blank=True)
    reunification_place = EncryptedTextField(_("where the child was reunified"), blank=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "case"], name="one_candidate_per_case")
        ]

    def __str__(self) -> str:
        return f"tracing candidate {self.id}"


# --- the handbook's steps after a match: verify, reunify, follow up ------------------------------
class VerificationParty(models.TextChoices):
    FAMILY = "family", _("The family (the person looking for the child)")
    CHILD = "child", _("The child")


class VerificationMethod(models.TextChoices):
    INTERVIEW = "interview", _("Separate interview")
    DOCUMENTS = "documents", _("Documents")
    PHOTO = "photo", _("Photograph recognised")
    COMMUNITY = "community", _("Community or leaders")
    OTHER = "other", _("Other")


class TracingVerification(models.Model):
    """One side's confirmation: the family and the child are each asked, apart, whether they
    know the other as the relation claimed and whether they want to be reunited. Reunification
    waits for both, each confirming the relationship and consenting (UASC Field Handbook)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    candidate = models.ForeignKey(
        TracingCandidate, on_delete=models.CASCADE, related_name="verifications"
    )
    party = models.CharField(_("who confirms"), max_length=10, choices=VerificationParty.choices)
    relationship_confirmed = models.BooleanField(_("confirms the relationship"))
    consents = models.BooleanField(_("consents to reunification"))
    method = models.CharField(_("how"), max_length=15, choices=VerificationMethod.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["candidate", "recorded_at"]

    def __str__(self) -> str:
        return f"tracing verification {self.id}"


class FollowUpOutcome(models.TextChoices):
    SETTLED = "settled", _("The child is settled and safe")
    CONCERNS = "concerns", _("Concerns: more support needed")
    BREAKDOWN = "breakdown", _("The placement broke down")


class FollowUpVisit(models.Model):
    """A visit after reunification; closure waits for the number of visits the rules set."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    candidate = models.ForeignKey(
        TracingCandidate, on_delete=models.CASCADE, related_name="follow_ups"
    )
    visited_on = models.DateField(_("date of the visit"))
    outcome = models.CharField(_("outcome"), max_length=15, choices=FollowUpOutcome.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["candidate", "visited_on"]

    def __str__(self) -> str:
        return f"follow-up visit {self.id}"


class PublicTracingListing(models.Model):
    """A child on the public mass-tracing list: a reference and a region, never a name or a
    photograph. Shown only while the case's tracing consent is in force and not withdrawn."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    public_reference = models.CharField(max_length=12, unique=True)
    region = models.CharField(_("region"), max_length=100)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    listed_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region", "public_reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_open_listing_per_case",
            )
        ]

    def __str__(self) -> str:
        return self.public_reference
