"""Thin API views for consultations: validate, call a service or selector, serialise."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import NotFoundError
from safepath.core.pagination import Pagination
from safepath.core.schema import paginated
from safepath.participation import consultations, information
from safepath.participation import serializers as s
from safepath.participation.policies import ConsultationAction, consultation_policy
from safepath.participation.selectors import (
    action_list,
    consultation_get,
    consultation_list,
    consultation_results,
    written_for_review,
)
from safepath.participation.services.consultations import (
    consultation_close,
    consultation_create,
    consultation_link_create,
    consultation_link_disable,
)
from safepath.participation.services.participants import participant_submit
from safepath.participation.services.review import answer_review
from safepath.participation.services.summaries import action_record, action_update, summary_draft

PAGE_PARAMETERS = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


def _may_view(request: Request) -> None:
    if not consultation_policy.user_has_permission(
        signed_in_user(request), ConsultationAction.VIEW
    ):
        raise NotFoundError(_("No such page."))


class ConsultationFileListApi(APIView):
    @extend_schema(responses=s.ConsultationFileSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The shipped consultation files (newest version of each): questions to ask children."""
        _may_view(request)
        return Response([s.consultation_file(found) for found in consultations.latest().values()])


class ConsultationListCreateApi(APIView):
    @extend_schema(parameters=PAGE_PARAMETERS, responses=paginated(s.ConsultationSerializer))
    def get(self, request: Request) -> Response:
        _may_view(request)
        paginator = Pagination()
        page = paginator.paginate_queryset(
            consultation_list(user=signed_in_user(request)), request, view=self
        )
        return paginator.get_paginated_response(
            s.ConsultationSerializer(page or [], many=True).data
        )

    @extend_schema(
        request=s.ConsultationCreateSerializer, responses={201: s.ConsultationSerializer}
    )
    def post(self, request: Request) -> Response:
        """Start a consultation from the newest version of a consultation file."""
        data = s.ConsultationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consultation = consultation_create(
            actor=signed_in_user(request),
            instrument_id=data.validated_data["instrument"],
            title=data.validated_data["title"],
            closes_on=data.validated_data["closes_on"],
        )
        return Response(s.ConsultationSerializer(consultation).data, status=status.HTTP_201_CREATED)


class ConsultationDetailApi(APIView):
    @extend_schema(responses=s.ConsultationSerializer)
    def get(self, request: Request, consultation_id: str) -> Response:
        consultation = consultation_get(
            user=signed_in_user(request), consultation_id=consultation_id
        )
        return Response(s.ConsultationSerializer(consultation).data)


class ConsultationClosureApi(APIView):
    @extend_schema(request=None, responses=s.ConsultationSerializer)
    def post(self, request: Request, consultation_id: str) -> Response:
        """Close: no more answers; the link stops and running sessions end."""
        consultation = consultation_close(
            actor=signed_in_user(request), consultation_id=consultation_id
        )
        return Response(s.ConsultationSerializer(consultation).data)


class ConsultationLinkApi(APIView):
    @extend_schema(request=None, responses={201: s.LinkSerializer})
    def post(self, request: Request, consultation_id: str) -> Response:
        """A new link for children to answer on their own device (shown once; replaces the
        previous link)."""
        _consultation, token = consultation_link_create(
            actor=signed_in_user(request), consultation_id=consultation_id
        )
        link = request.build_absolute_uri(reverse("participate:link", args=[token]))
        return Response({"link": link}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, consultation_id: str) -> Response:
        consultation_link_disable(actor=signed_in_user(request), consultation_id=consultation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SubmissionApi(APIView):
    @extend_schema(request=s.SubmissionSerializer, responses={201: s.SubmissionResultSerializer})
    def post(self, request: Request, consultation_id: str) -> Response:
        """One child's answers given on paper or offline, entered by the facilitator. Any
        unknown question or option refuses the whole set (``fields`` names each) and nothing is
        stored."""
        data = s.SubmissionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        participant = participant_submit(
            actor=signed_in_user(request),
            consultation_id=consultation_id,
            **data.validated_data,
        )
        return Response(
            {"id": participant.id, "answers": participant.answers.count()},
            status=status.HTTP_201_CREATED,
        )


class ResultsApi(APIView):
    @extend_schema(responses=s.ResultsSerializer)
    def get(self, request: Request, consultation_id: str) -> Response:
        """Aggregates only: counts of 1 to 10 suppressed, then secondary suppression; written
        answers only once reviewed, and only for questions at least 11 children answered."""
        found = consultation_results(
            user=signed_in_user(request), consultation_id=consultation_id, channel=Channel.API
        )
        return Response(
            {
                "consultation": found.consultation.id,
                "k": found.results.k,
                "total_code": s.TOTAL,
                "taking_part": s.table(found.results.taking_part),
                "withdrawn": s.cell(found.withdrawn),
                "waiting_for_review": found.waiting_for_review,
                "questions": [
                    {
                        "id": item.question.id,
                        "type": item.question.type,
                        "table": s.table(item.table),
                        "excerpts": found.excerpts.get(item.question.id, []),
                    }
                    for item in found.results.questions
                ],
            }
        )


class WrittenAnswerListApi(APIView):
    @extend_schema(responses=s.WrittenAnswerSerializer(many=True))
    def get(self, request: Request, consultation_id: str) -> Response:
        """Written answers waiting for review (shuffled, 20 at most; each read is audited)."""
        _consultation, pending = written_for_review(
            user=signed_in_user(request), consultation_id=consultation_id, channel=Channel.API
        )
        return Response(s.WrittenAnswerSerializer(pending, many=True).data)


class WrittenAnswerReviewApi(APIView):
    @extend_schema(
        request=s.WrittenAnswerReviewSerializer, responses={200: s.WrittenAnswerSerializer}
    )
    def post(self, request: Request, answer_id: str) -> Response:
        """Approve the text with identifying details removed, or leave the answer out. The
        child's original words are erased either way."""
        data = s.WrittenAnswerReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = answer_review(
            actor=signed_in_user(request),
            answer_id=answer_id,
            approve=data.validated_data["decision"] == "approve",
            text=data.validated_data["text"],
        )
        return Response(
            {"id": answer.id, "question": answer.question_id, "text": answer.reviewed_text}
        )


class ActionListCreateApi(APIView):
    @extend_schema(responses=s.ActionSerializer(many=True))
    def get(self, request: Request, consultation_id: str) -> Response:
        consultation = consultation_get(
            user=signed_in_user(request), consultation_id=consultation_id
        )
        return Response(s.ActionSerializer(action_list(consultation=consultation), many=True).data)

    @extend_schema(request=s.ActionCreateSerializer, responses={201: s.ActionSerializer})
    def post(self, request: Request, consultation_id: str) -> Response:
        """'You said, we did': what children said, and beside it what was done."""
        data = s.ActionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = action_record(
            actor=signed_in_user(request), consultation_id=consultation_id, **data.validated_data
        )
        return Response(s.ActionSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionDetailApi(APIView):
    @extend_schema(request=s.ActionUpdateSerializer, responses=s.ActionSerializer)
    def patch(self, request: Request, action_id: str) -> Response:
        data = s.ActionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = action_update(
            actor=signed_in_user(request), action_id=action_id, **data.validated_data
        )
        return Response(s.ActionSerializer(action).data)


class SummaryApi(APIView):
    @extend_schema(request=None, responses={201: s.SummarySerializer})
    def post(self, request: Request, consultation_id: str) -> Response:
        """Draft a summary for publication: an evidence release, which the data-protection
        officer reviews (``/api/v1/evidence/releases/<id>/...``) before it is published."""
        summary = summary_draft(actor=signed_in_user(request), consultation_id=consultation_id)
        return Response(s.SummarySerializer(summary).data, status=status.HTTP_201_CREATED)


class InformationTopicListApi(APIView):
    @extend_schema(responses=s.InformationTopicSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The explanations for children (each at two reading levels in four languages)."""
        topics: list[dict[str, Any]] = [
            {
                "id": topic.id,
                "version": topic.version,
                "titles": {
                    level: {lang: topic.page(level, lang).title for lang in information.LANGUAGES}
                    for level in information.LEVELS
                },
                "source": topic.source,
            }
            for topic in information.catalogue().values()
        ]
        return Response(topics)
