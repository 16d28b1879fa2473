"""The case-management API: lifecycle, the best-interests procedure, the child's views, care
records, plans and the work on a case. Thin: validate, call one service, answer."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.cases import documents
from safepath.cases import serializers as case_s
from safepath.cases import services as svc
from safepath.cases import workflow_serializers as s
from safepath.cases.models import Case
from safepath.cases.policies import CaseAction
from safepath.cases.scopes import redact, visible_categories
from safepath.cases.selectors import (
    case_for_action,
    case_get,
    case_history,
    non_punishment_report,
    supervision_overview,
)
from safepath.core.exceptions import NotFoundError
from safepath.core.schema import CREATED

API = Channel.API


def _views(data: dict[str, Any]) -> svc.ChildViewsInput:
    return svc.ChildViewsInput(**data)


class CaseRecordApi(APIView):
    """POST a record to a case: the action the caller needs, the input, the service to call."""

    action: ClassVar[CaseAction] = CaseAction.EDIT
    serializer_class: ClassVar[type[serializers.Serializer[Any]]]

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    @extend_schema(responses={201: CREATED})  # the request: each subclass's serializer_class
    def post(self, request: Request, case_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=self.action)
        data = self.serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        created = self.perform(user, case, dict(data.validated_data))
        return Response({"id": str(created.id)}, status=status.HTTP_201_CREATED)


class CaseDecisionApi(APIView):
    """POST a decision that changes the case itself: answers with the case as it now is."""

    serializer_class: ClassVar[type[serializers.Serializer[Any]]]

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Case:
        raise NotImplementedError

    @extend_schema(responses=case_s.CaseDetailSerializer)  # 409 on a stale version: core.schema
    def post(self, request: Request, case_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.EDIT)
        data = self.serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        self.perform(user, case, dict(data.validated_data))
        fresh = case_get(user=user, case_id=case_id, channel=API)
        return Response(
            redact(case_s.CaseDetailSerializer(fresh).data, visible_categories(user, fresh))
        )


class TransitionApi(CaseDecisionApi):
    """Move the case to another stage; a refusal (400, code ``transition_refused``) lists every
    rule in the way under ``reasons``."""

    serializer_class = s.TransitionInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Case:
        return svc.case_transition(
            user=user,
            case=case,
            expected_version=data["version"],
            target=data["target"],
            closure_reason=data.get("closure_reason", ""),
            channel=API,
        )


class SolutionApi(CaseDecisionApi):
    serializer_class = s.SolutionInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Case:
        return svc.solution_choose(
            user=user,
            case=case,
            expected_version=data["version"],
            solution=data["solution"],
            views=_views(data["views"]),
            channel=API,
        )


class PlacementApi(CaseDecisionApi):
    serializer_class = s.PlacementInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Case:
        return svc.placement_change(
            user=user,
            case=case,
            expected_version=data["version"],
            placement=data["placement"],
            location=data.get("location", ""),
            views=_views(data["views"]),
            channel=API,
        )


class ChildViewsApi(CaseRecordApi):
    serializer_class = s.ChildViewsInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        decision = data.pop("decision")
        ref = data.pop("decision_ref", "")
        return svc.child_views_record(
            user=user,
            case=case,
            decision=decision,
            decision_ref=ref,
            views=_views(data),
            channel=API,
        )


class AssessmentApi(CaseRecordApi):
    serializer_class = s.AssessmentInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        data.setdefault("recommendation", "")
        return svc.assessment_record(user=user, case=case, channel=API, **data)


class DeterminationApi(CaseRecordApi):
    serializer_class = s.DeterminationInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        return svc.determination_record(user=user, case=case, channel=API, **data)


class DeterminationApproveApi(APIView):
    @extend_schema(request=None, responses={200: None})
    def post(self, request: Request, case_id: str, determination_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.APPROVE)
        determination = case.determinations.filter(pk=determination_id).first()
        if determination is None:
            raise NotFoundError(_("No such determination on this case."))
        svc.determination_approve(user=user, determination=determination, channel=API)
        return Response({"id": str(determination.id), "approved": True})


class PlanApi(CaseRecordApi):
    serializer_class = s.PlanInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        return svc.plan_create(user=user, case=case, goals=data["goals"], channel=API)


class PlanStepApi(APIView):
    """``submission`` (the worker) or ``approval`` (a supervisor) of a plan."""

    @extend_schema(
        operation_id="v1_cases_plans_step_create",
        request=None,
        parameters=[
            OpenApiParameter("step", str, OpenApiParameter.PATH, enum=["submission", "approval"])
        ],
        responses=s.PlanOutputSerializer,
    )
    def post(self, request: Request, case_id: str, plan_id: str, step: str) -> Response:
        user = signed_in_user(request)
        action = CaseAction.APPROVE if step == "approval" else CaseAction.EDIT
        case = case_for_action(user=user, case_id=case_id, action=action)
        plan = case.plans.filter(pk=plan_id).first()
        if plan is None or step not in ("submission", "approval"):
            raise NotFoundError(_("No such plan on this case."))
        if step == "approval":
            plan = svc.plan_approve(user=user, plan=plan, channel=API)
        else:
            plan = svc.plan_submit(user=user, plan=plan, channel=API)
        return Response(s.PlanOutputSerializer(plan).data)


class TaskApi(CaseRecordApi):
    serializer_class = s.TaskInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        owner = User.objects.filter(pk=data["owner"], is_active=True).first()
        plan = case.plans.filter(pk=data["plan"]).first() if data.get("plan") else None
        if owner is None:
            raise NotFoundError(_("No such user."))
        return svc.task_create(
            user=user,
            case=case,
            title=data["title"],
            due_on=data["due_on"],
            owner=owner,
            plan=plan,
            channel=API,
        )


class TaskCompleteApi(APIView):
    @extend_schema(request=None, responses=s.TaskOutputSerializer)
    def post(self, request: Request, case_id: str, task_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.EDIT)
        task = case.tasks.filter(pk=task_id).first()
        if task is None:
            raise NotFoundError(_("No such task on this case."))
        return Response(
            s.TaskOutputSerializer(svc.task_complete(user=user, task=task, channel=API)).data
        )


class ReviewApi(CaseRecordApi):
    serializer_class = s.ReviewInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        return svc.review_record(
            user=user,
            case=case,
            reviewed_on=data["reviewed_on"],
            summary=data["summary"],
            next_review_on=data.get("next_review_on"),
            channel=API,
        )


class NoteApi(CaseRecordApi):
    serializer_class = s.NoteInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        return svc.note_add(user=user, case=case, body=data["body"], channel=API)


class DocumentApi(CaseRecordApi):
    """Upload one file (multipart): PDF, PNG or JPEG, up to the upload limit (10 MB unless
    SAFEPATH_MAX_UPLOAD_BYTES says otherwise), checked by its bytes."""

    serializer_class = s.DocumentInputSerializer
    parser_classes = [MultiPartParser]

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        upload = data["file"]
        return svc.document_upload(
            user=user,
            case=case,
            title=data["title"],
            filename=upload.name or "",
            content=upload.read(settings.MAX_UPLOAD_BYTES + 1),
            channel=API,
        )


class DocumentDownloadApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request: Request, case_id: str, document_id: str) -> HttpResponse:
        user = signed_in_user(request)
        case = case_get(user=user, case_id=case_id, channel=API)
        if "notes" not in visible_categories(user, case):
            raise NotFoundError(_("No such document on this case."))
        document = case.documents.filter(pk=document_id).first()
        if document is None:
            raise NotFoundError(_("No such document on this case."))
        content = documents.load(document.id, document.sha256)
        audit_record(
            actor=Actor.of(user, API),
            action=Action.READ,
            object_type="case_document",
            object_id=document.id,
            details={"case": str(case.id)},
        )
        response = HttpResponse(content, content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{document.id}"'
        return response


class GuardianApi(CaseRecordApi):
    serializer_class = s.GuardianInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        data.setdefault("organisation", "")
        return svc.guardian_appoint(user=user, case=case, channel=API, **data)


class JusticeContactApi(CaseRecordApi):
    serializer_class = s.JusticeContactInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        return svc.justice_contact_record(user=user, case=case, channel=API, **data)


class JusticeContactResolveApi(APIView):
    @extend_schema(request=s.ResolutionInputSerializer, responses={200: None})
    def post(self, request: Request, case_id: str, contact_id: str) -> Response:
        user = signed_in_user(request)
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.EDIT)
        contact = case.justice_contacts.filter(pk=contact_id).first()
        if contact is None:
            raise NotFoundError(_("No such record on this case."))
        data = s.ResolutionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        svc.justice_contact_resolve(
            user=user, contact=contact, resolved_on=data.validated_data["resolved_on"], channel=API
        )
        return Response({"id": str(contact.id), "resolved": True})


class TransitionPlanApi(CaseRecordApi):
    serializer_class = s.TransitionPlanInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        return svc.transition_plan_record(user=user, case=case, channel=API, **data)


class AgeAssessmentApi(CaseRecordApi):
    serializer_class = s.AgeAssessmentInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        return svc.age_assessment_record(user=user, case=case, channel=API, **data)


class FamilyMemberApi(CaseRecordApi):
    serializer_class = s.FamilyMemberInputSerializer

    def perform(self, user: User, case: Case, data: dict[str, Any]) -> Any:
        return svc.family_member_add(user=user, case=case, channel=API, **data)


class CaseFileApi(APIView):
    """The whole case file (plans, tasks, notes, procedure, care records), limited to the data
    categories the reader's agency may see."""

    @extend_schema(responses={200: None})
    def get(self, request: Request, case_id: str) -> Response:
        user = signed_in_user(request)
        case = case_get(user=user, case_id=case_id, channel=API)
        data = {
            "plans": s.PlanOutputSerializer(case.plans.all(), many=True).data,
            "tasks": s.TaskOutputSerializer(case.tasks.all(), many=True).data,
            "notes": s.NoteOutputSerializer(case.notes.select_related("author"), many=True).data,
            "reviews": [
                {
                    "reviewed_on": r.reviewed_on,
                    "summary": r.summary,
                    "next_review_on": r.next_review_on,
                }
                for r in case.reviews.all()
            ],
            "assessments": [
                {
                    "id": a.id,
                    "kind": a.kind,
                    "assessed_on": a.assessed_on,
                    "findings": a.findings,
                    "recommendation": a.recommendation,
                }
                for a in case.assessments.all()
            ],
            "determinations": [
                {
                    "id": d.id,
                    "decided_on": d.decided_on,
                    "decision": d.decision,
                    "panel": d.panel,
                    "reasons": d.reasons,
                    "dissent": d.dissent,
                    "approved": d.approved_at is not None,
                }
                for d in case.determinations.all()
            ],
            "child_views": [
                {
                    "decision": v.decision,
                    "views": v.views,
                    "declined_to_express": v.declined_to_express,
                    "informed_language": v.informed_language,
                    "interpreter_language": v.interpreter_language,
                    "weight_given": v.weight_given,
                    "heard_on": v.heard_on,
                }
                for v in case.child_views.all()
            ],
            "guardians": [
                {
                    "guardian_name": g.guardian_name,
                    "organisation": g.organisation,
                    "appointed_on": g.appointed_on,
                    "ended_on": g.ended_on,
                }
                for g in case.guardians.all()
            ],
            "justice_contacts": [
                {
                    "id": j.id,
                    "kind": j.kind,
                    "occurred_on": j.occurred_on,
                    "resolved_on": j.resolved_on,
                    "linked_to_exploitation": j.linked_to_exploitation,
                }
                for j in case.justice_contacts.all()
            ],
            "transition_plans": [
                {
                    "agreed_on": t.agreed_on,
                    "content": t.content,
                    "aftercare_wanted": t.aftercare_wanted,
                }
                for t in case.transition_plans.all()
            ],
            "age_assessments": [
                {
                    "method": a.method,
                    "assessed_on": a.assessed_on,
                    "minimum_age": a.minimum_age,
                    "maximum_age": a.maximum_age,
                    "disputed": a.disputed,
                }
                for a in case.age_assessments.all()
            ],
            "family": [
                {
                    "relation": f.relation,
                    "name": f.name,
                    "contact": f.contact,
                    "is_caregiver": f.is_caregiver,
                }
                for f in case.family.all()
            ],
            "documents": [
                {"id": d.id, "title": d.title, "content_type": d.content_type, "size": d.size}
                for d in case.documents.all()
            ],
        }
        return Response(redact(data, visible_categories(user, case)))


class CaseHistoryApi(APIView):
    @extend_schema(responses=s.ChangeOutputSerializer(many=True))
    def get(self, request: Request, case_id: str) -> Response:
        changes = case_history(user=signed_in_user(request), case_id=case_id, channel=API)
        return Response(s.ChangeOutputSerializer(changes, many=True).data)


class SupervisionApi(APIView):
    @extend_schema(responses={200: None})
    def get(self, request: Request) -> Response:
        overview = supervision_overview(user=signed_in_user(request))
        return Response(
            {
                "caseloads": s.CaseloadSerializer(overview.caseloads, many=True).data,
                "plans_awaiting_approval": [
                    {"case": p.case.reference, "case_id": str(p.case_id), "plan": str(p.id)}
                    for p in overview.plans_awaiting_approval
                ],
                "determinations_awaiting_approval": [
                    {
                        "case": d.case.reference,
                        "case_id": str(d.case_id),
                        "determination": str(d.id),
                    }
                    for d in overview.determinations_awaiting_approval
                ],
                "overdue_tasks": [
                    {
                        "case": t.case.reference,
                        "case_id": str(t.case_id),
                        "task": str(t.id),
                        "due_on": t.due_on,
                        "owner": t.owner.username,
                    }
                    for t in overview.overdue_tasks
                ],
            }
        )


class NonPunishmentReportApi(APIView):
    @extend_schema(responses=s.NonPunishmentRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = non_punishment_report(user=signed_in_user(request), channel=API)
        return Response(s.NonPunishmentRowSerializer(rows, many=True).data)
