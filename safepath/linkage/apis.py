"""Thin API views under /api/v1/linkage/: validate, call a selector or service, serialise.

A pair is serialised in full only for a reader of both cases; a reader of one case gets a
notice (their own case, and the name of the agency holding the other record), nothing more.
"""

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
from safepath.cases.models import Case
from safepath.core.exceptions import NotFoundError
from safepath.core.pagination import Pagination
from safepath.linkage import selectors as sel
from safepath.linkage import services as svc
from safepath.linkage.models import (
    CandidatePair,
    CandidateStatus,
    MatchRequest,
    MatchRun,
    PairStatus,
    PersonChange,
    TracingCandidate,
    TracingRequest,
)
from safepath.linkage.policies import LinkageAction, PairAccess, linkage_policy

PAGE_PARAMETERS = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


def _reviewer(request: Request) -> User:
    user = signed_in_user(request)
    if not linkage_policy.user_has_permission(user, LinkageAction.REVIEW):
        raise NotFoundError(_("No such page."))
    return user


def _tracer(request: Request) -> User:
    user = signed_in_user(request)
    if not linkage_policy.user_has_permission(user, LinkageAction.TRACE):
        raise NotFoundError(_("No such page."))
    return user


# --- serialisation ---------------------------------------------------------------------------
def _case_summary(case: Case, *, with_child: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(case.id),
        "reference": case.reference,
        "agency": case.owner_agency.name,
    }
    if with_child:
        child = case.child
        data["child"] = {
            "given_name": child.given_name,
            "family_name": child.family_name,
            "other_names": child.other_names,
            "sex": child.sex,
            "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
            "nationality": child.nationality,
        }
    return data


def _evidence(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "field": row.field,
            "level": row.level,
            "bayes_factor": row.bayes_factor,
            "log2_bayes_factor": row.log2_bayes_factor,
            "sentence": row.sentence,
        }
        for row in sel.evidence_rows(evidence)
    ]


def pair_data(pair: CandidatePair, access: PairAccess, *, detail: bool) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": str(pair.id),
        "access": access.value,
        "status": pair.status,
        "match_probability": round(pair.match_probability, 4),
    }
    if access == PairAccess.FULL:
        base.update(
            version=pair.version,
            case_1=_case_summary(pair.case_1, with_child=True),
            case_2=_case_summary(pair.case_2, with_child=True),
        )
        if detail:
            base["evidence"] = _evidence(pair.evidence)
        return base
    sees_first = bool(getattr(pair, "sees_1", False))
    mine, other = (pair.case_1, pair.case_2) if sees_first else (pair.case_2, pair.case_1)
    base.update(
        your_case=_case_summary(mine, with_child=False),
        other_agency=other.owner_agency.name,
        notice=_("A possible duplicate is held by %(agency)s.")
        % {"agency": other.owner_agency.name},
    )
    return base


def _access_of(pair: CandidatePair) -> PairAccess:
    both = bool(getattr(pair, "sees_1", False)) and bool(getattr(pair, "sees_2", False))
    return PairAccess.FULL if both else PairAccess.NOTICE


class DecisionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=2000)


class RunSerializer(serializers.Serializer[Any]):
    threshold = serializers.FloatField(required=False, default=svc.DEFAULT_THRESHOLD)


class SplitSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    children = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
    reason = serializers.CharField(max_length=2000)


class RevertSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class AnswerSerializer(serializers.Serializer[Any]):
    accept = serializers.BooleanField()


class ReturnedMatchSerializer(serializers.Serializer[Any]):
    local_record_id = serializers.CharField(max_length=64)
    remote_record_id = serializers.CharField(max_length=64)
    score = serializers.FloatField()


class CrossBorderSerializer(serializers.Serializer[Any]):
    counterpart = serializers.CharField(max_length=100)
    matches = serializers.ListField(child=ReturnedMatchSerializer(), max_length=10_000)


class TracingRequestSerializer(serializers.Serializer[Any]):
    sought_given_name = serializers.CharField(max_length=200)
    sought_family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sought_other_names = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False
    )
    sought_sex = serializers.ChoiceField(
        choices=["female", "male", "other", "unknown"], required=False
    )
    sought_date_of_birth = serializers.DateField(required=False, allow_null=True)
    sought_birth_year = serializers.IntegerField(required=False, allow_null=True)
    sought_place_of_birth = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sought_nationality = serializers.CharField(max_length=2, required=False, allow_blank=True)
    last_seen_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    mother_given_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    father_given_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    requester_name = serializers.CharField(max_length=200)
    requester_relation = serializers.CharField(max_length=40)
    requester_contact = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CandidateUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=CandidateStatus.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    reunified_on = serializers.DateField(required=False, allow_null=True, default=None)
    reunification_place = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


def run_data(run: MatchRun) -> dict[str, Any]:
    return {
        "id": str(run.id),
        "scope": run.scope,
        "status": run.status,
        "threshold": run.threshold,
        "record_count": run.record_count,
        "pair_count": run.pair_count,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


def change_data(change: PersonChange, *, with_reason: bool = True) -> dict[str, Any]:
    return {
        "id": str(change.id),
        "kind": change.kind,
        "person": str(change.person_id),
        "other_person": str(change.other_person_id) if change.other_person_id else None,
        "pair": str(change.pair_id) if change.pair_id else None,
        "reverts": str(change.reverts_id) if change.reverts_id else None,
        "reason": change.reason if with_reason else None,
        "before": change.before,
        "after": change.after,
        "actor": change.actor.username,
        "at": change.at.isoformat(),
    }


def request_data(item: MatchRequest) -> dict[str, Any]:
    return {
        "id": str(item.id),
        "kind": item.kind,
        "status": item.status,
        "pair": str(item.pair_id) if item.pair_id else None,
        "requesting_agency": item.requesting_agency.name,
        "holding_agency": item.holding_agency.name if item.holding_agency else None,
        "counterpart": item.counterpart,
        "local_record_id": item.local_record_id,
        "remote_record_id": item.remote_record_id,
        "score": item.score,
        "created_at": item.created_at.isoformat(),
    }


def tracing_data(item: TracingRequest) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(item.id), "status": item.status, "version": item.version}
    for name in svc.TRACING_FIELDS:
        data[name] = getattr(item, name)
    data["created_at"] = item.created_at.isoformat()
    return data


def candidate_data(item: TracingCandidate) -> dict[str, Any]:
    """A candidate: the case reference and the agency holding it, never the child's data."""
    return {
        "id": str(item.id),
        "version": item.version,
        "status": item.status,
        "match_probability": round(item.match_probability, 4),
        "case_reference": item.case.reference,
        "agency": item.case.owner_agency.name,
        "evidence": _evidence(item.evidence),
        "note": item.note,
        "reunified_on": item.reunified_on.isoformat() if item.reunified_on else None,
    }


# --- pairs -----------------------------------------------------------------------------------
class PairListApi(APIView):
    @extend_schema(
        operation_id="linkage_pairs_list",
        parameters=[OpenApiParameter("status", str), *PAGE_PARAMETERS],
        responses=dict[str, Any],
    )
    def get(self, request: Request) -> Response:
        """The review queue: pairs in sight, most probable first. Audited as reads."""
        user = _reviewer(request)
        wanted = request.query_params.get("status", PairStatus.PENDING)
        if wanted not in PairStatus.values:
            raise NotFoundError(_("No such status."))
        paginator = Pagination()
        rows = paginator.paginate_queryset(sel.pair_queue(user=user, status=wanted), request, self)
        rows = rows or []
        sel.audit_pair_reads(user=user, pairs=rows, channel=Channel.API)
        data = [pair_data(pair, _access_of(pair), detail=False) for pair in rows]
        return paginator.get_paginated_response(data)


class PairDetailApi(APIView):
    @extend_schema(responses=dict[str, Any])
    def get(self, request: Request, pair_id: str) -> Response:
        user = _reviewer(request)
        view = sel.pair_get(user=user, pair_id=pair_id, channel=Channel.API)
        return Response(pair_data(_annotated(view), view.access, detail=True))


def _annotated(view: sel.PairView) -> CandidatePair:
    pair = view.pair
    pair.sees_1 = view.full or view.seen_case == pair.case_1  # type: ignore[attr-defined]
    pair.sees_2 = view.full or view.seen_case == pair.case_2  # type: ignore[attr-defined]
    return pair


class PairDecisionApi(APIView):
    decision = "confirm"

    @extend_schema(request=DecisionSerializer, responses=dict[str, Any])
    def post(self, request: Request, pair_id: str) -> Response:
        user = _reviewer(request)
        pair = _visible_pair(user, pair_id)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decide = svc.pair_confirm if self.decision == "confirm" else svc.pair_reject
        decided = decide(
            user=user,
            pair=pair,
            expected_version=data.validated_data["version"],
            reason=data.validated_data["reason"],
            channel=Channel.API,
        )
        person = sel.person_of_case(case=decided.case_1)
        return Response(
            {
                "id": str(decided.id),
                "status": decided.status,
                "version": decided.version,
                "person": str(person.pk) if person else None,
            }
        )


def _visible_pair(user: User, pair_id: str) -> CandidatePair:
    pair = linkage_policy.pairs_user_may_see(user).filter(pk=pair_id).first()
    if pair is None:
        raise NotFoundError(_("No such candidate pair."))
    return pair


class SharingRequestApi(APIView):
    @extend_schema(request=None, responses={201: dict[str, Any]})
    def post(self, request: Request, pair_id: str) -> Response:
        user = _reviewer(request)
        item = svc.sharing_request_create(
            user=user, pair=_visible_pair(user, pair_id), channel=Channel.API
        )
        item = sel.match_request_get(user=user, request_id=item.pk)
        return Response(request_data(item), status=status.HTTP_201_CREATED)


class CasePersonApi(APIView):
    @extend_schema(responses=dict[str, Any])
    def get(self, request: Request, case_id: str) -> Response:
        """The SafePath person of a case's child (null until a confirmed match links it)."""
        user = _reviewer(request)
        case = linkage_policy.visible_cases(user).filter(pk=case_id).first()
        if case is None:
            raise NotFoundError(_("No such case."))
        person = sel.person_of_case(case=case)
        return Response({"case": str(case.pk), "person": str(person.pk) if person else None})


# --- runs ------------------------------------------------------------------------------------
class RunListApi(APIView):
    @extend_schema(request=RunSerializer, responses={202: dict[str, Any]})
    def post(self, request: Request) -> Response:
        """Queue a deduplication run over the cases you may see; its pairs join the queue."""
        user = _reviewer(request)
        data = RunSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = svc.match_run_start(
            user=user, threshold=data.validated_data["threshold"], channel=Channel.API
        )
        run.refresh_from_db()
        return Response(run_data(run), status=status.HTTP_202_ACCEPTED)


class RunDetailApi(APIView):
    @extend_schema(responses=dict[str, Any])
    def get(self, request: Request, run_id: str) -> Response:
        user = _reviewer(request)
        run = MatchRun.objects.filter(pk=run_id, requested_by=user).first()
        if run is None:
            raise NotFoundError(_("No such run."))
        return Response(run_data(run))


# --- persons ---------------------------------------------------------------------------------
class PersonDetailApi(APIView):
    @extend_schema(responses=dict[str, Any])
    def get(self, request: Request, person_id: str) -> Response:
        user = _reviewer(request)
        view = sel.person_get(user=user, person_id=person_id, channel=Channel.API)
        return Response(
            {
                "id": str(view.person.id),
                "version": view.person.version,
                "merged_into": str(view.person.merged_into_id)
                if view.person.merged_into_id
                else None,
                "records": [
                    _case_summary(member.case, with_child=True)
                    if member.case
                    else {"agency": member.agency_name, "held_elsewhere": True}
                    for member in view.members
                ],
                # A reader of part of the person gets the dates and kinds, not the reasons
                # (free text that may speak of the records they cannot see).
                "history": [
                    change_data(change, with_reason=view.sees_all) for change in view.changes
                ],
            }
        )


class PersonSplitApi(APIView):
    @extend_schema(request=SplitSerializer, responses={201: dict[str, Any]})
    def post(self, request: Request, person_id: str) -> Response:
        user = _reviewer(request)
        view = sel.person_get(user=user, person_id=person_id, channel=Channel.API)
        data = SplitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = svc.person_split(
            user=user,
            person=view.person,
            child_ids=[str(pk) for pk in data.validated_data["children"]],
            reason=data.validated_data["reason"],
            expected_version=data.validated_data["version"],
            channel=Channel.API,
        )
        return Response(change_data(change), status=status.HTTP_201_CREATED)


class ChangeRevertApi(APIView):
    @extend_schema(request=RevertSerializer, responses={201: dict[str, Any]})
    def post(self, request: Request, change_id: str) -> Response:
        user = _reviewer(request)
        change = sel.change_get(user=user, change_id=change_id)
        data = RevertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revert = svc.person_change_revert(
            user=user, change=change, reason=data.validated_data["reason"], channel=Channel.API
        )
        return Response(change_data(revert), status=status.HTTP_201_CREATED)


# --- formal requests -------------------------------------------------------------------------
class MatchRequestListApi(APIView):
    @extend_schema(parameters=PAGE_PARAMETERS, responses=dict[str, Any])
    def get(self, request: Request) -> Response:
        user = _reviewer(request)
        paginator = Pagination()
        rows = paginator.paginate_queryset(sel.match_request_list(user=user), request, self)
        return paginator.get_paginated_response([request_data(row) for row in rows or []])


class MatchRequestAnswerApi(APIView):
    @extend_schema(request=AnswerSerializer, responses=dict[str, Any])
    def post(self, request: Request, request_id: str) -> Response:
        user = _reviewer(request)
        item = sel.match_request_get(user=user, request_id=request_id)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = svc.match_request_answer(
            user=user, request=item, accept=data.validated_data["accept"], channel=Channel.API
        )
        return Response(request_data(sel.match_request_get(user=user, request_id=answered.pk)))


class CrossBorderMatchesApi(APIView):
    @extend_schema(request=CrossBorderSerializer, responses={201: dict[str, Any]})
    def post(self, request: Request) -> Response:
        """Record a counterpart's matches (pairs of record ids and scores) as formal requests."""
        user = _reviewer(request)
        data = CrossBorderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = svc.match_requests_record(
            user=user,
            counterpart=data.validated_data["counterpart"],
            matches=[svc.ReturnedMatch(**row) for row in data.validated_data["matches"]],
            channel=Channel.API,
        )
        return Response(
            {"created": [str(item.pk) for item in created]}, status=status.HTTP_201_CREATED
        )


# --- tracing ---------------------------------------------------------------------------------
class TracingListApi(APIView):
    @extend_schema(
        operation_id="linkage_tracing_list", parameters=PAGE_PARAMETERS, responses=dict[str, Any]
    )
    def get(self, request: Request) -> Response:
        user = _tracer(request)
        paginator = Pagination()
        rows = paginator.paginate_queryset(sel.tracing_request_list(user=user), request, self)
        rows = rows or []
        sel.audit_tracing_reads(user=user, requests=rows, channel=Channel.API)
        return paginator.get_paginated_response([tracing_data(row) for row in rows])

    @extend_schema(request=TracingRequestSerializer, responses={201: dict[str, Any]})
    def post(self, request: Request) -> Response:
        user = _tracer(request)
        data = TracingRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = svc.tracing_request_create(
            user=user, values=dict(data.validated_data), channel=Channel.API
        )
        return Response(tracing_data(item), status=status.HTTP_201_CREATED)


class TracingDetailApi(APIView):
    @extend_schema(responses=dict[str, Any])
    def get(self, request: Request, request_id: str) -> Response:
        user = _tracer(request)
        item = sel.tracing_request_get(user=user, request_id=request_id, channel=Channel.API)
        data = tracing_data(item)
        data["candidates"] = [candidate_data(c) for c in sel.tracing_candidates(request=item)]
        return Response(data)


class TracingSearchApi(APIView):
    @extend_schema(request=None, responses=dict[str, Any])
    def post(self, request: Request, request_id: str) -> Response:
        """Compare the request with the children whose consent to tracing is in force."""
        user = _tracer(request)
        item = sel.tracing_request_get(user=user, request_id=request_id, channel=Channel.API)
        svc.tracing_search(user=user, request=item, channel=Channel.API)
        item.refresh_from_db()
        data = tracing_data(item)
        data["candidates"] = [candidate_data(c) for c in sel.tracing_candidates(request=item)]
        return Response(data)


class TracingCandidateApi(APIView):
    @extend_schema(request=CandidateUpdateSerializer, responses=dict[str, Any])
    def post(self, request: Request, candidate_id: str) -> Response:
        """Record the next step: verification, verified, reunification referral, or ruled out."""
        user = _tracer(request)
        candidate = sel.tracing_candidate_get(user=user, candidate_id=candidate_id)
        data = CandidateUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = svc.tracing_candidate_update(
            user=user,
            candidate=candidate,
            status=data.validated_data["status"],
            note=data.validated_data["note"],
            expected_version=data.validated_data["version"],
            channel=Channel.API,
            reunified_on=data.validated_data["reunified_on"],
            reunification_place=data.validated_data["reunification_place"],
        )
        fresh = sel.tracing_candidates(request=updated.request).get(pk=updated.pk)
        return Response(candidate_data(fresh))
