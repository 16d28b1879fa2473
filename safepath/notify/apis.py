"""Thin API views: a person's own notifications and preferences; failed deliveries for the
administrator."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.pagination import Pagination
from safepath.core.schema import paginated
from safepath.notify import serializers as s
from safepath.notify import services
from safepath.notify.selectors import delivery_failed_list, notification_list


class NotificationListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("unread", bool),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=paginated(s.NotificationSerializer),
    )
    def get(self, request: Request) -> Response:
        """Your own notifications, newest first (``?unread=true`` for the unread ones)."""
        unread = request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        paginator = Pagination()
        page = paginator.paginate_queryset(
            notification_list(user=signed_in_user(request), unread_only=unread), request, view=self
        )
        return paginator.get_paginated_response(
            s.NotificationSerializer(page or [], many=True).data
        )


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses=s.NotificationSerializer)
    def post(self, request: Request, notification_id: str) -> Response:
        """Mark one of your notifications read (another person's is a 404)."""
        note = services.notification_mark_read(
            user=signed_in_user(request), notification_id=notification_id, channel=Channel.API
        )
        return Response(s.NotificationSerializer(note).data)


class NotificationReadAllApi(APIView):
    @extend_schema(request=None, responses=s.MarkedSerializer)
    def post(self, request: Request) -> Response:
        count = services.notifications_mark_all_read(
            user=signed_in_user(request), channel=Channel.API
        )
        return Response({"marked": count})


def _preference_data(preference: Any) -> dict[str, Any]:
    return dict(s.PreferenceSerializer(preference).data)


class PreferenceApi(APIView):
    @extend_schema(responses=s.PreferenceSerializer)
    def get(self, request: Request) -> Response:
        return Response(_preference_data(services.preference_of(signed_in_user(request))))

    @extend_schema(request=s.PreferenceSerializer, responses=s.PreferenceSerializer)
    def put(self, request: Request) -> Response:
        data = s.PreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = services.preference_update(
            user=signed_in_user(request),
            data=services.PreferenceInput(**data.validated_data),
            channel=Channel.API,
        )
        return Response(_preference_data(preference))


class FailedDeliveryListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=paginated(s.FailedDeliverySerializer),
    )
    def get(self, request: Request) -> Response:
        """Deliveries that failed for good (administrator only): who, which channel, the error."""
        paginator = Pagination()
        page = paginator.paginate_queryset(
            delivery_failed_list(user=signed_in_user(request)), request, view=self
        )
        return paginator.get_paginated_response(
            s.FailedDeliverySerializer(page or [], many=True).data
        )


class DeliveryRetryApi(APIView):
    @extend_schema(request=None, responses=s.FailedDeliverySerializer)
    def post(self, request: Request, delivery_id: str) -> Response:
        delivery = services.delivery_retry(
            user=signed_in_user(request), delivery_id=delivery_id, channel=Channel.API
        )
        return Response({"id": str(delivery.id), "status": delivery.status})
