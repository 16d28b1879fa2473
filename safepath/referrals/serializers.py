"""Explicit input and output shapes of the referral and service-directory API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from safepath.referrals import catalogue
from safepath.referrals.models import (
    DeclineCode,
    GenderServed,
    Outcome,
    Referral,
    Service,
    Urgency,
)
from safepath.referrals.selectors import service_type_label

MAX_TEXT = 4000


class ServiceSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    service_type = serializers.CharField()
    service_type_label = serializers.SerializerMethodField()
    provider = serializers.CharField(source="provider.name")
    agency = serializers.UUIDField(source="provider.agency_id", allow_null=True)
    receives_referrals = serializers.SerializerMethodField()
    description = serializers.CharField()
    country = serializers.CharField()
    admin_area = serializers.CharField()
    city = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    age_min = serializers.IntegerField()
    age_max = serializers.IntegerField()
    gender_served = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)
    hours = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    operating_status = serializers.CharField()
    status_reported_at = serializers.DateTimeField(allow_null=True)
    status_note = serializers.CharField()
    moved_to = serializers.CharField()

    def get_service_type_label(self, service: Service) -> str:
        return service_type_label(service.service_type)

    def get_receives_referrals(self, service: Service) -> bool:
        return service.provider.agency_id is not None


class ServiceFilterSerializer(serializers.Serializer[Any]):
    service_type = serializers.CharField(required=False, allow_blank=True, max_length=60)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2)
    admin_area = serializers.CharField(required=False, allow_blank=True, max_length=100)
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    language = serializers.CharField(required=False, allow_blank=True, max_length=60)
    age = serializers.IntegerField(required=False, min_value=0, max_value=30)
    gender = serializers.ChoiceField(choices=GenderServed.choices, required=False)
    agency = serializers.UUIDField(required=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ChildViewsSerializer(serializers.Serializer[Any]):
    views = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    declined_to_express = serializers.BooleanField(required=False, default=False)
    informed_language = serializers.CharField(max_length=60)  # a name or an ISO 639 code
    interpreter_language = serializers.CharField(max_length=60, required=False, allow_blank=True)
    informed_in_understandable_manner = serializers.BooleanField()
    weight_given = serializers.CharField(max_length=MAX_TEXT)
    heard_on = serializers.DateField()


class ReferralCreateSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField()
    receiving_agency = serializers.UUIDField()
    service = serializers.UUIDField(required=False, allow_null=True)
    service_type = serializers.CharField(max_length=60, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    reason = serializers.CharField(max_length=MAX_TEXT)
    consent = serializers.UUIDField(required=False, allow_null=True)
    urgent_exception_reason = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True
    )
    child_views = ChildViewsSerializer()


class VersionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)


class DeclineSerializer(VersionSerializer):
    code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True, default=""
    )


class OutcomeSerializer(VersionSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    outcome_on = serializers.DateField()
    note = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class WithdrawSerializer(VersionSerializer):
    reason = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True, default=""
    )


class ConsentAttachSerializer(VersionSerializer):
    consent = serializers.UUIDField()


class ReferralListItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    referring_agency = serializers.CharField(source="referring_agency.name")
    receiving_agency = serializers.CharField(source="receiving_agency.name")
    service = serializers.CharField(source="service.name", allow_null=True, default=None)
    service_type = serializers.CharField()
    urgency = serializers.CharField()
    status = serializers.CharField()
    consent_pending = serializers.BooleanField()
    due_at = serializers.DateTimeField()
    overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def get_overdue(self, referral: Referral) -> bool:
        return referral.overdue_at is not None


class ReferralDetailSerializer(ReferralListItemSerializer):
    reason = serializers.CharField()
    urgent_exception_reason = serializers.CharField()
    consent = serializers.UUIDField(source="consent_id", allow_null=True)
    decline_code = serializers.CharField()
    decline_reason = serializers.CharField()
    withdraw_reason = serializers.CharField()
    outcome = serializers.CharField()
    outcome_on = serializers.DateField(allow_null=True)
    outcome_note = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    overdue_at = serializers.DateTimeField(allow_null=True)
    shared = serializers.SerializerMethodField()

    def get_shared(self, referral: Referral) -> bool:
        return referral.share_id is not None


class EscalationSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    referral = serializers.UUIDField(source="referral_id")
    case_reference = serializers.CharField(source="referral.case.reference")
    receiving_agency = serializers.CharField(source="referral.receiving_agency.name")
    level = serializers.IntegerField()
    due_at = serializers.DateTimeField(source="referral.due_at")
    created_at = serializers.DateTimeField()


class SuggestionSerializer(serializers.Serializer[Any]):
    service_type = serializers.CharField()
    type_label = serializers.SerializerMethodField()
    urgency = serializers.CharField()
    exploitation = serializers.CharField()
    region = serializers.CharField()
    services = serializers.SerializerMethodField()

    def get_services(self, item: catalogue.Recommendation) -> list[dict[str, str]]:
        offered: dict[str, list[Service]] = self.context.get("offered", {})
        return [
            {"id": str(s.id), "name": s.name, "provider": s.provider.name}
            for s in offered.get(item.service_type, [])
        ]

    def get_type_label(self, item: catalogue.Recommendation) -> str:
        return service_type_label(item.service_type)


DECLINE_CODES = DeclineCode.values
