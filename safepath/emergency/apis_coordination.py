"""Thin API views under /api/v1/emergency/ for coordinators: emergencies, the board, the service
gaps and the risk table (counts under the evidence app's disclosure control)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import NotFoundError
from safepath.emergency.board import emergency_board, service_gaps
from safepath.emergency.models import Emergency, Hazard
from safepath.emergency.policies import EmergencyAction, emergency_policy
from safepath.emergency.risk import risk_table
from safepath.emergency.selectors import emergencies_list
from safepath.emergency.services.emergencies import emergency_declare, emergency_end


def _user(request: Request, *actions: EmergencyAction) -> User:
    user = signed_in_user(request)
    if not any(emergency_policy.user_has_permission(user, a) for a in actions):
        raise NotFoundError(_("No such page."))
    return user


def _emergency(emergency_id: str) -> Emergency:
    emergency = Emergency.objects.filter(pk=emergency_id).first()
    if emergency is None:
        raise NotFoundError(_("No such emergency."))
    return emergency


def emergency_data(e: Emergency) -> dict[str, Any]:
    return {
        "id": str(e.id),
        "name": e.name,
        "hazard": e.hazard,
        "country": e.country,
        "admin_areas": e.admin_areas,
        "starts_on": e.starts_on.isoformat(),
        "ends_on": e.ends_on.isoformat() if e.ends_on else None,
        "version": e.version,
    }


class DeclareSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    hazard = serializers.ChoiceField(choices=Hazard.choices)
    country = serializers.CharField(max_length=2)
    admin_areas = serializers.ListField(
        child=serializers.CharField(max_length=100, allow_blank=True), required=False, default=list
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class EndSerializer(serializers.Serializer[Any]):
    ends_on = serializers.DateField()
    version = serializers.IntegerField(min_value=1)


class EmergencyListApi(APIView):
    @extend_schema(operation_id="emergency_list", responses=dict[str, Any])
    def get(self, request: Request) -> Response:
        _user(request, EmergencyAction.VIEW_BOARD, EmergencyAction.DECLARE)
        return Response({"results": [emergency_data(e) for e in emergencies_list()[:200]]})

    @extend_schema(request=DeclareSerializer, responses={201: dict[str, Any]})
    def post(self, request: Request) -> Response:
        """A coordinator declares an emergency: registrations in its area are tagged."""
        user = _user(request, EmergencyAction.DECLARE)
        data = DeclareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        emergency = emergency_declare(user=user, channel=Channel.API, **data.validated_data)
        return Response(emergency_data(emergency), status=status.HTTP_201_CREATED)


class EmergencyEndApi(APIView):
    @extend_schema(request=EndSerializer, responses=dict[str, Any])
    def post(self, request: Request, emergency_id: str) -> Response:
        user = _user(request, EmergencyAction.DECLARE)
        data = EndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ended = emergency_end(
            user=user,
            emergency=_emergency(emergency_id),
            ends_on=data.validated_data["ends_on"],
            expected_version=data.validated_data["version"],
            channel=Channel.API,
        )
        return Response(emergency_data(ended))


class BoardApi(APIView):
    @extend_schema(operation_id="emergency_board", responses=dict[str, Any])
    def get(self, request: Request, emergency_id: str) -> Response:
        """Counts only: registrations, unaccompanied without interim care, tracing, overdue."""
        user = _user(request, EmergencyAction.VIEW_BOARD)
        board = emergency_board(user=user, emergency=_emergency(emergency_id))
        return Response(
            {
                "emergency": emergency_data(board.emergency),
                "registrations": board.registrations,
                "last_24_hours": board.last_day,
                "unaccompanied": board.unaccompanied,
                "separated": board.separated,
                "unaccompanied_without_interim_care": board.unaccompanied_without_care,
                "high_risk": board.high_risk,
                "tracing": board.tracing,
                "overdue": board.overdue,
                "areas": [
                    {
                        "area": row.area,
                        "registrations": row.registrations,
                        "unaccompanied_without_interim_care": row.unaccompanied_without_care,
                        "overdue": row.overdue,
                    }
                    for row in board.areas
                ],
            }
        )


class GapsApi(APIView):
    @extend_schema(operation_id="emergency_service_gaps", responses=dict[str, Any])
    def get(self, request: Request, emergency_id: str) -> Response:
        user = _user(request, EmergencyAction.VIEW_BOARD)
        rows = service_gaps(user=user, emergency=_emergency(emergency_id))
        return Response(
            {
                "results": [
                    {
                        "area": r.area,
                        "service_type": r.service_type,
                        "open": r.open,
                        "reduced": r.reduced,
                        "moved": r.moved,
                        "closed": r.closed,
                        "children_in_need": r.children_in_need,
                        "gap": r.gap,
                    }
                    for r in rows
                ]
            }
        )


class RiskApi(APIView):
    @extend_schema(
        operation_id="emergency_risk",
        parameters=[OpenApiParameter("exploitation", str)],
        responses=dict[str, Any],
    )
    def get(self, request: Request) -> Response:
        """INFORM scores by country with the case counts (null when suppressed)."""
        _user(request, EmergencyAction.VIEW_RISK)
        table = risk_table(exploitation=str(request.query_params.get("exploitation", ""))[:40])
        return Response(
            {
                "edition": table.edition.label if table.edition else None,
                "k": table.k,
                "counts_available": table.counts_available,
                "results": [
                    {
                        "iso3": row.risk.iso3,
                        "name": row.risk.name,
                        "risk": row.risk.risk,
                        "risk_class": row.risk.risk_class,
                        "hazard_exposure": row.risk.hazard_exposure,
                        "vulnerability": row.risk.vulnerability,
                        "lack_of_coping_capacity": row.risk.lack_of_coping_capacity,
                        "cases_by_citizenship": row.origin.count if row.origin else None,
                        "cases_by_country_of_exploitation": row.exploitation.count
                        if row.exploitation
                        else None,
                    }
                    for row in table.rows
                ],
            }
        )
