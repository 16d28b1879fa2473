"""Explicit input and output shapes of the exchange API.

Which data category each output field belongs to (default-deny sharing, see
``cases/scopes.py``): the partner and message serializers carry no child data at all (ids,
kinds, times, hashes, registrations); a transfer's ``package`` is the case read already cut to
the transfer's categories by ``packages.case_package``, and every key in it is a key of
``scopes.KEY_CATEGORY`` (``tests/test_serializer_categories.py`` checks both)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from safepath.cases.vocabulary import DataCategory
from safepath.exchange.vocabulary import Purpose


class AgencyCodeSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()


class PartnerSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    instance_id = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()
    url = serializers.CharField()
    purposes = serializers.ListField(child=serializers.CharField())
    data_categories = serializers.ListField(child=serializers.CharField())
    agencies = serializers.SerializerMethodField()
    public_keys = serializers.JSONField()
    fingerprint = serializers.SerializerMethodField()
    is_active = serializers.BooleanField()
    registered_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_agencies(self, partner: Any) -> list[dict[str, Any]]:
        return list(AgencyCodeSerializer(partner.agencies.all(), many=True).data)

    def get_fingerprint(self, partner: Any) -> str:
        from safepath.exchange.envelope import fingerprint

        return fingerprint(partner.public_keys)


class PartnerInputSerializer(serializers.Serializer[Any]):
    instance_id = serializers.CharField(max_length=64)
    public_keys = serializers.JSONField()
    name = serializers.CharField(max_length=200, required=False, default="")
    country = serializers.CharField(max_length=2)
    url = serializers.CharField(required=False, allow_blank=True, default="")
    purposes = serializers.ListField(child=serializers.ChoiceField(choices=Purpose.choices))
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices)
    )
    agencies = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="agency codes"
    )


class PartnerUpdateInputSerializer(serializers.Serializer[Any]):
    public_keys = serializers.JSONField(required=False)
    name = serializers.CharField(max_length=200, required=False)
    url = serializers.CharField(required=False, allow_blank=True)
    purposes = serializers.ListField(
        child=serializers.ChoiceField(choices=Purpose.choices), required=False
    )
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices), required=False
    )
    agencies = serializers.ListField(child=serializers.CharField(), required=False)
    is_active = serializers.BooleanField(required=False)


class IdentitySerializer(serializers.Serializer[Any]):
    instance = serializers.CharField()
    jwks = serializers.JSONField()
    fingerprint = serializers.CharField()


class MessageSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    partner = serializers.CharField(source="partner.instance_id")
    direction = serializers.CharField()
    kind = serializers.CharField()
    purpose = serializers.CharField()
    sequence = serializers.IntegerField()
    digest = serializers.CharField()
    status = serializers.CharField()
    size = serializers.IntegerField()
    in_reply_to = serializers.UUIDField(allow_null=True)
    sent_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    applied_at = serializers.DateTimeField(allow_null=True)


class InboxAnswerSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    message = serializers.UUIDField()
    digest = serializers.CharField()


class OutboxSerializer(serializers.Serializer[Any]):
    messages = serializers.ListField(child=serializers.CharField())


class TransferInputSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField()
    partner = serializers.UUIDField()
    recipient_agency = serializers.CharField(help_text="the receiving agency's code")


class TransferSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    case = serializers.UUIDField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    partner = serializers.CharField(source="partner.instance_id")
    recipient_agency = serializers.CharField(source="recipient_agency.code")
    categories = serializers.ListField(child=serializers.CharField())
    package_digest = serializers.CharField()
    status = serializers.CharField()
    prepared_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField(allow_null=True)
    remote_reference = serializers.CharField()
    message = serializers.UUIDField(source="message_id", allow_null=True)


class TransferDetailSerializer(TransferSerializer):
    package = serializers.JSONField()


class IncomingSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    partner = serializers.CharField(source="partner.instance_id")
    status = serializers.CharField()
    digest = serializers.CharField()
    sent_at = serializers.DateTimeField()
    case = serializers.UUIDField(source="case_id", allow_null=True)
    remote_reference = serializers.SerializerMethodField()

    def get_remote_reference(self, message: Any) -> str:
        return str(((message.body or {}).get("package") or {}).get("reference", ""))


class IncomingDetailSerializer(IncomingSerializer):
    package = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()

    def get_package(self, message: Any) -> dict[str, Any]:
        return dict((message.body or {}).get("package") or {})

    def get_categories(self, message: Any) -> list[str]:
        return list((message.body or {}).get("categories") or [])


class AcceptedSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(source="id")
    reference = serializers.CharField()
