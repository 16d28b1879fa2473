"""Hotline reports, their assessment, hashes of media (never the media), banks of known hashes,
notices and takedown timing, reports onward, and analysed adverts.

The first rule of this app: SafePath never stores, displays or transmits abusive imagery.
Uploaded files are hashed in memory and dropped (services.media_hash); a ``ReportMedia`` row
keeps PDQ, MD5, SHA-1 and the image's size, nothing else. Reported URLs, descriptions and
contacts are encrypted; a public reporter's reference is stored only as a keyed hash.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency
from safepath.core.fields import EncryptedJSONField, EncryptedTextField

REFERENCE_INDEX_PURPOSE = "online.reference"
URL_INDEX_PURPOSE = "online.url"
ADDRESS_INDEX_PURPOSE = "online.address"


class ReportKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    CHAT = "chat", _("Chat or messages")
    ADVERT = "advert", _("Advert")
    LIVE_STREAM = "live_stream", _("Live stream")
    OTHER = "other", _("Something else")


class ReportChannel(models.TextChoices):
    PUBLIC = "public", _("Public web form")
    API = "api", _("Partner API")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSESSED = "assessed", _("Assessed")
    NOTICE_SENT = "notice_sent", _("Notice sent")
    REMOVED = "removed", _("Removal confirmed")
    CLOSED = "closed", _("Closed")


class Classification(models.TextChoices):
    """ICCAM's three classes (INHOPE)."""

    BASELINE = "baseline", _("Baseline: illegal internationally (INTERPOL criteria)")
    NATIONAL = "nationally_illegal", _("Illegal under national law")
    NOT_ILLEGAL = "not_illegal", _("Not illegal")


ILLEGAL = frozenset({Classification.BASELINE, Classification.NATIONAL})


class ContentType(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    TEXT = "text", _("Text")
    LIVE = "live", _("Live stream")
    OTHER = "other", _("Other")


class AgeGroup(models.TextChoices):
    """ICCAM's apparent age groups."""

    INFANT = "infant_toddler", _("Infant or toddler")
    PREPUBESCENT = "prepubescent", _("Prepubescent")
    PUBESCENT = "pubescent", _("Pubescent")
    UNKNOWN = "unknown", _("Not determined")


class OnlineReport(models.Model):
    """One report of something seen online: from the public, or a partner through the API."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hotline = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    submitted_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=ReportChannel.choices)
    reference_index = models.CharField(max_length=32, unique=True, editable=False)
    kind = models.CharField(_("what was seen"), max_length=20, choices=ReportKind.choices)
    url = EncryptedTextField(_("address (URL)"), blank=True)
    url_index = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    platform = models.CharField(_("platform or service"), max_length=100, blank=True)
    description = EncryptedTextField(_("what you saw"), blank=True)
    live_abuse = models.BooleanField(_("abuse happening now (live)"), default=False)
    child_in_danger = models.BooleanField(_("a child in danger now"), default=False)
    sextortion = models.BooleanField(_("threats or blackmail (sextortion)"), default=False)
    identified_child = models.BooleanField(_("the reporter knows the child"), default=False)
    anonymous = models.BooleanField(default=True)
    contact = EncryptedTextField(_("contact"), blank=True)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    urgency = models.PositiveSmallIntegerField(default=0)
    hash_matched = models.BooleanField(default=False)
    received_at = models.DateTimeField(default=timezone.now)
    assessed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-urgency", "received_at"]
        indexes = [models.Index(fields=["hotline", "status", "-urgency", "received_at"])]

    def __str__(self) -> str:
        return f"online report {self.id}"  # never the URL: this string can reach logs


class Assessment(models.Model):
    """An analyst's classification (ICCAM fields) and the hosting look-up. Append-only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(OnlineReport, on_delete=models.PROTECT, related_name="assessments")
    classification = models.CharField(max_length=20, choices=Classification.choices)
    content_type = models.CharField(max_length=10, choices=ContentType.choices)
    age_group = models.CharField(max_length=20, choices=AgeGroup.choices)
    hosting_country = models.CharField(_("hosting country"), max_length=2, blank=True)
    hosting_ip = models.GenericIPAddressField(_("hosting IP address"), null=True, blank=True)
    hosting_provider = models.CharField(_("hosting provider"), max_length=200, blank=True)
    registrar = models.CharField(_("domain registrar"), max_length=200, blank=True)
    hosting_source = models.CharField(max_length=10, default="entered")  # entered | imported
    from_known_hash = models.BooleanField(default=False)
    note = EncryptedTextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "-assessed_at"]

    def __str__(self) -> str:
        return f"assessment {self.id}"


class ReportMedia(models.Model):
    """The hashes of one file an analyst or partner hashed for a report. No pixels, no bytes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(OnlineReport, on_delete=models.CASCADE, related_name="media")
    pdq = models.CharField(max_length=64)
    quality = models.PositiveSmallIntegerField()
    md5 = models.CharField(max_length=32, db_index=True)
    sha1 = models.CharField(max_length=40, db_index=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    known_classification = models.CharField(max_length=20, blank=True)  # from the registry
    hashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    hashed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "hashed_at"]

    def __str__(self) -> str:
        return f"media hashes {self.id}"


class MatchScope(models.TextChoices):
    OWNER = "owner", _("Only the owning agency")
    LISTED = "listed", _("The owning agency and the agencies listed")
    SECTOR = "sector", _("Every hotline and online platform")


class HashBank(models.Model):
    """A list of known hashes with its source, licence and who may match against it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(_("name"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source"), max_length=300)
    licence = models.CharField(_("licence or terms"), max_length=300)
    owner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    match_scope = models.CharField(
        _("who may match"), max_length=10, choices=MatchScope.choices, default=MatchScope.OWNER
    )
    allowed_agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    pdq_threshold = models.PositiveSmallIntegerField(_("PDQ distance threshold"), default=31)
    quality_min = models.PositiveSmallIntegerField(_("lowest PDQ quality"), default=50)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BankSignal(models.Model):
    id = models.BigAutoField(primary_key=True)
    bank = models.ForeignKey(HashBank, on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField(max_length=5)  # pdq, md5, sha1
    value = models.CharField(max_length=64)
    label = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bank", "kind", "value"], name="online_signal_once")
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.kind} signal {self.id}"


class BankImport(models.Model):
    """One file imported into a bank: its SHA-256, format and what it added."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bank = models.ForeignKey(HashBank, on_delete=models.CASCADE, related_name="imports")
    file_sha256 = models.CharField(max_length=64)
    file_format = models.CharField(max_length=10)
    added = models.PositiveIntegerField(default=0)
    already_present = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"bank import {self.id}"


class MediaMatch(models.Model):
    """A media item's hash found in a bank (or in the hotline's own assessed items)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    media = models.ForeignKey(ReportMedia, on_delete=models.CASCADE, related_name="matches")
    bank = models.ForeignKey(HashBank, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=5)
    distance = models.PositiveSmallIntegerField()
    variant = models.CharField(max_length=20, blank=True)
    signal = models.CharField(max_length=64)

    class Meta:
        ordering = ["media", "distance"]

    def __str__(self) -> str:
        return f"match {self.id}"


class AssessedHash(models.Model):
    """A hash a hotline already assessed: the same item is recognised, never reassessed."""

    id = models.BigAutoField(primary_key=True)
    hotline = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=5)
    value = models.CharField(max_length=64)
    classification = models.CharField(max_length=20, choices=Classification.choices)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["hotline", "kind", "value"])]

    def __str__(self) -> str:
        return f"assessed {self.kind} {self.id}"


class RecipientType(models.TextChoices):
    PROVIDER = "hosting_provider", _("Hosting provider")
    HOTLINE = "hotline", _("Hotline in the hosting country")
    PLATFORM = "platform", _("Platform")


class NoticeStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting removal")
    REMOVED = "removed", _("Removal confirmed")
    REAPPEARED = "reappeared", _("Re-appeared")


class Notice(models.Model):
    """A takedown notice, generated from the assessment; every step is timestamped."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(OnlineReport, on_delete=models.PROTECT, related_name="notices")
    recipient_type = models.CharField(max_length=20, choices=RecipientType.choices)
    recipient_name = models.CharField(_("recipient"), max_length=200)
    recipient_country = models.CharField(max_length=2, blank=True)
    hosting_provider = models.CharField(max_length=200, blank=True)
    body = EncryptedTextField()
    status = models.CharField(max_length=12, choices=NoticeStatus.choices, default="sent")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)
    reappeared_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["report", "sent_at"]

    def __str__(self) -> str:
        return f"notice {self.id}"


class NoticeEscalation(models.Model):
    """A notice not removed in time, brought to a person: level 1 at 24 h, level 2 at 72 h."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "level", "recipient"], name="online_escalation_once"
            )
        ]

    def __str__(self) -> str:
        return f"notice escalation {self.id}"


class Step(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSESSED = "assessed", _("Assessed")
    NOTICE_SENT = "notice_sent", _("Notice sent")
    ESCALATED = "escalated", _("Escalated")
    REMOVAL_CONFIRMED = "removal_confirmed", _("Removal confirmed")
    REAPPEARED = "reappeared", _("Re-appeared")
    REFERRED = "referred_to_law_enforcement", _("Referred to law enforcement")
    EXPORTED = "exported", _("Exported")
    CLOSED = "closed", _("Closed")


class TakedownEvent(models.Model):
    """The report's timeline: one row per step, with its time."""

    id = models.BigAutoField(primary_key=True)
    report = models.ForeignKey(OnlineReport, on_delete=models.CASCADE, related_name="events")
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    step = models.CharField(max_length=30, choices=Step.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.step} {self.id}"


class LawEnforcementReferral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(OnlineReport, on_delete=models.PROTECT, related_name="referrals")
    police_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency_name = models.CharField(_("law-enforcement agency"), max_length=200)
    case_number = EncryptedTextField(_("their case number"), blank=True)
    reason = EncryptedTextField(_("why"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"law-enforcement referral {self.id}"


class CyberTipExport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(OnlineReport, on_delete=models.PROTECT, related_name="exports")
    content = EncryptedTextField()
    sha256 = models.CharField(max_length=64)
    valid = models.BooleanField(default=False)
    validation_errors = models.JSONField(default=list, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-generated_at"]

    def __str__(self) -> str:
        return f"cybertip export {self.id}"


class CaseLinkStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the child-protection agency")
    LINKED = "linked", _("Linked to a case under consent")
    DECLINED = "declined", _("Declined")


class CaseLink(models.Model):
    """A report about an identified child, handed to a child-protection agency, and linked by
    that agency to its case under a consent naming the hotline (the referral consent rule)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(OnlineReport, on_delete=models.PROTECT, related_name="case_links")
    hotline = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(_("what the agency needs to know"))
    status = models.CharField(
        max_length=10, choices=CaseLinkStatus.choices, default=CaseLinkStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent = models.ForeignKey(
        "cases.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"case link {self.id}"


class Advert(models.Model):
    """An advert or chat excerpt an analyst pasted or imported, with its red flags."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(
        OnlineReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="adverts"
    )
    kind = models.CharField(max_length=10, default="advert")  # advert | chat
    text = EncryptedTextField()
    city = models.CharField(_("city"), max_length=100, blank=True)
    source_ref = models.CharField(_("your reference"), max_length=100, blank=True)
    phones = EncryptedJSONField(default=list, blank=True)
    emails = EncryptedJSONField(default=list, blank=True)
    image_hashes = models.JSONField(default=list, blank=True)
    score = models.PositiveSmallIntegerField(default=0)
    analysis = models.JSONField(default=dict, blank=True)  # indicator ids, words, sources
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "-created_at"]

    def __str__(self) -> str:
        return f"advert {self.id}"


class IntakeAttempt(models.Model):
    """Public submissions and status look-ups per address (a keyed hash, never the address)."""

    id = models.BigAutoField(primary_key=True)
    address_index = models.CharField(max_length=32)
    action = models.CharField(max_length=10)  # report | status
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["address_index", "action", "at"])]

    def __str__(self) -> str:
        return f"intake attempt {self.id}"
