"""Thin API views under /api/v1/evidence/: validate, call a selector or service, serialise."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.evidence import services
from safepath.evidence.engine import formats
from safepath.evidence.engine.tables import DEFAULT_K, Table
from safepath.evidence.models import Release
from safepath.evidence.policies import EvidenceAction, evidence_policy
from safepath.evidence.selectors import budget_for, release_get, release_list, source_list


class TableRequestSerializer(serializers.Serializer[Any]):
    source = serializers.CharField(max_length=40)  # type: ignore[assignment]
    by = serializers.ListField(
        child=serializers.CharField(max_length=60), min_length=1, max_length=5
    )
    where = serializers.DictField(required=False, default=dict)
    k = serializers.IntegerField(required=False, default=DEFAULT_K)
    epsilon = serializers.FloatField(required=False, allow_null=True, default=None)


class ReleaseCreateSerializer(TableRequestSerializer):
    title = serializers.CharField(max_length=200, required=False, default="")


class ReviewSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


def _release_summary(release: Release) -> dict[str, Any]:
    return {
        "id": str(release.id),
        "title": release.title,
        "source": release.source,
        "status": release.status,
        "parameters": release.parameters,
        "approved": release.approved,
        "created_at": release.created_at.isoformat(),
        "submitted_at": release.submitted_at.isoformat() if release.submitted_at else None,
        "reviewed_at": release.reviewed_at.isoformat() if release.reviewed_at else None,
        "review_note": release.review_note,
        "published_at": release.published_at.isoformat() if release.published_at else None,
    }


def _release_detail(user: User, release: Release) -> dict[str, Any]:
    """The release with its table; with k below 11, the table is null (``table_withheld``)
    until the release is approved, except for the data-protection officer reviewing it."""
    visible = evidence_policy.user_may_see_result(user, release)
    return {
        **_release_summary(release),
        "methodology": release.methodology,
        "table": release.result if visible else None,
        "table_withheld": not visible,
    }


# A list of free-form objects (sources and releases are answered as lists, not one object).
OBJECTS = {"type": "array", "items": {"type": "object", "additionalProperties": {}}}


class SourceListApi(APIView):
    @extend_schema(responses={200: OBJECTS})
    def get(self, request: Request) -> Response:
        """Sources in the analysis store and their dimensions."""
        return Response([s.to_json() for s in source_list(user=signed_in_user(request))])


class TableApi(APIView):
    @extend_schema(
        request=TableRequestSerializer,
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        """A protected table on demand (threshold + secondary suppression, or DP with epsilon)."""
        data = TableRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        table = services.table_compute(
            user=signed_in_user(request), channel=Channel.API, **data.validated_data
        )
        return Response(table.to_json())


class ReleaseListCreateApi(APIView):
    @extend_schema(operation_id="v1_evidence_releases_list", responses={200: OBJECTS})
    def get(self, request: Request) -> Response:
        releases = release_list(user=signed_in_user(request))[:200]
        return Response([_release_summary(r) for r in releases])

    @extend_schema(
        request=ReleaseCreateSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        if not evidence_policy.user_has_permission(user, EvidenceAction.DRAFT):
            raise PermissionDeniedError(_("Your role does not draft releases."))
        data = ReleaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        release = services.release_draft(actor=user, channel=Channel.API, **data.validated_data)
        return Response(_release_detail(user, release), status=status.HTTP_201_CREATED)


class ReleaseDetailApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, release_id: uuid.UUID) -> Response:
        user = signed_in_user(request)
        release = release_get(user=user, release_id=release_id)
        return Response(_release_detail(user, release))


class ReleaseSubmitApi(APIView):
    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, release_id: uuid.UUID) -> Response:
        release = services.release_submit(actor=signed_in_user(request), release_id=release_id)
        return Response(_release_summary(release))


class ReleaseReviewApi(APIView):
    @extend_schema(
        request=ReviewSerializer, responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT}
    )
    def post(self, request: Request, release_id: uuid.UUID) -> Response:
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        release = services.release_review(
            actor=signed_in_user(request), release_id=release_id, **data.validated_data
        )
        return Response(_release_summary(release))


class ReleasePublishApi(APIView):
    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, release_id: uuid.UUID) -> Response:
        release = services.release_publish(actor=signed_in_user(request), release_id=release_id)
        return Response(_release_summary(release))


# What each download format is answered as (formats.render, and the methodology note)
DOWNLOAD_TYPES = (
    "application/json",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/markdown",
)


class ReleaseDownloadApi(APIView):
    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "fmt", str, OpenApiParameter.PATH, enum=[*formats.FORMATS, "methodology"]
            )
        ],
        responses={(200, mime): OpenApiTypes.BINARY for mime in DOWNLOAD_TYPES},
    )
    def get(self, request: Request, release_id: uuid.UUID, fmt: str) -> HttpResponse:
        """A published release as json, csv, xlsx, hxl, glotip or its methodology note (md)."""
        user = signed_in_user(request)
        release = release_get(user=user, release_id=release_id, action=EvidenceAction.DOWNLOAD)
        table = Table(cells=release.result["cells"], metadata=release.result["metadata"])
        if fmt == "methodology":
            content, mime, ext = release.methodology.encode(), "text/markdown", "md"
        elif fmt in formats.FORMATS:
            try:
                content, mime, ext = formats.render(table, fmt, methodology=release.methodology)
            except ValueError as error:
                raise NotFoundError(str(error)) from error
        else:
            raise NotFoundError(_("Unknown format."))
        audit_record(
            actor=Actor.of(user, Channel.API),
            action=Action.EXPORT,
            object_type=services.RELEASE,
            object_id=release.id,
            details={"format": fmt},
        )
        response = HttpResponse(content, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="release-{release.id}.{ext}"'
        return response


class BudgetApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, source: str) -> Response:
        """A source's privacy budget: total, spent, remaining."""
        known = {info.name for info in source_list(user=signed_in_user(request))}
        if source not in known:
            raise NotFoundError(_("No such source."))
        budget = budget_for(source)
        total = budget.total_epsilon if budget else services.DEFAULT_TOTAL_EPSILON
        spent = budget.spent() if budget else 0
        return Response(
            {
                "source": source,
                "total_epsilon": str(total),
                "spent": str(spent),
                "remaining": str(total - spent),
            }
        )
