"""Thin API views for the handbook's steps after a tracing match (verification by both sides,
follow-up visits) and for the agency's entries on the public mass-tracing lists."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.selectors import case_queryset
from safepath.core.exceptions import NotFoundError
from safepath.linkage import selectors as sel
from safepath.linkage import services as svc
from safepath.linkage.models import (
    FollowUpOutcome,
    PublicTracingListing,
    VerificationMethod,
    VerificationParty,
)
from safepath.linkage.policies import LinkageAction, linkage_policy
from safepath.linkage.services.reunification import both_sides_confirmed


def _tracer(request: Request) -> User:
    user = signed_in_user(request)
    if not linkage_policy.user_has_permission(user, LinkageAction.TRACE):
        raise NotFoundError(_("No such page."))
    return user


class VerificationSerializer(serializers.Serializer[Any]):
    party = serializers.ChoiceField(choices=VerificationParty.choices)
    relationship_confirmed = serializers.BooleanField()
    consents = serializers.BooleanField()
    method = serializers.ChoiceField(choices=VerificationMethod.choices)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FollowUpSerializer(serializers.Serializer[Any]):
    visited_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=FollowUpOutcome.choices)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ListingSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField()
    region = serializers.CharField(max_length=100)


def listing_data(listing: PublicTracingListing) -> dict[str, Any]:
    return {
        "id": str(listing.id),
        "public_reference": listing.public_reference,
        "region": listing.region,
        "case": str(listing.case_id),
        "listed_at": listing.listed_at.isoformat(),
        "withdrawn_at": listing.withdrawn_at.isoformat() if listing.withdrawn_at else None,
    }


class VerificationApi(APIView):
    @extend_schema(request=VerificationSerializer, responses={201: dict[str, Any]})
    def post(self, request: Request, candidate_id: str) -> Response:
        """One side's confirmation of the relationship and consent (family or child, apart)."""
        user = _tracer(request)
        candidate = sel.tracing_candidate_get(user=user, candidate_id=candidate_id)
        data = VerificationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = svc.tracing_verification_record(
            user=user, candidate=candidate, channel=Channel.API, **data.validated_data
        )
        return Response(
            {
                "id": str(record.id),
                "party": record.party,
                "relationship_confirmed": record.relationship_confirmed,
                "consents": record.consents,
                "both_sides_confirmed": both_sides_confirmed(record.candidate),
            },
            status=status.HTTP_201_CREATED,
        )


class FollowUpApi(APIView):
    @extend_schema(request=FollowUpSerializer, responses={201: dict[str, Any]})
    def post(self, request: Request, candidate_id: str) -> Response:
        """A follow-up visit after reunification."""
        user = _tracer(request)
        candidate = sel.tracing_candidate_get(user=user, candidate_id=candidate_id)
        data = FollowUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visit = svc.follow_up_visit_record(
            user=user, candidate=candidate, channel=Channel.API, **data.validated_data
        )
        return Response(
            {
                "id": str(visit.id),
                "visited_on": visit.visited_on.isoformat(),
                "outcome": visit.outcome,
                "visits": visit.candidate.follow_ups.count(),
                "required_before_closure": svc.follow_up_visits_required(),
            },
            status=status.HTTP_201_CREATED,
        )


class ListingListApi(APIView):
    @extend_schema(operation_id="linkage_tracing_listings", responses=dict[str, Any])
    def get(self, request: Request) -> Response:
        """The public-list entries of the cases the caller may see."""
        user = _tracer(request)
        visible = case_queryset(user=user)
        rows = PublicTracingListing.objects.filter(case__in=visible).order_by("-listed_at")[:500]
        return Response({"results": [listing_data(row) for row in rows]})

    @extend_schema(request=ListingSerializer, responses={201: dict[str, Any]})
    def post(self, request: Request) -> Response:
        """Put a child on the public mass-tracing list: a reference and a region only."""
        user = _tracer(request)
        data = ListingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_queryset(user=user).filter(pk=data.validated_data["case"]).first()
        if case is None:
            raise NotFoundError(_("No such case."))
        listing = svc.tracing_listing_publish(
            user=user, case=case, region=data.validated_data["region"], channel=Channel.API
        )
        return Response(listing_data(listing), status=status.HTTP_201_CREATED)


class ListingWithdrawApi(APIView):
    @extend_schema(request=None, responses=dict[str, Any])
    def post(self, request: Request, listing_id: str) -> Response:
        user = _tracer(request)
        visible = case_queryset(user=user)
        listing = PublicTracingListing.objects.filter(pk=listing_id, case__in=visible).first()
        if listing is None:
            raise NotFoundError(_("No such listing."))
        return Response(
            listing_data(
                svc.tracing_listing_withdraw(user=user, listing=listing, channel=Channel.API)
            )
        )


class PublicListApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    @extend_schema(operation_id="linkage_public_tracing_list", responses=dict[str, Any])
    def get(self, request: Request) -> Response:
        """The public mass-tracing list, open to anyone: reference and region, never a name."""
        region = str(request.query_params.get("region", ""))[:100]
        rows = svc.public_listings(region=region)[:2000]
        return Response(
            {"results": [{"reference": row.public_reference, "region": row.region} for row in rows]}
        )
