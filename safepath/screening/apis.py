"""The screening API: instruments, running a screening, reading it, confirming it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.policies import CaseAction
from safepath.cases.selectors import case_for_action
from safepath.core.exceptions import NotFoundError
from safepath.screening import instruments
from safepath.screening.describe import describe
from safepath.screening.models import ScreeningRecord
from safepath.screening.monitoring import instrument_performance
from safepath.screening.notices import record_warnings
from safepath.screening.policies import ScreeningAction
from safepath.screening.selectors import (
    instrument_for_scoring,
    record_grades_unverified,
    screening_for_action,
    screening_get,
)
from safepath.screening.services import screening_confirm, screening_record


def _record_data(record: ScreeningRecord) -> dict[str, Any]:
    return {
        "id": str(record.id),
        "instrument": record.instrument_id,
        "instrument_version": record.instrument_version,
        "case": str(record.case_id) if record.case_id else None,
        "agency": str(record.agency_id),
        "screened_by": str(record.screened_by_id),
        "created_at": record.created_at.isoformat(),
        "answers": record.answers,
        "result": record.result,
        # in the reader's language (Accept-Language); unverified strengths always first
        "warnings": record_warnings(record),
        "grades_unverified": record_grades_unverified(record),
        "signature": record.signature,
        "confirmed_victim": getattr(
            getattr(record, "confirmation", None), "confirmed_victim", None
        ),
    }


class InstrumentListApi(APIView):
    @extend_schema(
        responses=inline_serializer(
            "InstrumentSummary",
            {
                "id": serializers.CharField(),
                "version": serializers.CharField(),
                "title": serializers.CharField(),
                "kind": serializers.CharField(),
                "min_age": serializers.IntegerField(),
                "max_age": serializers.IntegerField(),
                "items": serializers.IntegerField(),
                "grades": serializers.CharField(
                    allow_null=True, help_text="ILO lists: 'unverified' or 'transcribed'"
                ),
            },
            many=True,
        )
    )
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "id": i.id,
                    "version": i.version,
                    "title": i.title,
                    "kind": i.kind,
                    "summary": i.summary,
                    "min_age": i.population["min_age"],
                    "max_age": i.population["max_age"],
                    "items": len(i.items),
                    "rule": i.rule,
                    "grades": i.grades.status if i.grades else None,
                }
                for i in map(instrument_for_scoring, instruments.catalogue())
            ]
        )


class InstrumentDetailApi(APIView):
    @extend_schema(responses=inline_serializer("Instrument", {"id": serializers.CharField()}))
    def get(self, request: Request, instrument_id: str) -> Response:
        try:
            instrument = instrument_for_scoring(instrument_id)
        except instruments.InstrumentError:
            raise NotFoundError(_("No such screening instrument.")) from None
        return Response(describe(instrument))


class ScreeningCreateApi(APIView):
    @extend_schema_serializer(component_name="ScreeningCreateRequest")
    class InputSerializer(serializers.Serializer[Any]):
        instrument = serializers.CharField(max_length=40)
        case = serializers.UUIDField(required=False, allow_null=True)
        age = serializers.IntegerField(allow_null=True, min_value=0, max_value=120)
        age_disputed = serializers.BooleanField(required=False, default=False)
        answers = serializers.DictField(
            child=serializers.CharField(max_length=10), allow_empty=True
        )
        # "context" ({"act_recorded", "setting"}) is read and checked by parse_input: the name
        # would shadow the serializer's own ``context``.

    @extend_schema(request=InputSerializer, responses={201: None})
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        body = request.data
        fields["context"] = (body.get("context") if isinstance(body, dict) else None) or {}
        case_id = fields.pop("case", None)
        case = (
            case_for_action(user=user, case_id=case_id, action=CaseAction.EDIT) if case_id else None
        )
        record = screening_record(
            user=user,
            instrument_id=fields.pop("instrument"),
            submission=fields,
            case=case,
            channel=Channel.API,
        )
        return Response(_record_data(record), status=status.HTTP_201_CREATED)


class ScreeningDetailApi(APIView):
    @extend_schema(responses={200: None})
    def get(self, request: Request, screening_id: str) -> Response:
        record = screening_get(
            user=signed_in_user(request), screening_id=screening_id, channel=Channel.API
        )
        return Response(_record_data(record))


class ScreeningConfirmApi(APIView):
    @extend_schema_serializer(component_name="ScreeningConfirmationRequest")
    class InputSerializer(serializers.Serializer[Any]):
        confirmed_victim = serializers.BooleanField()
        basis = serializers.CharField(max_length=200)

    @extend_schema(request=InputSerializer, responses={201: None})
    def post(self, request: Request, screening_id: str) -> Response:
        user = signed_in_user(request)
        record = screening_for_action(
            user=user, screening_id=screening_id, action=ScreeningAction.CONFIRM
        )
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        screening_confirm(user=user, record=record, channel=Channel.API, **data.validated_data)
        return Response(
            {"confirmed_victim": data.validated_data["confirmed_victim"]},
            status=status.HTTP_201_CREATED,
        )


class InstrumentPerformanceApi(APIView):
    """Local accuracy from confirmed screens, beside each published study."""

    @extend_schema(responses={200: None})
    def get(self, request: Request, instrument_id: str) -> Response:
        return Response(
            instrument_performance(user=signed_in_user(request), instrument_id=instrument_id)
        )
