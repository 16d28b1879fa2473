"""Explicit input and output shapes of the participation API (no ModelSerializer)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from safepath.participation import codes, consultations
from safepath.participation.models import (
    ActionStatus,
    Feedback,
    FeedbackFrom,
    FeedbackKind,
    InformationFormat,
)
from safepath.participation.results import TOTAL, Cell, Table

__all__ = ["TOTAL"]  # the total code, for the views that use these shapes

LANGUAGE_CHOICES = list(consultations.LANGUAGES)


class ConsultationFileSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    version = serializers.CharField()
    title = serializers.DictField(child=serializers.CharField())
    min_age = serializers.IntegerField()
    max_age = serializers.IntegerField()
    age_bands = serializers.ListField(child=serializers.CharField())
    questions = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment] # a field, not DRF's attribute


def consultation_file(found: consultations.Consultation) -> dict[str, Any]:
    return {
        "id": found.id,
        "version": found.version,
        "title": dict(found.title.values),
        "min_age": found.min_age,
        "max_age": found.max_age,
        "age_bands": [band.id for band in found.age_bands],
        "questions": len(found.questions),
        "source": found.source,
    }


class ConsultationCreateSerializer(serializers.Serializer[Any]):
    instrument = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    closes_on = serializers.DateField(required=False, allow_null=True, default=None)


class ConsultationSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    title = serializers.CharField()
    instrument = serializers.CharField(source="instrument_id")
    instrument_version = serializers.CharField()
    agency = serializers.UUIDField(source="agency_id")
    status = serializers.CharField()
    is_open = serializers.BooleanField()
    has_link = serializers.SerializerMethodField()
    closes_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    version = serializers.IntegerField()

    def get_has_link(self, consultation: Any) -> bool:
        return bool(consultation.link_digest)


class LinkSerializer(serializers.Serializer[Any]):
    link = serializers.URLField()


class SubmissionSerializer(serializers.Serializer[Any]):
    """One child's answers entered by the facilitator (from paper or an offline session)."""

    age_band = serializers.CharField(max_length=10)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    assent = serializers.BooleanField()
    caregiver_consent = serializers.ChoiceField(
        choices=["", "facilitator_confirmed"], required=False, default=""
    )
    answers = serializers.DictField(
        child=serializers.CharField(allow_null=True, allow_blank=True, max_length=2000)
    )


class SubmissionResultSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    answers = serializers.IntegerField()


class CellSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()


def cell(value: Cell) -> dict[str, Any]:
    return {"count": value.count, "suppressed": value.suppressed}


def table(value: Table) -> dict[str, Any]:
    return {
        "rows": value.rows,
        "columns": value.columns,
        "cells": [
            {"row": row, "column": column, **cell(value.cell(row, column))}
            for row in value.rows
            for column in value.columns
        ],
    }


class TableSerializer(serializers.Serializer[Any]):
    rows = serializers.ListField(child=serializers.CharField())
    columns = serializers.ListField(child=serializers.CharField())
    cells = serializers.ListField(child=serializers.DictField())


class QuestionResultSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    type = serializers.CharField()
    table = TableSerializer()
    excerpts = serializers.ListField(child=serializers.CharField())


class ResultsSerializer(serializers.Serializer[Any]):
    consultation = serializers.UUIDField()
    k = serializers.IntegerField()
    total_code = serializers.CharField(default=TOTAL)
    taking_part = TableSerializer()
    withdrawn = CellSerializer()
    waiting_for_review = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


class WrittenAnswerSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    question = serializers.CharField(source="question_id")
    text = serializers.CharField(source="value")


class WrittenAnswerReviewSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=["approve", "exclude"])
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ActionCreateSerializer(serializers.Serializer[Any]):
    you_said = serializers.CharField(max_length=1000)
    we_did = serializers.CharField(max_length=1000)
    status = serializers.ChoiceField(choices=ActionStatus.choices)


class ActionUpdateSerializer(serializers.Serializer[Any]):
    we_did = serializers.CharField(max_length=1000)
    status = serializers.ChoiceField(choices=ActionStatus.choices)


class ActionSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    you_said = serializers.CharField()
    we_did = serializers.CharField()
    status = serializers.CharField()
    updated_at = serializers.DateTimeField()


class SummarySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    release = serializers.UUIDField(source="release_id")
    status = serializers.CharField(source="release.status")


class ContactSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=200, required=False, allow_blank=True)


class FeedbackCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=FeedbackKind.choices)
    submitted_by = serializers.ChoiceField(choices=FeedbackFrom.choices)
    service = serializers.UUIDField()
    message = serializers.CharField(max_length=4000)
    about_worker = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    concerns_lead = serializers.BooleanField(required=False, default=False)
    anonymous = serializers.BooleanField(required=False, default=True)
    contact = ContactSerializer(required=False, allow_null=True, default=None)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False, default="en")
    subject_user = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The worker it is about (a caseworker recording for a child only).",
    )


class TrackingCodeSerializer(serializers.Serializer[Any]):
    tracking_code = serializers.CharField(
        max_length=codes.MAX_INPUT, help_text="The code given when the feedback was sent."
    )


class FeedbackStatusSerializer(serializers.Serializer[Any]):
    """What the holder of a tracking code may know: where it is, and the answer for them."""

    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    kind = serializers.CharField()
    received_at = serializers.DateTimeField()
    acknowledge_by = serializers.DateTimeField()
    respond_by = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    responded_at = serializers.DateTimeField(allow_null=True)
    reply = serializers.CharField()


class FeedbackListItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    channel = serializers.CharField()
    service = serializers.UUIDField(source="service_id")
    agency = serializers.UUIDField(source="agency_id")
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    acknowledge_by = serializers.DateTimeField()
    respond_by = serializers.DateTimeField()
    handler = serializers.UUIDField(source="handler_id", allow_null=True)


class FeedbackDetailSerializer(FeedbackListItemSerializer):
    submitted_by = serializers.CharField()
    message = serializers.CharField()
    about_worker = serializers.CharField()
    concerns_lead = serializers.BooleanField()
    anonymous = serializers.BooleanField()
    contact = serializers.DictField(allow_null=True)
    language = serializers.CharField()
    reply = serializers.CharField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    responded_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ReplySerializer(serializers.Serializer[Any]):
    reply = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ServiceFiguresSerializer(serializers.Serializer[Any]):
    service = serializers.UUIDField()
    total = serializers.IntegerField(allow_null=True)
    total_suppressed = serializers.BooleanField()
    compliment = serializers.IntegerField(allow_null=True)
    compliment_suppressed = serializers.BooleanField()
    suggestion = serializers.IntegerField(allow_null=True)
    suggestion_suppressed = serializers.BooleanField()
    complaint = serializers.IntegerField(allow_null=True)
    complaint_suppressed = serializers.BooleanField()


class SafeguardingLeadSerializer(serializers.Serializer[Any]):
    agency = serializers.UUIDField()
    lead = serializers.UUIDField()
    deputy = serializers.UUIDField(required=False, allow_null=True, default=None)


class SafeguardingLeadOutSerializer(serializers.Serializer[Any]):
    agency = serializers.UUIDField(source="agency_id")
    lead = serializers.UUIDField(source="lead_id")
    deputy = serializers.UUIDField(source="deputy_id", allow_null=True)
    updated_at = serializers.DateTimeField()


class InformationTopicSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    version = serializers.CharField()
    titles = serializers.DictField()
    source = serializers.CharField()  # type: ignore[assignment] # a field, not DRF's attribute


class InformationGivenCreateSerializer(serializers.Serializer[Any]):
    topic = serializers.CharField(max_length=40)
    level = serializers.ChoiceField(choices=["younger", "older"])
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)
    format = serializers.ChoiceField(choices=InformationFormat.choices)
    given_on = serializers.DateField(required=False, allow_null=True, default=None)


class InformationGivenSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    topic = serializers.CharField()
    topic_version = serializers.CharField()
    level = serializers.CharField()
    language = serializers.CharField()
    format = serializers.CharField()
    given_on = serializers.DateField()
    recorded_by = serializers.UUIDField(source="recorded_by_id")


def feedback_out(feedback: Feedback) -> dict[str, Any]:
    return dict(FeedbackDetailSerializer(feedback).data)
