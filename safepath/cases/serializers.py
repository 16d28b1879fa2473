"""Explicit input and output shapes of the case API (no ModelSerializer: nothing leaks)."""

from __future__ import annotations

from typing import Any

import pycountry
from django.utils.translation import gettext as _
from rest_framework import serializers

from safepath.cases.alerts import case_alerts
from safepath.cases.lifecycle import allowed_targets
from safepath.cases.vocabulary import (
    INITIAL_STATUSES,
    CareArrangement,
    CaseStatus,
    ConsentGiver,
    ConsentPurpose,
    DataCategory,
    Disability,
    Exploitation,
    MeansOfControl,
    RecruiterRelation,
    Sex,
)

MAX_TEXT = 4000


def _country(value: str) -> str:
    value = value.strip().upper()
    if value and pycountry.countries.get(alpha_2=value) is None:
        raise serializers.ValidationError(
            _("%(code)s is not an ISO 3166-1 alpha-2 country code.") % {"code": value}
        )
    return value


class CountryField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        return _country(super().to_internal_value(data))


class ChildInputSerializer(serializers.Serializer[Any]):
    given_name = serializers.CharField(max_length=200)
    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    other_names = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=20, required=False
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    date_of_birth_estimated = serializers.BooleanField(required=False)
    nationality = CountryField()
    stateless = serializers.BooleanField(required=False)
    gender_identity = serializers.CharField(max_length=200, required=False, allow_blank=True)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=8), max_length=10, required=False
    )
    disability = serializers.ChoiceField(choices=Disability.choices, required=False)
    disability_details = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True
    )
    care_arrangement = serializers.ChoiceField(choices=CareArrangement.choices, required=False)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ChildUpdateSerializer(ChildInputSerializer):
    given_name = serializers.CharField(max_length=200, required=False)


class TraffickingFactsSerializer(serializers.Serializer[Any]):
    """The trafficking facts, aligned with CTDC's fields; countries are ISO 3166 alpha-2."""

    forms_of_exploitation = serializers.ListField(
        child=serializers.ChoiceField(choices=Exploitation.choices),
        max_length=len(Exploitation),
        required=False,
    )
    country_of_exploitation = CountryField()
    country_of_origin = CountryField()
    countries_of_transit = serializers.ListField(
        child=CountryField(), max_length=20, required=False
    )
    means_of_control = serializers.ListField(
        child=serializers.ChoiceField(choices=MeansOfControl.choices),
        max_length=len(MeansOfControl),
        required=False,
    )
    recruiter_relation = serializers.ChoiceField(choices=RecruiterRelation.choices, required=False)
    summary = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)


class CaseCreateSerializer(TraffickingFactsSerializer):
    identified_on = serializers.DateField()
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in INITIAL_STATUSES], required=False
    )
    child = ChildInputSerializer()


class CaseUpdateSerializer(TraffickingFactsSerializer):
    """A partial change: any case or child field, plus the version the client read. The stage,
    placement and durable solution change through their own decisions, not here."""

    version = serializers.IntegerField(min_value=1)
    child = ChildUpdateSerializer(required=False)
    identified_on = serializers.DateField(required=False)


class AgencyRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    country = serializers.CharField()


class ChildOutputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    other_names = serializers.ListField(child=serializers.CharField())
    sex = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    date_of_birth_estimated = serializers.BooleanField()
    age_at_identification = serializers.IntegerField(allow_null=True)
    nationality = serializers.CharField()
    stateless = serializers.BooleanField()
    care_arrangement = serializers.CharField()


class ChildDetailSerializer(ChildOutputSerializer):
    gender_identity = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    disability = serializers.CharField()
    disability_details = serializers.CharField()
    address = serializers.CharField()
    contact = serializers.CharField()
    document_number = serializers.CharField()


class CaseListItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    status = serializers.CharField()
    owner_agency = AgencyRefSerializer()
    child = ChildOutputSerializer()
    identified_on = serializers.DateField()
    forms_of_exploitation = serializers.ListField(child=serializers.CharField())
    country_of_exploitation = serializers.CharField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CaseDetailSerializer(CaseListItemSerializer):
    child = ChildDetailSerializer()
    country_of_origin = serializers.CharField()
    countries_of_transit = serializers.ListField(child=serializers.CharField())
    means_of_control = serializers.ListField(child=serializers.CharField())
    recruiter_relation = serializers.CharField()
    placement = serializers.CharField()
    placement_location = serializers.CharField()
    durable_solution = serializers.CharField()
    closure_reason = serializers.CharField()
    status_changed_at = serializers.DateTimeField()
    summary = serializers.CharField()
    assigned_to = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    alerts = serializers.SerializerMethodField()

    def get_assigned_to(self, case: Any) -> list[str]:
        return [str(a.user_id) for a in case.assignments.all() if a.ended_at is None]

    def get_allowed_transitions(self, case: Any) -> list[str]:
        return sorted(allowed_targets(case.status))

    def get_alerts(self, case: Any) -> list[dict[str, str]]:
        return [alert.as_dict() for alert in case_alerts(case)]


class CaseRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    reference = serializers.CharField()


class CaseCreatedSerializer(CaseDetailSerializer):
    """A new case, with the possible duplicates its registrar may open (issue 19)."""

    possible_duplicates = CaseRefSerializer(many=True)


class ConsentInputSerializer(serializers.Serializer[Any]):
    given_by = serializers.ChoiceField(choices=ConsentGiver.choices)
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    data_scope = serializers.CharField(max_length=200)
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices),
        max_length=len(DataCategory),
        required=False,
    )
    child_assent = serializers.BooleanField(required=False, allow_null=True, default=None)
    recipient_agency = serializers.UUIDField()
    given_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True)


class ConsentOutputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    given_by = serializers.CharField()
    purpose = serializers.CharField()
    data_scope = serializers.CharField()
    data_categories = serializers.ListField(child=serializers.CharField())
    child_assent = serializers.BooleanField(allow_null=True)
    recipient_agency = AgencyRefSerializer()
    given_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class ShareInputSerializer(serializers.Serializer[Any]):
    agency = serializers.UUIDField()
    consent = serializers.UUIDField()


class AssignInputSerializer(serializers.Serializer[Any]):
    user = serializers.UUIDField()


class AssignmentOutputSerializer(serializers.Serializer[Any]):
    """An assignment of a member of the reader's own agency to the case."""

    id = serializers.UUIDField()
    user = serializers.UUIDField(source="user_id")
    username = serializers.CharField(source="user.username")
    assigned_by = serializers.UUIDField(source="assigned_by_id")
    assigned_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class CaseSearchSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    given_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=20, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(attrs.values()):
            raise serializers.ValidationError(_("Give at least one of the search fields."))
        return attrs
