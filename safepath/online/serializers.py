"""Explicit input and output shapes of the online API (no ModelSerializer)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from safepath.online.engine.matching import TRIAGE_NOTICE
from safepath.online.models import (
    AgeGroup,
    Classification,
    ContentType,
    MatchScope,
    RecipientType,
    ReportKind,
)

# --- intake --------------------------------------------------------------------------------


class OnlineReportInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    url = serializers.CharField(required=False, allow_blank=True, default="", max_length=2048)
    platform = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000
    )
    live_abuse = serializers.BooleanField(required=False, default=False)
    child_in_danger = serializers.BooleanField(required=False, default=False)
    sextortion = serializers.BooleanField(required=False, default=False)
    identified_child = serializers.BooleanField(required=False, default=False)


class OnlineReportCreatedSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    reference = serializers.CharField(help_text="Shown once; ask for the status with it")
    status = serializers.CharField()
    received_at = serializers.DateTimeField()


class OnlineStatusInputSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(max_length=40)


class OnlineStatusSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    received_at = serializers.DateTimeField()


# --- the queue and a report ----------------------------------------------------------------


class OnlineReportListItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    platform = serializers.CharField()
    status = serializers.CharField()
    urgency = serializers.IntegerField()
    live_abuse = serializers.BooleanField()
    child_in_danger = serializers.BooleanField()
    sextortion = serializers.BooleanField()
    hash_matched = serializers.BooleanField()
    channel = serializers.CharField()
    received_at = serializers.DateTimeField()


class OnlineAssessmentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    classification = serializers.CharField()
    content_type = serializers.CharField()
    age_group = serializers.CharField()
    hosting_country = serializers.CharField()
    hosting_ip = serializers.CharField(allow_null=True)
    hosting_provider = serializers.CharField()
    registrar = serializers.CharField()
    hosting_source = serializers.CharField()
    from_known_hash = serializers.BooleanField()
    assessed_by = serializers.CharField(source="assessed_by.username")
    assessed_at = serializers.DateTimeField()


class OnlineMatchSerializer(serializers.Serializer[Any]):
    bank = serializers.SerializerMethodField()
    kind = serializers.CharField()
    distance = serializers.IntegerField()
    variant = serializers.CharField()

    def get_bank(self, match: Any) -> str:
        return str(match.bank.name)


class OnlineMediaSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    pdq = serializers.CharField()
    quality = serializers.IntegerField()
    md5 = serializers.CharField()
    sha1 = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    known_classification = serializers.CharField()
    matches = OnlineMatchSerializer(many=True)
    notice = serializers.SerializerMethodField()

    def get_notice(self, _media: Any) -> str:
        return TRIAGE_NOTICE


class OnlineNoticeSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    recipient_type = serializers.CharField()
    recipient_name = serializers.CharField()
    recipient_country = serializers.CharField()
    status = serializers.CharField()
    sent_at = serializers.DateTimeField()
    removed_at = serializers.DateTimeField(allow_null=True)
    reappeared_at = serializers.DateTimeField(allow_null=True)
    escalation_level = serializers.IntegerField()
    next_escalation_at = serializers.DateTimeField(allow_null=True)
    body = serializers.CharField()


class OnlineEventSerializer(serializers.Serializer[Any]):
    step = serializers.CharField()
    at = serializers.DateTimeField()
    notice = serializers.UUIDField(source="notice_id", allow_null=True)


class OnlineExportSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    sha256 = serializers.CharField()
    valid = serializers.BooleanField()
    validation_errors = serializers.ListField(child=serializers.CharField())
    generated_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField()

    def get_download(self, export: Any) -> str:
        return reverse("api-online-export-download", args=[export.id])


class OnlineReferralSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    agency_name = serializers.CharField()
    referred_at = serializers.DateTimeField()


class OnlineCaseLinkSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    report = serializers.UUIDField(source="report_id")
    agency = serializers.CharField(source="agency.name")
    status = serializers.CharField()
    requested_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    in_force = serializers.SerializerMethodField()

    def get_in_force(self, link: Any) -> bool:
        from safepath.online.services import case_link_in_force

        return case_link_in_force(link)


class OnlineReportDetailSerializer(OnlineReportListItemSerializer):
    url = serializers.CharField()
    description = serializers.CharField()
    identified_child = serializers.BooleanField()
    assessed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    assessments = OnlineAssessmentSerializer(many=True)
    media = OnlineMediaSerializer(many=True)
    notices = OnlineNoticeSerializer(many=True)
    events = OnlineEventSerializer(many=True)
    referrals = OnlineReferralSerializer(many=True)
    exports = OnlineExportSerializer(many=True)
    case_links = OnlineCaseLinkSerializer(many=True)


class OnlineAssessmentInputSerializer(serializers.Serializer[Any]):
    classification = serializers.ChoiceField(choices=Classification.choices)
    content_type = serializers.ChoiceField(choices=ContentType.choices)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    hosting_country = serializers.CharField(required=False, allow_blank=True, default="")
    hosting_ip = serializers.CharField(required=False, allow_blank=True, default="")
    hosting_provider = serializers.CharField(required=False, allow_blank=True, default="")
    registrar = serializers.CharField(required=False, allow_blank=True, default="")
    hosting_lookup = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A WHOIS or RDAP answer; fills the hosting fields left empty",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    from_known_hash = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(min_value=1)


class OnlineFilesInputSerializer(serializers.Serializer[Any]):
    files = serializers.ListField(child=serializers.FileField(), min_length=1)


class OnlineMatchInputSerializer(OnlineFilesInputSerializer):
    banks = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class OnlineNoticeInputSerializer(serializers.Serializer[Any]):
    recipient_type = serializers.ChoiceField(choices=RecipientType.choices)
    recipient_name = serializers.CharField(max_length=200)
    recipient_country = serializers.CharField(required=False, allow_blank=True, default="")


class OnlineReferralInputSerializer(serializers.Serializer[Any]):
    agency_name = serializers.CharField(required=False, allow_blank=True, default="")
    police_agency = serializers.UUIDField(required=False, allow_null=True, default=None)
    case_number = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=4000)


class OnlineCaseLinkInputSerializer(serializers.Serializer[Any]):
    agency = serializers.UUIDField()
    note = serializers.CharField(max_length=4000)


class OnlineCaseLinkAnswerSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(required=False, allow_null=True, default=None)
    consent = serializers.UUIDField(required=False, allow_null=True, default=None)
    decline_reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- hashing, matching, banks --------------------------------------------------------------


class OnlineHashResultSerializer(serializers.Serializer[Any]):
    file = serializers.CharField()
    pdq = serializers.CharField()
    quality = serializers.IntegerField()
    md5 = serializers.CharField()
    sha1 = serializers.CharField()


class OnlineFileMatchSerializer(serializers.Serializer[Any]):
    file = serializers.CharField()
    pdq = serializers.CharField()
    quality = serializers.IntegerField()
    low_quality = serializers.BooleanField()
    matches = serializers.ListField(child=serializers.DictField())
    notice = serializers.CharField()


class OnlineBankSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    licence = serializers.CharField()
    owner = serializers.CharField(source="owner.name")
    match_scope = serializers.CharField()
    pdq_threshold = serializers.IntegerField()
    quality_min = serializers.IntegerField()
    signal_count = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class OnlineBankImportInputSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    format = serializers.ChoiceField(
        choices=["", "signals", "te_csv", "md5_list", "csv"], required=False, default=""
    )
    name = serializers.CharField(max_length=60)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, allow_blank=True, default="", max_length=300
    )
    licence = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    match_scope = serializers.ChoiceField(
        choices=MatchScope.choices, required=False, default=MatchScope.OWNER
    )
    allowed_agencies = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Agency codes, comma-separated, for match_scope 'listed'",
    )
    pdq_threshold = serializers.IntegerField(required=False, default=31)
    quality_min = serializers.IntegerField(required=False, default=50)


class OnlineBankImportSerializer(serializers.Serializer[Any]):
    bank = serializers.CharField(source="bank.name")
    file_sha256 = serializers.CharField()
    file_format = serializers.CharField()
    added = serializers.IntegerField()
    already_present = serializers.IntegerField()
    imported_at = serializers.DateTimeField()


# --- adverts and the dashboard -------------------------------------------------------------


class OnlineAdvertInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=20_000)
    kind = serializers.ChoiceField(choices=["advert", "chat"], default="advert")
    city = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    source_ref = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class OnlineAdvertsInputSerializer(serializers.Serializer[Any]):
    adverts = OnlineAdvertInputSerializer(many=True)


class OnlineAdvertSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    city = serializers.CharField()
    source_ref = serializers.CharField()
    score = serializers.IntegerField()
    phones = serializers.ListField(child=serializers.CharField())
    emails = serializers.ListField(child=serializers.CharField())
    analysis = serializers.DictField()
    created_at = serializers.DateTimeField()


class OnlineRemovalSummarySerializer(serializers.Serializer[Any]):
    group = serializers.CharField()
    notices = serializers.IntegerField()
    removed = serializers.IntegerField()
    p50_hours = serializers.FloatField(allow_null=True)
    p90_hours = serializers.FloatField(allow_null=True)
    max_hours = serializers.FloatField(allow_null=True)
    within_72h = serializers.FloatField(allow_null=True)


class OnlineRemovalDashboardSerializer(serializers.Serializer[Any]):
    country = OnlineRemovalSummarySerializer(many=True)
    provider = OnlineRemovalSummarySerializer(many=True)
