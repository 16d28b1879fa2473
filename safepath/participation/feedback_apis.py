"""Thin API views for feedback, its figures, safeguarding leads and the information given.

``POST /api/v1/participation/feedback/`` and ``POST .../feedback/status/`` need no sign-in: a
child or carer sends feedback and follows it with the tracking code, which travels only in the
request body. Unknown codes are throttled per address (10 an hour, then 429 with Retry-After).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import FieldValidationError, NotFoundError
from safepath.core.pagination import Pagination
from safepath.core.schema import paginated
from safepath.participation import serializers as s
from safepath.participation.feedback_selectors import (
    feedback_get,
    feedback_list,
    service_feedback_figures,
)
from safepath.participation.models import FeedbackChannel
from safepath.participation.selectors import information_given_for_case
from safepath.participation.services.feedback import (
    TooManyAttemptsError,
    feedback_acknowledge,
    feedback_close,
    feedback_recuse,
    feedback_respond,
    feedback_status,
    feedback_submit,
)
from safepath.participation.services.information import information_record_given
from safepath.participation.services.safeguarding import safeguarding_lead_set
from safepath.referrals.models import Service
from safepath.referrals.policies import service_directory_policy

ERROR = OpenApiResponse(description="The error shape: {detail, code, fields?}")


def client_address(request: Request) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


class FeedbackApi(APIView):
    """POST: anyone, no sign-in. GET: the feedback the signed-in handler may see."""

    def get_authenticators(self) -> list[Any]:
        request = getattr(self, "request", None)  # None while the schema is generated
        if request is not None and request.method == "POST":
            return []  # no session, no token: no CSRF check either, and nobody is identified
        return super().get_authenticators()

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [AllowAny()]
        return list(super().get_permissions())

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            *[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        ],
        responses=paginated(s.FeedbackListItemSerializer),
    )
    def get(self, request: Request) -> Response:
        items = feedback_list(
            user=signed_in_user(request), status=request.query_params.get("status", "open")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator.get_paginated_response(
            s.FeedbackListItemSerializer(page or [], many=True).data
        )

    @extend_schema(
        auth=[],
        request=s.FeedbackCreateSerializer,
        responses={
            201: OpenApiResponse(description='{"tracking_code": "XXXX-XXXX-XXXX"}'),
            400: ERROR,
        },
    )
    def post(self, request: Request) -> Response:
        """Feedback or a complaint about a service, by a child or carer, anonymous or not. The
        answer holds the tracking code, once: keep it to follow the feedback."""
        data = s.FeedbackCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("subject_user"):
            raise FieldValidationError(
                {"subject_user": [_("Only a caseworker names the worker from the staff list.")]}
            )
        _feedback, code = feedback_submit(
            kind=values["kind"],
            submitted_by=values["submitted_by"],
            service_id=values["service"],
            message=values["message"],
            about_worker=values["about_worker"],
            concerns_lead=values["concerns_lead"],
            anonymous=values["anonymous"],
            contact=values.get("contact") or {},
            language=values["language"],
            channel=FeedbackChannel.PHONE,
        )
        return Response({"tracking_code": code}, status=status.HTTP_201_CREATED)


class FeedbackRecordApi(APIView):
    @extend_schema(
        request=s.FeedbackCreateSerializer,
        responses={201: OpenApiResponse(description='{"tracking_code": "..."}')},
    )
    def post(self, request: Request) -> Response:
        """A caseworker records a child's feedback with them (and may name the worker)."""
        data = s.FeedbackCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        _feedback, code = feedback_submit(
            kind=values["kind"],
            submitted_by=values["submitted_by"],
            service_id=values["service"],
            message=values["message"],
            about_worker=values["about_worker"],
            concerns_lead=values["concerns_lead"],
            anonymous=values["anonymous"],
            contact=values.get("contact") or {},
            language=values["language"],
            channel=FeedbackChannel.CASEWORKER,
            recorded_by=signed_in_user(request),
            subject_user_id=values.get("subject_user"),
        )
        return Response({"tracking_code": code}, status=status.HTTP_201_CREATED)


class FeedbackStatusApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        auth=[],
        request=s.TrackingCodeSerializer,
        responses={
            200: s.FeedbackStatusSerializer,
            404: OpenApiResponse(description="No feedback has this code (code: unknown_code)."),
            429: OpenApiResponse(
                description="Too many unknown codes from this address; see Retry-After."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        """Where feedback is, by its tracking code (in the body, never in the address)."""
        data = s.TrackingCodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            feedback = feedback_status(
                code=data.validated_data["tracking_code"], address=client_address(request)
            )
        except TooManyAttemptsError as error:
            raise Throttled(wait=error.retry_after, detail=error.message) from None
        return Response(s.FeedbackStatusSerializer(feedback).data)


class FeedbackDetailApi(APIView):
    @extend_schema(responses=s.FeedbackDetailSerializer)
    def get(self, request: Request, feedback_id: str) -> Response:
        feedback = feedback_get(
            user=signed_in_user(request), feedback_id=feedback_id, channel=Channel.API
        )
        return Response(s.feedback_out(feedback))


class _FeedbackStepApi(APIView):
    def act(self, request: Request, feedback_id: str, reply: str) -> Any:
        raise NotImplementedError

    @extend_schema(request=s.ReplySerializer, responses=s.FeedbackDetailSerializer)
    def post(self, request: Request, feedback_id: str) -> Response:
        data = s.ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = self.act(request, feedback_id, data.validated_data["reply"])
        return Response(s.feedback_out(feedback))


class FeedbackAcknowledgementApi(_FeedbackStepApi):
    def act(self, request: Request, feedback_id: str, reply: str) -> Any:
        return feedback_acknowledge(
            actor=signed_in_user(request), feedback_id=feedback_id, reply=reply
        )


class FeedbackResponseApi(_FeedbackStepApi):
    def act(self, request: Request, feedback_id: str, reply: str) -> Any:
        return feedback_respond(actor=signed_in_user(request), feedback_id=feedback_id, reply=reply)


class FeedbackClosureApi(_FeedbackStepApi):
    def act(self, request: Request, feedback_id: str, reply: str) -> Any:
        return feedback_close(actor=signed_in_user(request), feedback_id=feedback_id)


class FeedbackRecusalApi(_FeedbackStepApi):
    def act(self, request: Request, feedback_id: str, reply: str) -> Any:
        return feedback_recuse(actor=signed_in_user(request), feedback_id=feedback_id)


class ServiceFiguresApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=paginated(s.ServiceFiguresSerializer),
    )
    def get(self, request: Request) -> Response:
        """Each active service's feedback figures; any count from 1 to 10 is suppressed, with
        secondary suppression so that no hidden count can be worked out from the others."""
        if not service_directory_policy.user_may_list(signed_in_user(request)):
            raise NotFoundError(_("No such page."))
        paginator = Pagination()
        page = list(
            paginator.paginate_queryset(
                Service.objects.filter(is_active=True).order_by("name"), request, view=self
            )
            or []
        )
        figures = service_feedback_figures([service.id for service in page])
        return paginator.get_paginated_response(
            [{"service": service.id, **figures[service.id].as_dict()} for service in page]
        )


class SafeguardingLeadApi(APIView):
    @extend_schema(request=s.SafeguardingLeadSerializer, responses=s.SafeguardingLeadOutSerializer)
    def post(self, request: Request) -> Response:
        """Name an agency's safeguarding lead (and a deputy): they receive complaints about its
        workers. A supervisor for their own agency; the system administrator for any."""
        data = s.SafeguardingLeadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lead = safeguarding_lead_set(
            actor=signed_in_user(request),
            agency_id=data.validated_data["agency"],
            lead_id=data.validated_data["lead"],
            deputy_id=data.validated_data["deputy"],
        )
        return Response(s.SafeguardingLeadOutSerializer(lead).data)


class InformationGivenApi(APIView):
    @extend_schema(responses=s.InformationGivenSerializer(many=True))
    def get(self, request: Request, case_id: str) -> Response:
        """Which explanations the child of this case was given (who sees the case sees this)."""
        _case, items = information_given_for_case(user=signed_in_user(request), case_id=case_id)
        return Response(s.InformationGivenSerializer(items, many=True).data)

    @extend_schema(
        request=s.InformationGivenCreateSerializer, responses={201: s.InformationGivenSerializer}
    )
    def post(self, request: Request, case_id: str) -> Response:
        data = s.InformationGivenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = information_record_given(
            actor=signed_in_user(request),
            case_id=case_id,
            channel=Channel.API,
            **data.validated_data,
        )
        return Response(s.InformationGivenSerializer(item).data, status=status.HTTP_201_CREATED)
