"""Thin API views: webhook subscriptions and their delivery log, API clients (administrator);
the integrations endpoints an API client calls (a system's key, never a person's token)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.core.exceptions import NotFoundError
from safepath.core.pagination import Pagination
from safepath.core.schema import paginated
from safepath.notify import clients, webhooks
from safepath.notify import webhook_serializers as s
from safepath.notify.events import EVENTS
from safepath.notify.models import ApiClient
from safepath.notify.schema import component_name
from safepath.notify.selectors import api_client_list, webhook_delivery_log, webhook_list
from safepath.referrals.models import Referral


def _subscription_input(request: Request) -> webhooks.SubscriptionInput:
    data = s.SubscriptionInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return webhooks.SubscriptionInput(**data.validated_data)


class WebhookListApi(APIView):
    @extend_schema(responses=s.SubscriptionSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Every webhook subscription (system administrator)."""
        subs = webhook_list(user=signed_in_user(request))
        return Response(s.SubscriptionSerializer(subs, many=True).data)

    @extend_schema(
        request=s.SubscriptionInputSerializer, responses={201: s.SubscriptionSecretSerializer}
    )
    def post(self, request: Request) -> Response:
        """Subscribe an external system: HTTPS, a public address, events, agencies, and the data
        categories its payloads may carry (case_facts, plan at most). The answer holds the
        signing secret, once."""
        subscription, secret = webhooks.webhook_subscribe(
            user=signed_in_user(request), data=_subscription_input(request), channel=Channel.API
        )
        body = {**s.SubscriptionSerializer(subscription).data, "secret": secret}
        return Response(body, status=201)


class WebhookDetailApi(APIView):
    @extend_schema(responses=s.SubscriptionSerializer)
    def get(self, request: Request, subscription_id: str) -> Response:
        sub = webhooks.subscription_get(
            user=signed_in_user(request), subscription_id=subscription_id
        )
        return Response(s.SubscriptionSerializer(sub).data)

    @extend_schema(request=s.SubscriptionInputSerializer, responses=s.SubscriptionSerializer)
    def put(self, request: Request, subscription_id: str) -> Response:
        sub = webhooks.webhook_update(
            user=signed_in_user(request),
            subscription_id=subscription_id,
            data=_subscription_input(request),
            channel=Channel.API,
        )
        return Response(s.SubscriptionSerializer(sub).data)


class WebhookPauseApi(APIView):
    paused = True

    @extend_schema(request=None, responses=s.SubscriptionSerializer)
    def post(self, request: Request, subscription_id: str) -> Response:
        """Pause (deliveries wait, nothing is lost) or resume (the waiting ones go at once)."""
        sub = webhooks.webhook_set_paused(
            user=signed_in_user(request),
            subscription_id=subscription_id,
            paused=self.paused,
            channel=Channel.API,
        )
        return Response(s.SubscriptionSerializer(sub).data)


class WebhookResumeApi(WebhookPauseApi):
    paused = False


class WebhookRotateApi(APIView):
    @extend_schema(request=None, responses=s.SubscriptionSecretSerializer)
    def post(self, request: Request, subscription_id: str) -> Response:
        """A new signing secret (shown once); the old one stops at once."""
        sub, secret = webhooks.webhook_secret_rotate(
            user=signed_in_user(request), subscription_id=subscription_id, channel=Channel.API
        )
        return Response({**s.SubscriptionSerializer(sub).data, "secret": secret})


class WebhookTestApi(APIView):
    @extend_schema(request=None, responses={202: s.DeliverySerializer})
    def post(self, request: Request, subscription_id: str) -> Response:
        """Send a ``webhook.test`` message to this subscriber (by the worker)."""
        delivery = webhooks.webhook_send_test(
            user=signed_in_user(request), subscription_id=subscription_id, channel=Channel.API
        )
        return Response(s.DeliverySerializer(delivery).data, status=202)


class WebhookDeliveryListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["pending", "sending", "sent", "failed"]),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=paginated(s.DeliverySerializer),
    )
    def get(self, request: Request, subscription_id: str) -> Response:
        """The subscription's delivery log, newest first: attempts, answers, errors, payloads."""
        user = signed_in_user(request)
        sub = webhooks.subscription_get(user=user, subscription_id=subscription_id)
        log = webhook_delivery_log(
            user=user, subscription=sub, status=request.query_params.get("status", "")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(log, request, view=self)
        return paginator.get_paginated_response(s.DeliverySerializer(page or [], many=True).data)


class WebhookReplayApi(APIView):
    @extend_schema(request=None, responses={202: s.DeliverySerializer})
    def post(self, request: Request, delivery_id: str) -> Response:
        """Send a past delivery again: same body and webhook-id, new timestamp and signature."""
        replay = webhooks.webhook_replay(
            user=signed_in_user(request), delivery_id=delivery_id, channel=Channel.API
        )
        return Response(s.DeliverySerializer(replay).data, status=202)


class WebhookEventListApi(APIView):
    @extend_schema(responses=s.EventTypeSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The events a system may subscribe to, each key of their data with its category."""
        webhook_list(user=signed_in_user(request))  # administrator only
        return Response(
            [
                {
                    "type": event.type,
                    "title": str(event.title),
                    "keys": event.keys,
                    "schema": component_name(event.type),
                }
                for event in EVENTS.values()
            ]
        )


# --- API clients (administrator) -----------------------------------------------------------------


class ApiClientListApi(APIView):
    @extend_schema(responses=s.ClientSerializer(many=True))
    def get(self, request: Request) -> Response:
        found = api_client_list(user=signed_in_user(request))
        return Response(s.ClientSerializer(found, many=True).data)

    @extend_schema(request=s.ClientInputSerializer, responses={201: s.ClientKeySerializer})
    def post(self, request: Request) -> Response:
        """A credential for a system, scoped to agencies and purposes; the key is shown once."""
        data = s.ClientInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        client, key = clients.api_client_create(
            user=signed_in_user(request),
            data=clients.ClientInput(**data.validated_data),
            channel=Channel.API,
        )
        return Response({**s.ClientSerializer(client).data, "key": key}, status=201)


class ApiClientRotateApi(APIView):
    @extend_schema(request=None, responses=s.ClientKeySerializer)
    def post(self, request: Request, client_id: str) -> Response:
        """A new key (shown once); the old one stops working at once."""
        client, key = clients.api_client_rotate(
            user=signed_in_user(request), client_id=client_id, channel=Channel.API
        )
        return Response({**s.ClientSerializer(client).data, "key": key})


class ApiClientRevokeApi(APIView):
    @extend_schema(request=None, responses=s.ClientSerializer)
    def post(self, request: Request, client_id: str) -> Response:
        client = clients.api_client_revoke(
            user=signed_in_user(request), client_id=client_id, channel=Channel.API
        )
        return Response(s.ClientSerializer(client).data)


# --- what an API client calls --------------------------------------------------------------------


class IntegrationApi(APIView):
    """Authenticated by an API client's key only; throttled per client."""

    authentication_classes = [clients.ApiClientAuthentication]
    permission_classes = [clients.IsApiClient]
    throttle_classes = [clients.ApiClientThrottle]

    def client(self, request: Request) -> ApiClient:
        client: Any = request.user
        if not isinstance(client, ApiClient):  # IsApiClient let nobody else in
            raise NotFoundError("No such page.")
        return client


class IntegrationWhoamiApi(IntegrationApi):
    @extend_schema(responses=s.IntegrationWhoamiSerializer)
    def get(self, request: Request) -> Response:
        """Which client this key is, its agencies and purposes."""
        client = self.client(request)
        return Response(
            {
                "id": str(client.id),
                "name": client.name,
                "agencies": sorted(str(a) for a in client.agencies.values_list("id", flat=True)),
                "purposes": client.purposes,
            }
        )


def _not_found() -> NotFoundError:
    return NotFoundError("No such record for this client.")


class IntegrationReferralApi(IntegrationApi):
    @extend_schema(responses=s.IntegrationReferralSerializer)
    def get(self, request: Request, referral_id: str) -> Response:
        """A referral's current state (references, agencies, service, status; never a name),
        for a client with ``referral_tracking`` for one of the two agencies. Audited."""
        client = self.client(request)
        referral = Referral.objects.select_related("case").filter(pk=referral_id).first()
        if referral is None or not clients.client_may(
            client,
            "referral_tracking",
            [referral.referring_agency_id, referral.receiving_agency_id],
        ):
            raise _not_found()
        clients.client_read_audit(client, "referral", referral.id, "referral_tracking")
        return Response(
            {
                "referral_id": str(referral.id),
                "case_id": str(referral.case_id),
                "reference": referral.case.reference,
                "referring_agency": str(referral.referring_agency_id),
                "receiving_agency": str(referral.receiving_agency_id),
                "service_type": referral.service_type,
                "urgency": referral.urgency,
                "status": referral.status,
                "due_at": referral.due_at,
                "decline_code": referral.decline_code,
            }
        )


class IntegrationCaseApi(IntegrationApi):
    @extend_schema(responses=s.IntegrationCaseSerializer)
    def get(self, request: Request, reference: str) -> Response:
        """A case's status by its reference, for a client with ``case_status`` for the owning
        agency (no content of the case, no name). Audited."""
        client = self.client(request)
        case: Any = Case.objects.filter(reference=reference.upper()).first()
        if case is None or not clients.client_may(client, "case_status", [case.owner_agency_id]):
            raise _not_found()
        clients.client_read_audit(client, "case", case.id, "case_status")
        return Response(
            {
                "case_id": str(case.id),
                "reference": case.reference,
                "owner_agency": str(case.owner_agency_id),
                "status": case.status,
                "status_changed_at": case.status_changed_at,
            }
        )
