"""Shapes of the webhooks and API clients API (administrator): references, addresses, statuses;
a secret or a key appears once, in the answer that made it."""

from __future__ import annotations

import json
from typing import Any

from rest_framework import serializers

from safepath.notify.clients import PURPOSES
from safepath.notify.events import EVENTS, WEBHOOK_CATEGORIES, payload_data
from safepath.notify.models import ApiClient, WebhookDelivery, WebhookSubscription


class SubscriptionInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    url = serializers.CharField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=sorted(EVENTS)))
    data_categories = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list
    )
    agencies = serializers.ListField(child=serializers.UUIDField())


class SubscriptionSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    data_categories = serializers.ListField(child=serializers.CharField())
    agencies = serializers.SerializerMethodField()
    status = serializers.CharField()
    consecutive_failures = serializers.IntegerField()
    paused_at = serializers.DateTimeField(allow_null=True)
    pause_reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_agencies(self, subscription: WebhookSubscription) -> list[str]:
        return sorted(str(a.id) for a in subscription.agencies.all())


class SubscriptionSecretSerializer(SubscriptionSerializer):
    secret = serializers.CharField(help_text="whsec_...: shown once; verify signatures with it")


class DeliverySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    message_id = serializers.CharField(help_text="the webhook-id header (a replay keeps it)")
    event_type = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField()
    response_status = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField()
    replay_of = serializers.UUIDField(source="replay_of_id", allow_null=True)
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    failed_at = serializers.DateTimeField(allow_null=True)
    payload = serializers.SerializerMethodField()

    def get_payload(self, delivery: WebhookDelivery) -> dict[str, Any]:
        """The body as sent, its data cut to the frame (references, statuses, agencies, dates):
        the administrator reads no case content, even what the subscriber's categories let go."""
        payload: dict[str, Any] = json.loads(delivery.body)
        payload["data"] = payload_data(delivery.event_type, payload.get("data", {}), frozenset())
        return payload


class EventTypeSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    title = serializers.CharField()
    keys = serializers.DictField(child=serializers.CharField(), help_text="key -> category")
    schema = serializers.CharField(help_text="the component in this schema: WebhookEvent...")


class ClientInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    agencies = serializers.ListField(child=serializers.UUIDField())
    purposes = serializers.ListField(child=serializers.ChoiceField(choices=sorted(PURPOSES)))


class ClientSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    agencies = serializers.SerializerMethodField()
    purposes = serializers.ListField(child=serializers.CharField())
    key_prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    rotated_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)

    def get_agencies(self, client: ApiClient) -> list[str]:
        return sorted(str(a.id) for a in client.agencies.all())


class ClientKeySerializer(ClientSerializer):
    key = serializers.CharField(help_text="spk_...: shown once; send as 'Authorization: Bearer'")


class IntegrationWhoamiSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    agencies = serializers.ListField(child=serializers.UUIDField())
    purposes = serializers.ListField(child=serializers.CharField())


class IntegrationReferralSerializer(serializers.Serializer[Any]):
    referral_id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    reference = serializers.CharField()
    referring_agency = serializers.UUIDField()
    receiving_agency = serializers.UUIDField()
    service_type = serializers.CharField()
    urgency = serializers.CharField()
    status = serializers.CharField()
    due_at = serializers.DateTimeField()
    decline_code = serializers.CharField()


class IntegrationCaseSerializer(serializers.Serializer[Any]):
    case_id = serializers.UUIDField()
    reference = serializers.CharField()
    owner_agency = serializers.UUIDField()
    status = serializers.CharField()
    status_changed_at = serializers.DateTimeField()


ALLOWED_CATEGORIES = sorted(WEBHOOK_CATEGORIES)
