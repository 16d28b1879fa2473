"""Explicit input and output shapes of the case API (no ModelSerializer: nothing leaks)."""

from __future__ import annotations

from typing import Any

import pycountry
from django.utils.translation import gettext as _
from rest_framework import serializers

from safepath.cases.vocabulary import CaseStatus, ConsentGiver, ConsentPurpose, Exploitation, Sex

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
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ChildUpdateSerializer(ChildInputSerializer):
    given_name = serializers.CharField(max_length=200, required=False)


class CaseFieldsSerializer(serializers.Serializer[Any]):
    identified_on = serializers.DateField()
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    forms_of_exploitation = serializers.ListField(
        child=serializers.ChoiceField(choices=Exploitation.choices),
        max_length=len(Exploitation),
        required=False,
    )
    country_of_exploitation = CountryField()
    summary = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)


class CaseCreateSerializer(CaseFieldsSerializer):
    child = ChildInputSerializer()


class CaseUpdateSerializer(serializers.Serializer[Any]):
    """A partial change: any case or child field, plus the version the client read."""

    version = serializers.IntegerField(min_value=1)
    child = ChildUpdateSerializer(required=False)
    identified_on = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    forms_of_exploitation = serializers.ListField(
        child=serializers.ChoiceField(choices=Exploitation.choices),
        max_length=len(Exploitation),
        required=False,
    )
    country_of_exploitation = CountryField()
    summary = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)


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


class ChildDetailSerializer(ChildOutputSerializer):
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
    summary = serializers.CharField()
    assigned_to = serializers.SerializerMethodField()

    def get_assigned_to(self, case: Any) -> list[str]:
        return [str(a.user_id) for a in case.assignments.all() if a.ended_at is None]


class ConsentInputSerializer(serializers.Serializer[Any]):
    given_by = serializers.ChoiceField(choices=ConsentGiver.choices)
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    data_scope = serializers.CharField(max_length=200)
    recipient_agency = serializers.UUIDField()
    given_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True)


class ShareInputSerializer(serializers.Serializer[Any]):
    agency = serializers.UUIDField()
    consent = serializers.UUIDField()


class AssignInputSerializer(serializers.Serializer[Any]):
    user = serializers.UUIDField()


class CaseSearchSerializer(serializers.Serializer[Any]):
    given_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=20, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(attrs.values()):
            raise serializers.ValidationError(_("Give at least one of the search fields."))
        return attrs
