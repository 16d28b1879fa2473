"""Thin API views for the service directory and referrals: validate, call, serialise."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.models import Agency
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.models import Consent
from safepath.cases.selectors import case_queryset
from safepath.cases.services import ChildViewsInput
from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError
from safepath.core.pagination import Pagination
from safepath.core.schema import paginated
from safepath.referrals import catalogue, services
from safepath.referrals import serializers as s
from safepath.referrals.models import OperatingStatus, Referral, Service
from safepath.referrals.policies import ReferralAction, referral_policy, service_directory_policy
from safepath.referrals.selectors import (
    ReferralFilters,
    ServiceFilters,
    audit_referral_reads,
    escalations_open,
    pathway_suggestions,
    referral_for_action,
    referral_get,
    referral_list,
    referral_overdue_list,
    service_get,
    service_list,
    services_for_suggestions,
)
from safepath.referrals.status import service_status_report

PAGE_PARAMETERS = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


def _may_list_services(request: Request) -> None:
    if not service_directory_policy.user_may_list(signed_in_user(request)):
        raise NotFoundError(_("No such page."))


def _may_use_referrals(request: Request) -> None:
    if not referral_policy.user_has_permission(signed_in_user(request), ReferralAction.VIEW):
        raise NotFoundError(_("No such page."))


class ServiceListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(name, str)
            for name in ("service_type", "country", "admin_area", "city", "language", "gender")
        ]
        + [OpenApiParameter("age", int), *PAGE_PARAMETERS],
        responses=paginated(s.ServiceSerializer),
    )
    def get(self, request: Request) -> Response:
        """Active services, filtered; a service type finds its sub-types too."""
        _may_list_services(request)
        data = s.ServiceFilterSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        filters = dict(data.validated_data)
        if "agency" in filters:
            filters["agency"] = str(filters["agency"])
        paginator = Pagination()
        page = paginator.paginate_queryset(
            service_list(filters=ServiceFilters(**filters)), request, view=self
        )
        return paginator.get_paginated_response(s.ServiceSerializer(page or [], many=True).data)


class ServiceDetailApi(APIView):
    @extend_schema(responses=s.ServiceSerializer)
    def get(self, request: Request, service_id: str) -> Response:
        _may_list_services(request)
        return Response(s.ServiceSerializer(service_get(service_id=service_id)).data)


class ServiceStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=OperatingStatus.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    moved_to = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ServiceStatusApi(APIView):
    @extend_schema(request=ServiceStatusSerializer, responses={201: s.ServiceSerializer})
    def post(self, request: Request, service_id: str) -> Response:
        """Report whether the service runs (open, reduced, closed, moved), now."""
        user = signed_in_user(request)
        service = service_get(service_id=service_id)
        data = ServiceStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service_status_report(
            user=user, service=service, channel=Channel.API, **data.validated_data
        )
        return Response(
            s.ServiceSerializer(service_get(service_id=service_id)).data,
            status=status.HTTP_201_CREATED,
        )


class ServiceTypesApi(APIView):
    @extend_schema(responses=dict)
    def get(self, request: Request) -> Response:
        """The service taxonomy with its source."""
        _may_list_services(request)
        taxonomy = catalogue.taxonomy()
        return Response(
            {
                "version": taxonomy.version,
                "source": taxonomy.source,
                "types": [
                    {"code": t.code, "label": t.label, "parent": t.parent or None}
                    for t in taxonomy.types
                ],
            }
        )


def _paginated(request: Request, view: APIView, referrals: Any) -> Response:
    paginator = Pagination()
    page: list[Referral] = list(paginator.paginate_queryset(referrals, request, view=view) or [])
    audit_referral_reads(user=signed_in_user(request), referrals=page, channel=Channel.API)
    return paginator.get_paginated_response(s.ReferralListItemSerializer(page, many=True).data)


def _pick(model: Any, pk: Any, field: str, **scope: Any) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, **scope).first()
    if found is None:
        raise FieldValidationError({field: [_("Not found.")]})
    return found


class ReferralListCreateApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("direction", str, enum=["incoming", "outgoing"]),
            OpenApiParameter("status", str),
            OpenApiParameter("overdue", bool),
            *PAGE_PARAMETERS,
        ],
        responses=paginated(s.ReferralListItemSerializer),
    )
    def get(self, request: Request) -> Response:
        _may_use_referrals(request)
        params = request.query_params
        filters = ReferralFilters(
            direction=params.get("direction", "")[:10],
            status=params.get("status", "")[:10],
            overdue=params.get("overdue", "") in ("1", "true"),
        )
        return _paginated(
            request, self, referral_list(user=signed_in_user(request), filters=filters)
        )

    @extend_schema(request=s.ReferralCreateSerializer, responses={201: s.ReferralDetailSerializer})
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        _may_use_referrals(request)
        data = s.ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        case = case_queryset(user=user).filter(pk=fields["case"]).first()
        if case is None:
            raise NotFoundError(_("No such case."))
        referral = services.referral_create(
            user=user,
            case=case,
            data=services.ReferralInput(
                receiving_agency=_pick(Agency, fields["receiving_agency"], "receiving_agency"),
                service=_pick(Service, fields.get("service"), "service"),
                service_type=fields.get("service_type", ""),
                urgency=fields["urgency"],
                reason=fields["reason"],
                consent=_pick(Consent, fields.get("consent"), "consent", case=case),
                urgent_exception_reason=fields.get("urgent_exception_reason", ""),
                child_views=ChildViewsInput(**fields["child_views"]),
            ),
            channel=Channel.API,
        )
        fresh = referral_get(user=user, referral_id=referral.id, channel=Channel.API)
        return Response(s.ReferralDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)


class ReferralDetailApi(APIView):
    @extend_schema(responses=s.ReferralDetailSerializer)
    def get(self, request: Request, referral_id: str) -> Response:
        referral = referral_get(
            user=signed_in_user(request), referral_id=referral_id, channel=Channel.API
        )
        return Response(s.ReferralDetailSerializer(referral).data)


class _TransitionApi(APIView):
    """POST a version (and the transition's fields); answers the referral as it now is."""

    input_serializer: type[s.VersionSerializer] = s.VersionSerializer

    def apply(self, referral: Referral, fields: dict[str, Any], request: Request) -> None:
        raise NotImplementedError

    def post(self, request: Request, referral_id: str) -> Response:
        user = signed_in_user(request)
        referral = referral_for_action(user=user, referral_id=referral_id)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.apply(referral, dict(data.validated_data), request)
        fresh = referral_get(user=user, referral_id=referral_id, channel=Channel.API)
        return Response(s.ReferralDetailSerializer(fresh).data)


class ReferralAcceptApi(_TransitionApi):
    @extend_schema(request=s.VersionSerializer, responses=s.ReferralDetailSerializer)
    def post(self, request: Request, referral_id: str) -> Response:
        return super().post(request, referral_id)

    def apply(self, referral: Referral, fields: dict[str, Any], request: Request) -> None:
        services.referral_accept(
            user=signed_in_user(request),
            referral=referral,
            expected_version=fields["version"],
            channel=Channel.API,
        )


class ReferralDeclineApi(_TransitionApi):
    input_serializer = s.DeclineSerializer

    @extend_schema(request=s.DeclineSerializer, responses=s.ReferralDetailSerializer)
    def post(self, request: Request, referral_id: str) -> Response:
        return super().post(request, referral_id)

    def apply(self, referral: Referral, fields: dict[str, Any], request: Request) -> None:
        services.referral_decline(
            user=signed_in_user(request),
            referral=referral,
            expected_version=fields["version"],
            code=fields["code"],
            reason=fields["reason"],
            channel=Channel.API,
        )


class ReferralOutcomeApi(_TransitionApi):
    input_serializer = s.OutcomeSerializer

    @extend_schema(request=s.OutcomeSerializer, responses=s.ReferralDetailSerializer)
    def post(self, request: Request, referral_id: str) -> Response:
        return super().post(request, referral_id)

    def apply(self, referral: Referral, fields: dict[str, Any], request: Request) -> None:
        services.referral_outcome_report(
            user=signed_in_user(request),
            referral=referral,
            expected_version=fields["version"],
            outcome=fields["outcome"],
            outcome_on=fields["outcome_on"],
            note=fields["note"],
            channel=Channel.API,
        )


class ReferralWithdrawApi(_TransitionApi):
    input_serializer = s.WithdrawSerializer

    @extend_schema(request=s.WithdrawSerializer, responses=s.ReferralDetailSerializer)
    def post(self, request: Request, referral_id: str) -> Response:
        return super().post(request, referral_id)

    def apply(self, referral: Referral, fields: dict[str, Any], request: Request) -> None:
        services.referral_withdraw(
            user=signed_in_user(request),
            referral=referral,
            expected_version=fields["version"],
            reason=fields["reason"],
            channel=Channel.API,
        )


class ReferralConsentApi(_TransitionApi):
    input_serializer = s.ConsentAttachSerializer

    @extend_schema(request=s.ConsentAttachSerializer, responses=s.ReferralDetailSerializer)
    def post(self, request: Request, referral_id: str) -> Response:
        return super().post(request, referral_id)

    def apply(self, referral: Referral, fields: dict[str, Any], request: Request) -> None:
        consent = _pick(Consent, fields["consent"], "consent", case=referral.case_id)
        services.referral_consent_attach(
            user=signed_in_user(request),
            referral=referral,
            expected_version=fields["version"],
            consent=consent,
            channel=Channel.API,
        )


class ReferralOverdueApi(APIView):
    @extend_schema(parameters=PAGE_PARAMETERS, responses=paginated(s.ReferralListItemSerializer))
    def get(self, request: Request) -> Response:
        """Unanswered referrals past their deadline (supervisors)."""
        user = signed_in_user(request)
        if not referral_policy.user_has_permission(user, ReferralAction.VIEW_OVERDUE):
            raise PermissionDeniedError(_("Only supervisors see the overdue list."))
        return _paginated(request, self, referral_overdue_list(user=user))


class EscalationListApi(APIView):
    @extend_schema(parameters=PAGE_PARAMETERS, responses=paginated(s.EscalationSerializer))
    def get(self, request: Request) -> Response:
        """Overdue referrals brought to the caller's attention, still unanswered."""
        _may_use_referrals(request)
        paginator = Pagination()
        page = paginator.paginate_queryset(
            escalations_open(user=signed_in_user(request)), request, view=self
        )
        return paginator.get_paginated_response(s.EscalationSerializer(page or [], many=True).data)


class CaseSuggestionsApi(APIView):
    @extend_schema(responses=s.SuggestionSerializer(many=True))
    def get(self, request: Request, case_id: str) -> Response:
        """Service types the referral pathway recommends for this case, in order."""
        user = signed_in_user(request)
        case = case_queryset(user=user).select_related("owner_agency").filter(pk=case_id).first()
        if case is None or not referral_policy.user_may_refer(user, case):
            raise NotFoundError(_("No such case."))
        suggestions = pathway_suggestions(case)
        offered = services_for_suggestions(case, suggestions)
        return Response(
            s.SuggestionSerializer(suggestions, many=True, context={"offered": offered}).data
        )
