"""Explicit shapes of the notifications API: references and links, never names."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from safepath.notify.kinds import KINDS
from safepath.notify.models import Frequency, Notification


class NotificationSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.SerializerMethodField()
    urgent = serializers.BooleanField()
    reference = serializers.CharField()
    link = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_title(self, note: Notification) -> str:
        return str(KINDS[note.kind].title)


class PreferenceSerializer(serializers.Serializer[Any]):
    email_enabled = serializers.BooleanField()
    sms_enabled = serializers.BooleanField()
    phone = serializers.CharField(allow_blank=True, max_length=20)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    quiet_start = serializers.TimeField(allow_null=True)
    quiet_end = serializers.TimeField(allow_null=True)
    time_zone = serializers.CharField(max_length=64)


class FailedDeliverySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    recipient = serializers.UUIDField(source="recipient_id")
    recipient_username = serializers.CharField(source="recipient.username")
    channel = serializers.CharField()
    digest = serializers.BooleanField()
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    failed_at = serializers.DateTimeField()


class MarkedSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField()
