"""Thin API views of the exchange: partners (administrators), the message log (administrators
and the DPO), the inbox and outbox that other instances call (the message proves who sent it:
no user signs in), and case transfers for the caseworkers and supervisors at either end."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiRequest, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.models import Agency, User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.policies import CaseAction
from safepath.cases.selectors import case_for_action
from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError
from safepath.core.pagination import Pagination
from safepath.core.schema import paginated
from safepath.exchange import selectors, services
from safepath.exchange import serializers as s
from safepath.exchange.envelope import fingerprint
from safepath.exchange.models import Partner
from safepath.exchange.policies import may_manage_partners
from safepath.exchange.services.pulling import outbox_for
from safepath.exchange.services.receiving import ExchangeRefusedError

API = Channel.API


def _agencies(codes: list[str]) -> list[Agency]:
    found = {agency.code: agency for agency in Agency.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise FieldValidationError({"agencies": [f"No agency with the code {missing[0]}."]})
    return [found[code] for code in codes]


def _require_admin(user: User) -> None:
    """Refused before the body is read: a DPO may look, not change."""
    if not may_manage_partners(user):
        raise PermissionDeniedError(_("Only a system administrator registers partner instances."))


class PartnerListApi(APIView):
    @extend_schema(responses=s.PartnerSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The partner instances (administrators and the DPO)."""
        partners = selectors.partner_list(user=signed_in_user(request))
        return Response(s.PartnerSerializer(partners, many=True).data)

    @extend_schema(request=s.PartnerInputSerializer, responses={201: s.PartnerSerializer})
    def post(self, request: Request) -> Response:
        """Register another instance as a partner (administrators)."""
        _require_admin(signed_in_user(request))
        data = s.PartnerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["agencies"] = _agencies(values.pop("agencies"))
        partner = services.partner_register(user=signed_in_user(request), channel=API, **values)
        return Response(s.PartnerSerializer(partner).data, status=201)


class PartnerDetailApi(APIView):
    @extend_schema(responses=s.PartnerSerializer)
    def get(self, request: Request, partner_id: str) -> Response:
        partner = selectors.partner_get(user=signed_in_user(request), partner_id=partner_id)
        return Response(s.PartnerSerializer(partner).data)

    @extend_schema(request=s.PartnerUpdateInputSerializer, responses=s.PartnerSerializer)
    def patch(self, request: Request, partner_id: str) -> Response:
        """Change a registration: new keys, purposes, categories, agencies, or deactivate."""
        user = signed_in_user(request)
        partner = selectors.partner_get(user=user, partner_id=partner_id)
        _require_admin(user)
        data = s.PartnerUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "agencies" in values:
            values["agencies"] = _agencies(values["agencies"])
        partner = services.partner_update(user=user, partner=partner, channel=API, **values)
        return Response(s.PartnerSerializer(partner).data)


class IdentityApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses=s.IdentitySerializer)
    def get(self, request: Request) -> Response:
        """This instance's id and public keys, to register it as a partner elsewhere (compare
        the fingerprint with its administrator by another channel before trusting it)."""
        identity = services.current_keys().identity()
        return Response(identity | {"fingerprint": fingerprint(identity["jwks"])})


class MessageListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("direction", str, enum=["in", "out"]),
            OpenApiParameter("partner", str),
            OpenApiParameter("status", str),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=paginated(s.MessageSerializer),
    )
    def get(self, request: Request) -> Response:
        """Every message sent and received, with its hash (never its content)."""
        messages = selectors.message_log(
            user=signed_in_user(request),
            direction=request.query_params.get("direction", ""),
            partner=request.query_params.get("partner", ""),
            status=request.query_params.get("status", ""),
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(messages, request, view=self)
        return paginator.get_paginated_response(s.MessageSerializer(page or [], many=True).data)


class MessageRetryApi(APIView):
    @extend_schema(request=None, responses=s.MessageSerializer)
    def post(self, request: Request, message_id: str) -> Response:
        user = signed_in_user(request)
        message = selectors.message_for_admin(user=user, message_id=message_id)
        message = services.message_retry(user=user, message=message, channel=API)
        return Response(s.MessageSerializer(message).data)


class InboxApi(APIView):
    """Where partner instances push sealed messages (``application/jose``, the compact JWE as
    the body). No user signs in: the message proves its sender, or is refused."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=OpenApiRequest(request={"application/jose": {"type": "string"}}),
        responses={202: s.InboxAnswerSerializer},
    )
    def post(self, request: Request) -> Response:
        limit = settings.EXCHANGE_MAX_MESSAGE_BYTES
        raw = request._request.read(limit + 1)
        if len(raw) > limit:
            raise ExchangeRefusedError("oversize")
        try:
            token = raw.decode("ascii")
        except UnicodeDecodeError:
            raise ExchangeRefusedError("undecryptable") from None
        receipt = services.message_receive(token=token, channel=API, via="push")
        return Response(
            {"status": "received", "message": str(receipt.message.id), "digest": receipt.digest},
            status=202,
        )


class OutboxApi(APIView):
    """Where a partner behind a firewall pulls what waits for it, with a signed request
    (``Authorization: SafePath-Exchange <JWS>``)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        responses={
            200: s.OutboxSerializer,
            400: OpenApiResponse(description="The signed request is not valid."),
            404: OpenApiResponse(description="An unsigned request: nothing here."),
        }
    )
    def get(self, request: Request) -> Response:
        header = request.headers.get("Authorization", "")
        if not header:
            raise NotFoundError("Nothing here.")
        _partner, tokens = outbox_for(header)
        return Response({"messages": tokens})


class TransferListApi(APIView):
    @extend_schema(responses=s.TransferSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Outgoing transfers of your agency's cases."""
        transfers = selectors.transfer_list(user=signed_in_user(request))
        return Response(s.TransferSerializer(transfers, many=True).data)

    @extend_schema(request=s.TransferInputSerializer, responses={201: s.TransferDetailSerializer})
    def post(self, request: Request) -> Response:
        """Prepare a transfer: the gates are checked, and the answer is exactly the package a
        supervisor will approve."""
        user = signed_in_user(request)
        data = s.TransferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_for_action(
            user=user, case_id=data.validated_data["case"], action=CaseAction.SHARE
        )
        partner = Partner.objects.active().filter(pk=data.validated_data["partner"]).first()
        agency = Agency.objects.filter(code=data.validated_data["recipient_agency"]).first()
        if partner is None:
            raise FieldValidationError({"partner": ["No such partner instance."]})
        if agency is None:
            raise FieldValidationError({"recipient_agency": ["No agency with this code."]})
        transfer = services.transfer_prepare(
            user=user, case=case, partner=partner, recipient_agency=agency, channel=API
        )
        return Response(s.TransferDetailSerializer(transfer).data, status=201)


class TransferDetailApi(APIView):
    @extend_schema(responses=s.TransferDetailSerializer)
    def get(self, request: Request, transfer_id: str) -> Response:
        """One transfer with its package: exactly what leaves when it is approved."""
        transfer = selectors.transfer_get(
            user=signed_in_user(request), transfer_id=transfer_id, channel=API
        )
        return Response(s.TransferDetailSerializer(transfer).data)


class TransferApproveApi(APIView):
    @extend_schema(request=None, responses=s.TransferSerializer)
    def post(self, request: Request, transfer_id: str) -> Response:
        """A supervisor approves the package; it is sealed and queued for the partner."""
        user = signed_in_user(request)
        transfer = selectors.transfer_get(user=user, transfer_id=transfer_id, channel=API)
        transfer = services.transfer_approve(user=user, transfer=transfer, channel=API)
        return Response(s.TransferSerializer(transfer).data)


class IncomingListApi(APIView):
    @extend_schema(responses=s.IncomingSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Transfers received for your agency."""
        messages = selectors.incoming_list(user=signed_in_user(request))
        return Response(s.IncomingSerializer(messages, many=True).data)


class IncomingDetailApi(APIView):
    @extend_schema(responses=s.IncomingDetailSerializer)
    def get(self, request: Request, message_id: str) -> Response:
        message = selectors.incoming_get(
            user=signed_in_user(request), message_id=message_id, channel=API
        )
        return Response(s.IncomingDetailSerializer(message).data)


class IncomingAcceptApi(APIView):
    @extend_schema(request=None, responses={201: s.AcceptedSerializer})
    def post(self, request: Request, message_id: str) -> Response:
        """Accept: a new case in your agency, linked to the sender's reference."""
        user = signed_in_user(request)
        message = selectors.incoming_get(user=user, message_id=message_id, channel=API)
        case = services.transfer_accept(user=user, message=message, channel=API)
        return Response(s.AcceptedSerializer(case).data, status=201)


class IncomingDeclineApi(APIView):
    @extend_schema(request=None, responses=s.IncomingSerializer)
    def post(self, request: Request, message_id: str) -> Response:
        user = signed_in_user(request)
        message = selectors.incoming_get(user=user, message_id=message_id, channel=API)
        message = services.transfer_decline(user=user, message=message, channel=API)
        return Response(s.IncomingSerializer(message).data)
