"""Thin API views: validate, call a selector or service, serialise."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.models import Agency, User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases import serializers as s
from safepath.cases.duplicates import registration_duplicates_check
from safepath.cases.models import Case, Consent
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.scopes import redact, visible_categories, visible_categories_many
from safepath.cases.search import case_name_search
from safepath.cases.selectors import (
    CaseFilters,
    audit_case_reads,
    case_for_action,
    case_get,
    case_list,
)
from safepath.cases.services import (
    CaseInput,
    ChildInput,
    case_assign,
    case_assignment_end,
    case_register,
    case_share,
    case_update,
    consent_record,
    consent_withdraw,
)
from safepath.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from safepath.core.pagination import Pagination
from safepath.core.schema import paginated


def _paginated_cases(
    request: Request, view: APIView, filters: CaseFilters, name: str = ""
) -> Response:
    """A page of cases; with ``name``, the forgiving name search, each with why it matched."""
    user = signed_in_user(request)
    paginator = Pagination()
    reasons: dict[Any, str] = {}
    if name.strip():
        hits, _truncated = case_name_search(user=user, name=name, filters=filters)
        reasons = {hit.case.id: hit.reason for hit in hits}
        page = paginator.paginate_queryset([hit.case for hit in hits], request, view=view)
    else:
        page = paginator.paginate_queryset(
            case_list(user=user, filters=filters), request, view=view
        )
    rows = page or []
    audit_case_reads(user=user, cases=rows, channel=Channel.API)
    categories = visible_categories_many(user, rows)
    data = [
        redact(item, categories[case.id]) | ({"match_reason": reasons[case.id]} if reasons else {})
        for case, item in zip(rows, s.CaseListItemSerializer(rows, many=True).data, strict=True)
    ]
    return paginator.get_paginated_response(data)


def _detail(user: User, case: Case) -> dict[str, Any]:
    """The case as ``user`` may see it: fields outside their consent's categories withheld."""
    return redact(s.CaseDetailSerializer(case).data, visible_categories(user, case))


PAGE_PARAMETERS = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


class CaseListCreateApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("reference", str),
            *PAGE_PARAMETERS,
        ],
        responses=paginated(s.CaseListItemSerializer),
    )
    def get(self, request: Request) -> Response:
        """Visible cases, newest first. Names are searched with POST .../search/, never in a URL."""
        filters = CaseFilters(
            status=request.query_params.get("status", "")[:20],
            reference=request.query_params.get("reference", "")[:20],
        )
        return _paginated_cases(request, self, filters)

    @extend_schema(request=s.CaseCreateSerializer, responses={201: s.CaseCreatedSerializer})
    def post(self, request: Request) -> Response:
        if not case_policy.user_has_permission(signed_in_user(request), CaseAction.CREATE):
            raise PermissionDeniedError(_("Your role does not register cases."))
        data = s.CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        child = ChildInput(**fields.pop("child"))
        case = case_register(
            user=signed_in_user(request), child=child, case=CaseInput(**fields), channel=Channel.API
        )
        user = signed_in_user(request)
        check = registration_duplicates_check(user=user, case=case)
        case = case_get(user=user, case_id=case.id, channel=Channel.API)
        body = _detail(user, case)
        # only cases the caller may open; any other possible duplicate goes to a supervisor
        body["possible_duplicates"] = [
            {"id": str(other.id), "reference": other.reference} for other in check.visible
        ]
        return Response(body, status=status.HTTP_201_CREATED)


class CaseSearchApi(APIView):
    """Name search: ``given_name``/``family_name`` exactly (blind indexes), ``name`` forgivingly
    (any part, another spelling or script, an alias; each result says why it matched). Names
    travel in the body so they never reach URLs or access logs."""

    @extend_schema(
        request=s.CaseSearchSerializer,
        parameters=PAGE_PARAMETERS,
        responses=paginated(s.CaseListItemSerializer),
    )
    def post(self, request: Request) -> Response:
        data = s.CaseSearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        name = fields.pop("name", "")
        return _paginated_cases(request, self, CaseFilters(**fields), name=name)


class CaseDetailApi(APIView):
    @extend_schema(responses=s.CaseDetailSerializer)
    def get(self, request: Request, case_id: str) -> Response:
        # The purpose travels in a header, not the URL: free text stays out of access logs.
        purpose = request.headers.get("X-Access-Purpose", "")[:200]
        user = signed_in_user(request)
        case = case_get(user=user, case_id=case_id, channel=Channel.API, purpose=purpose)
        return Response(_detail(user, case))

    @extend_schema(request=s.CaseUpdateSerializer, responses=s.CaseDetailSerializer)
    def patch(self, request: Request, case_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.EDIT)
        data = s.CaseUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes: dict[str, Any] = dict(data.validated_data)
        version = changes.pop("version")
        changes.update(changes.pop("child", {}))
        case_update(
            user=user, case=case, expected_version=version, changes=changes, channel=Channel.API
        )
        fresh = case_get(user=user, case_id=case_id, channel=Channel.API)
        return Response(_detail(user, fresh))


class CaseAssignApi(APIView):
    @extend_schema(responses=s.AssignmentOutputSerializer(many=True))
    def get(self, request: Request, case_id: str) -> Response:
        """The open assignments of your own agency's staff to the case, for a supervisor who
        may assign it (each has the id that ends it)."""
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.ASSIGN)
        assignments = (
            case.assignments.filter(ended_at__isnull=True, user__agency=user.agency_id)
            .select_related("user")
            .order_by("assigned_at", "id")
        )
        return Response(s.AssignmentOutputSerializer(assignments, many=True).data)

    @extend_schema(request=s.AssignInputSerializer, responses={201: None})
    def post(self, request: Request, case_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.ASSIGN)
        data = s.AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignee = User.objects.filter(
            pk=data.validated_data["user"], agency=user.agency_id
        ).first()
        if assignee is None:
            raise NotFoundError(_("No such user in your agency."))
        assignment = case_assign(user=user, case=case, assignee=assignee, channel=Channel.API)
        return Response({"id": str(assignment.id)}, status=status.HTTP_201_CREATED)


class CaseAssignmentEndApi(APIView):
    @extend_schema(request=None, responses=s.AssignmentOutputSerializer)
    def post(self, request: Request, case_id: str, assignment_id: str) -> Response:
        """End an assignment: the person no longer reaches the case through it."""
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.ASSIGN)
        assignment = case.assignments.filter(pk=assignment_id).first()
        if assignment is None:
            raise NotFoundError(_("No such assignment on this case."))
        ended = case_assignment_end(user=user, assignment=assignment, channel=Channel.API)
        return Response(s.AssignmentOutputSerializer(ended).data)


class CaseConsentApi(APIView):
    @extend_schema(responses=s.ConsentOutputSerializer(many=True))
    def get(self, request: Request, case_id: str) -> Response:
        """The consents on a case, in force or not, for those who may share it."""
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.SHARE)
        consents = case.consents.select_related("recipient_agency").order_by("-recorded_at")
        return Response(s.ConsentOutputSerializer(consents, many=True).data)

    @extend_schema(request=s.ConsentInputSerializer, responses={201: None})
    def post(self, request: Request, case_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.SHARE)
        data = s.ConsentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        agency = Agency.objects.filter(pk=fields.pop("recipient_agency"), is_active=True).first()
        if agency is None:
            raise NotFoundError(_("No such agency."))
        consent = consent_record(
            user=user,
            case=case,
            recipient_agency=agency,
            expires_on=fields.pop("expires_on", None),
            channel=Channel.API,
            **fields,
        )
        return Response({"id": str(consent.id)}, status=status.HTTP_201_CREATED)


class ConsentWithdrawApi(APIView):
    """Withdraw a consent: every share resting on it ends at once."""

    @extend_schema(request=None, responses=s.ConsentOutputSerializer)
    def post(self, request: Request, case_id: str, consent_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.SHARE)
        consent = case.consents.filter(pk=consent_id).select_related("recipient_agency").first()
        if consent is None:
            raise NotFoundError(_("No such consent on this case."))
        if consent.withdrawn_at is not None:
            raise ConflictError(_("This consent is already withdrawn."))
        consent = consent_withdraw(user=user, consent=consent, channel=Channel.API)
        return Response(s.ConsentOutputSerializer(consent).data)


class CaseShareApi(APIView):
    @extend_schema(request=s.ShareInputSerializer, responses={201: None})
    def post(self, request: Request, case_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.SHARE)
        data = s.ShareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = Agency.objects.filter(pk=data.validated_data["agency"], is_active=True).first()
        consent = Consent.objects.filter(pk=data.validated_data["consent"], case=case).first()
        if agency is None or consent is None:
            raise NotFoundError(_("No such agency or consent."))
        share = case_share(
            user=user, case=case, agency=agency, consent=consent, channel=Channel.API
        )
        return Response({"id": str(share.id)}, status=status.HTTP_201_CREATED)
