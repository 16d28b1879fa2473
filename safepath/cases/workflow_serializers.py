"""Input and output shapes of the case-management API beyond the case record itself."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from safepath.cases.models import PlanStatus
from safepath.cases.serializers import MAX_TEXT
from safepath.cases.vocabulary import (
    AgeMethod,
    AssessmentKind,
    CaseStatus,
    ClosureReason,
    DecisionKind,
    DurableSolution,
    JusticeContactKind,
    Placement,
)


class ViewsInputSerializer(serializers.Serializer[Any]):
    views = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    declined_to_express = serializers.BooleanField(required=False, default=False)
    informed_language = serializers.CharField(max_length=60)  # a name or an ISO 639 code
    interpreter_language = serializers.CharField(max_length=60, required=False, allow_blank=True)
    informed_in_understandable_manner = serializers.BooleanField()
    weight_given = serializers.CharField(max_length=MAX_TEXT)
    heard_on = serializers.DateField()


class ChildViewsInputSerializer(ViewsInputSerializer):
    decision = serializers.ChoiceField(choices=DecisionKind.choices)
    decision_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)


class TransitionInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    target = serializers.ChoiceField(choices=CaseStatus.choices)
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, required=False, allow_blank=True
    )


class AssessmentInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=AssessmentKind.choices)
    assessed_on = serializers.DateField()
    findings = serializers.CharField(max_length=MAX_TEXT)
    recommendation = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)


class PanelMemberSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DeterminationInputSerializer(serializers.Serializer[Any]):
    decided_on = serializers.DateField()
    panel = PanelMemberSerializer(many=True)
    decision = serializers.ChoiceField(choices=DurableSolution.choices)
    reasons = serializers.CharField(max_length=MAX_TEXT)
    dissent = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    risk_assessment_done = serializers.BooleanField(required=False, default=False)
    non_refoulement_checked = serializers.BooleanField(required=False, default=False)


class SolutionInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    solution = serializers.ChoiceField(choices=DurableSolution.choices)
    views = ViewsInputSerializer()


class PlacementInputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    placement = serializers.ChoiceField(choices=Placement.choices)
    location = serializers.CharField(max_length=500, required=False, allow_blank=True)
    views = ViewsInputSerializer()


class PlanInputSerializer(serializers.Serializer[Any]):
    goals = serializers.ListField(
        child=serializers.CharField(max_length=1000), min_length=1, max_length=30
    )


class TaskInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=500)
    due_on = serializers.DateField()
    owner = serializers.UUIDField()
    plan = serializers.UUIDField(required=False, allow_null=True)


class ReviewInputSerializer(serializers.Serializer[Any]):
    reviewed_on = serializers.DateField()
    summary = serializers.CharField(max_length=MAX_TEXT)
    next_review_on = serializers.DateField(required=False, allow_null=True)


class NoteInputSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=MAX_TEXT)


class DocumentInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()


class GuardianInputSerializer(serializers.Serializer[Any]):
    guardian_name = serializers.CharField(max_length=200)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    appointed_on = serializers.DateField()


class JusticeContactInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=JusticeContactKind.choices)
    occurred_on = serializers.DateField()
    authority = serializers.CharField(max_length=200, required=False, allow_blank=True)
    linked_to_exploitation = serializers.BooleanField(required=False, default=True)
    details = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)


class ResolutionInputSerializer(serializers.Serializer[Any]):
    resolved_on = serializers.DateField()


class TransitionPlanInputSerializer(serializers.Serializer[Any]):
    agreed_on = serializers.DateField()
    content = serializers.CharField(max_length=MAX_TEXT)
    aftercare_wanted = serializers.BooleanField()


class AgeAssessmentInputSerializer(serializers.Serializer[Any]):
    method = serializers.ChoiceField(choices=AgeMethod.choices)
    assessed_on = serializers.DateField()
    minimum_age = serializers.IntegerField(min_value=0, max_value=30)
    maximum_age = serializers.IntegerField(min_value=0, max_value=30)
    disputed = serializers.BooleanField(required=False, default=False)


class FamilyMemberInputSerializer(serializers.Serializer[Any]):
    relation = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_caregiver = serializers.BooleanField(required=False, default=False)
    whereabouts_known = serializers.BooleanField(required=False, default=False)
    tracing_requested = serializers.BooleanField(required=False, default=False)


# --- output -----------------------------------------------------------------------------------


class ChangeOutputSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    kind = serializers.CharField()
    changed_fields = serializers.ListField(child=serializers.CharField(), source="fields")
    before = serializers.DictField()
    after = serializers.DictField()
    changed_by = serializers.CharField(source="changed_by.username")
    changed_at = serializers.DateTimeField()


class PlanOutputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    goals = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=PlanStatus.choices)
    created_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField(allow_null=True)


class TaskOutputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    title = serializers.CharField()
    due_on = serializers.DateField()
    owner = serializers.UUIDField(source="owner_id")
    done_at = serializers.DateTimeField(allow_null=True)


class NoteOutputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    body = serializers.CharField()
    author = serializers.CharField(source="author.username")
    created_at = serializers.DateTimeField()


class CaseloadSerializer(serializers.Serializer[Any]):
    user_id = serializers.UUIDField()
    username = serializers.CharField()
    open_cases = serializers.IntegerField()
    overdue_tasks = serializers.IntegerField()


class NonPunishmentRowSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    agency = serializers.CharField()
    kind = serializers.CharField()
    occurred_on = serializers.DateField()
    linked_to_exploitation = serializers.BooleanField()
