"""Legal holds and the record of erasures, for a supervisor of the owning agency. Thin:
validate, call one service, answer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import LegalHold
from safepath.cases.policies import CaseAction
from safepath.cases.selectors import case_for_action
from safepath.cases.services.erasure import MAX_REASON, legal_hold_place, legal_hold_release
from safepath.core.exceptions import NotFoundError


class LegalHoldInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=MAX_REASON)


class LegalHoldSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    reason = serializers.CharField()
    placed_by = serializers.CharField(source="placed_by.username")
    placed_at = serializers.DateTimeField()
    released_by = serializers.CharField(source="released_by.username", allow_null=True)
    released_at = serializers.DateTimeField(allow_null=True)


class CaseErasureSerializer(serializers.Serializer[Any]):
    category = serializers.CharField()
    period_days = serializers.IntegerField()
    erased_at = serializers.DateTimeField()
    counts = serializers.DictField(child=serializers.IntegerField())


class RetentionSerializer(serializers.Serializer[Any]):
    legal_holds = LegalHoldSerializer(many=True)
    erasures = CaseErasureSerializer(many=True)


class LegalHoldApi(APIView):
    @extend_schema(responses={200: RetentionSerializer})
    def get(self, request: Request, case_id: str) -> Response:
        """The case's legal holds (in force and released) and what retention erased of it."""
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.APPROVE)
        holds = case.legal_holds.select_related("placed_by", "released_by")
        audit_record(
            actor=Actor.of(user, Channel.API),
            action=Action.READ,
            object_type="case",
            object_id=case.id,
            details={"view": "retention"},
        )
        return Response(
            RetentionSerializer({"legal_holds": holds, "erasures": case.erasures.all()}).data
        )

    @extend_schema(request=LegalHoldInputSerializer, responses={201: LegalHoldSerializer})
    def post(self, request: Request, case_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.APPROVE)
        data = LegalHoldInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hold = legal_hold_place(
            user=user, case=case, reason=data.validated_data["reason"], channel=Channel.API
        )
        return Response(LegalHoldSerializer(hold).data, status=status.HTTP_201_CREATED)


class LegalHoldReleaseApi(APIView):
    @extend_schema(request=None, responses={200: LegalHoldSerializer})
    def post(self, request: Request, case_id: str, hold_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.APPROVE)
        hold = LegalHold.objects.filter(case=case, pk=hold_id).first()
        if hold is None:
            raise NotFoundError(_("No such record on this case."))
        released = legal_hold_release(user=user, hold=hold, channel=Channel.API)
        return Response(LegalHoldSerializer(released).data)
