"""The online API: intake for partners, the hotline's queue and its work, hashing and
matching, banks, adverts, the removal dashboard.

Thin views: validate, call a service or selector, shape the JSON. Files are read into memory
only (``uploads.InMemoryOnlyUploadHandler``), hashed, and dropped.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.models import Agency
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import FieldValidationError, NotFoundError
from safepath.core.pagination import Pagination
from safepath.core.schema import paginated
from safepath.online import selectors, serializers, services, uploads
from safepath.online.engine import hashing
from safepath.online.engine.hosting import parse_lookup
from safepath.online.policies import OnlineAction
from safepath.online.services.banks import agencies_by_code
from safepath.online.services.common import require

PAGE_PARAMETERS = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


class InMemoryUploadApi(APIView):
    """An API view whose uploads never touch the disk."""

    parser_classes = [MultiPartParser, JSONParser]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        uploads.install(request)
        return super().initialize_request(request, *args, **kwargs)


def read_uploads(request: Request, field: str = "files") -> list[services.Upload]:
    """The files as (name, bytes); an oversize file is refused by name."""
    files = request.FILES.getlist(field)  # parses the body: oversize files are known after
    oversize = getattr(request._request, "oversize_files", [])
    if oversize:
        limit = uploads.max_file_bytes()
        raise FieldValidationError(
            {
                field: [
                    _("%(file)s: larger than %(limit)d bytes") % {"file": n, "limit": limit}
                    for n in oversize
                ]
            }
        )
    return [services.Upload(name=str(f.name or "file"), data=f.read()) for f in files]


# --- intake --------------------------------------------------------------------------------


class ReportCreateApi(APIView):
    @extend_schema(
        request=serializers.OnlineReportInputSerializer,
        responses={201: serializers.OnlineReportCreatedSerializer},
    )
    def post(self, request: Request) -> Response:
        """A partner hotline or platform reports something seen online (token auth)."""
        user = signed_in_user(request)
        require(user, OnlineAction.SUBMIT)
        data = serializers.OnlineReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report, reference = services.report_submit(
            data=services.ReportInput(**data.validated_data, anonymous=True),
            user=user,
            channel=Channel.API,
        )
        body = {
            "id": report.id,
            "reference": reference,
            "status": report.status,
            "received_at": report.received_at,
        }
        return Response(
            serializers.OnlineReportCreatedSerializer(body).data, status=status.HTTP_201_CREATED
        )


class ReportStatusApi(APIView):
    @extend_schema(
        request=serializers.OnlineStatusInputSerializer,
        responses=serializers.OnlineStatusSerializer,
    )
    def post(self, request: Request) -> Response:
        """The status of a report the caller's agency submitted; the reference is in the body,
        never in the address."""
        data = serializers.OnlineStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        state, received = services.report_status_lookup(
            reference=data.validated_data["reference"],
            user=signed_in_user(request),
            channel=Channel.API,
        )
        return Response({"status": state, "received_at": received})


# --- the queue and a report ----------------------------------------------------------------


class ReportListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("status", str), *PAGE_PARAMETERS],
        responses=paginated(serializers.OnlineReportListItemSerializer),
    )
    def get(self, request: Request) -> Response:
        """The hotline's queue, most urgent first; every listed report counts as read."""
        user = signed_in_user(request)
        reports = selectors.report_list(
            user=user, status=request.query_params.get("status", "open")
        )
        paginator = Pagination()
        rows = paginator.paginate_queryset(reports, request, self) or []
        selectors.audit_report_reads(user=user, reports=rows, channel=Channel.API)
        return paginator.get_paginated_response(
            serializers.OnlineReportListItemSerializer(rows, many=True).data
        )


class ReportDetailApi(APIView):
    @extend_schema(responses=serializers.OnlineReportDetailSerializer)
    def get(self, request: Request, report_id: str) -> Response:
        report = selectors.report_get(
            user=signed_in_user(request), report_id=report_id, channel=Channel.API
        )
        return Response(serializers.OnlineReportDetailSerializer(report).data)


class AssessmentApi(APIView):
    @extend_schema(
        request=serializers.OnlineAssessmentInputSerializer,
        responses={
            201: serializers.OnlineAssessmentSerializer,
            409: OpenApiResponse(description="Someone changed the report since you read it"),
        },
    )
    def post(self, request: Request, report_id: str) -> Response:
        """Classify (ICCAM): baseline / nationally illegal / not illegal, with hosting facts."""
        user = signed_in_user(request)
        report = selectors.report_for_action(user=user, report_id=report_id)
        data = serializers.OnlineAssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        lookup = values.pop("hosting_lookup")
        if lookup.strip():
            found = parse_lookup(lookup)
            values["hosting_ip"] = values["hosting_ip"] or found.ip
            values["hosting_provider"] = values["hosting_provider"] or found.provider
            values["registrar"] = values["registrar"] or found.registrar
            values["hosting_country"] = values["hosting_country"] or found.country
            values["hosting_source"] = "imported"
        assessment = services.report_assess(
            user=user,
            report=report,
            data=services.AssessmentInput(**values),
            expected_version=version,
            channel=Channel.API,
        )
        return Response(
            serializers.OnlineAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED
        )


class MediaApi(InMemoryUploadApi):
    @extend_schema(
        request={"multipart/form-data": serializers.OnlineFilesInputSerializer},
        responses={201: serializers.OnlineMediaSerializer(many=True)},
    )
    def post(self, request: Request, report_id: str) -> Response:
        """Hash files for the report (in memory; only hashes are kept) and match them."""
        user = signed_in_user(request)
        report = selectors.report_for_action(user=user, report_id=report_id)
        media = services.media_hash(
            user=user, report=report, files=read_uploads(request), channel=Channel.API
        )
        return Response(
            serializers.OnlineMediaSerializer(media, many=True).data, status=status.HTTP_201_CREATED
        )


class NoticeCreateApi(APIView):
    @extend_schema(
        request=serializers.OnlineNoticeInputSerializer,
        responses={201: serializers.OnlineNoticeSerializer},
    )
    def post(self, request: Request, report_id: str) -> Response:
        user = signed_in_user(request)
        report = selectors.report_for_action(user=user, report_id=report_id)
        data = serializers.OnlineNoticeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.notice_send(
            user=user, report=report, channel=Channel.API, **data.validated_data
        )
        return Response(
            serializers.OnlineNoticeSerializer(notice).data, status=status.HTTP_201_CREATED
        )


class NoticeRemovalApi(APIView):
    @extend_schema(request=None, responses=serializers.OnlineNoticeSerializer)
    def post(self, request: Request, notice_id: str) -> Response:
        """Removal confirmed now; the notice's timers stop."""
        user = signed_in_user(request)
        notice = selectors.notice_for_action(user=user, notice_id=notice_id)
        notice = services.notice_confirm_removal(user=user, notice=notice, channel=Channel.API)
        return Response(serializers.OnlineNoticeSerializer(notice).data)


class NoticeReappearanceApi(APIView):
    @extend_schema(request=None, responses=serializers.OnlineNoticeSerializer)
    def post(self, request: Request, notice_id: str) -> Response:
        """The content is back online: the notice reopens and its timers restart."""
        user = signed_in_user(request)
        notice = selectors.notice_for_action(user=user, notice_id=notice_id)
        notice = services.notice_reappeared(user=user, notice=notice, channel=Channel.API)
        return Response(serializers.OnlineNoticeSerializer(notice).data)


class ReferralApi(APIView):
    @extend_schema(
        request=serializers.OnlineReferralInputSerializer,
        responses={201: serializers.OnlineReferralSerializer},
    )
    def post(self, request: Request, report_id: str) -> Response:
        user = signed_in_user(request)
        report = selectors.report_for_action(user=user, report_id=report_id)
        data = serializers.OnlineReferralInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        police = None
        if data.validated_data["police_agency"]:
            police = Agency.objects.filter(pk=data.validated_data["police_agency"]).first()
            if police is None:
                raise FieldValidationError({"police_agency": [_("No such agency.")]})
        referral = services.law_enforcement_refer(
            user=user,
            report=report,
            reason=data.validated_data["reason"],
            police_agency=police,
            agency_name=data.validated_data["agency_name"],
            case_number=data.validated_data["case_number"],
            channel=Channel.API,
        )
        return Response(
            serializers.OnlineReferralSerializer(referral).data, status=status.HTTP_201_CREATED
        )


class ExportCreateApi(APIView):
    @extend_schema(request=None, responses={201: serializers.OnlineExportSerializer})
    def post(self, request: Request, report_id: str) -> Response:
        """The report as CyberTipline-modelled XML, validated against SafePath's schema."""
        user = signed_in_user(request)
        report = selectors.report_for_action(user=user, report_id=report_id)
        export = services.cybertip_export(user=user, report=report, channel=Channel.API)
        return Response(
            serializers.OnlineExportSerializer(export).data, status=status.HTTP_201_CREATED
        )


class ExportDownloadApi(APIView):
    @extend_schema(
        responses={
            (200, "application/xml"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="CyberTipline-modelled XML"
            )
        }
    )
    def get(self, request: Request, export_id: str) -> HttpResponse:
        export = selectors.export_for_download(
            user=signed_in_user(request), export_id=export_id, channel=Channel.API
        )
        return export_attachment(export)


def export_attachment(export: Any) -> HttpResponse:
    """The XML as a file named by the export's id, never by anything in the report."""
    response = HttpResponse(export.content.encode("utf-8"), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="cybertip-{export.id}.xml"'
    response["Cache-Control"] = "no-store"
    return response


class CaseLinkCreateApi(APIView):
    @extend_schema(
        request=serializers.OnlineCaseLinkInputSerializer,
        responses={201: serializers.OnlineCaseLinkSerializer},
    )
    def post(self, request: Request, report_id: str) -> Response:
        """Hand a report about an identified child to a child-protection agency."""
        user = signed_in_user(request)
        report = selectors.report_for_action(user=user, report_id=report_id)
        data = serializers.OnlineCaseLinkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = Agency.objects.filter(pk=data.validated_data["agency"]).first()
        if agency is None:
            raise FieldValidationError({"agency": [_("No such agency.")]})
        link = services.case_link_request(
            user=user,
            report=report,
            agency=agency,
            note=data.validated_data["note"],
            channel=Channel.API,
        )
        return Response(
            serializers.OnlineCaseLinkSerializer(link).data, status=status.HTTP_201_CREATED
        )


class CaseLinkListApi(APIView):
    @extend_schema(responses=serializers.OnlineCaseLinkSerializer(many=True))
    def get(self, request: Request) -> Response:
        links = selectors.case_link_list(user=signed_in_user(request))
        return Response(serializers.OnlineCaseLinkSerializer(links, many=True).data)


class CaseLinkAnswerApi(APIView):
    @extend_schema(
        request=serializers.OnlineCaseLinkAnswerSerializer,
        responses=serializers.OnlineCaseLinkSerializer,
    )
    def post(self, request: Request, link_id: str) -> Response:
        """The child-protection agency links the report to its case under consent, or declines."""
        from safepath.cases.models import Case, Consent

        user = signed_in_user(request)
        data = serializers.OnlineCaseLinkAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["decline_reason"].strip():
            link = services.case_link_decline(
                user=user, link_id=link_id, reason=values["decline_reason"], channel=Channel.API
            )
        else:
            case = Case.objects.filter(pk=values["case"]).first() if values["case"] else None
            consent = (
                Consent.objects.filter(pk=values["consent"]).first() if values["consent"] else None
            )
            if case is None:
                raise NotFoundError(_("No such case."))
            if consent is None:
                raise FieldValidationError({"consent": [_("Choose the consent.")]})
            link = services.case_link_accept(
                user=user, link_id=link_id, case=case, consent=consent, channel=Channel.API
            )
        return Response(serializers.OnlineCaseLinkSerializer(link).data)


# --- hashing, matching, banks --------------------------------------------------------------


class HashApi(InMemoryUploadApi):
    @extend_schema(
        request={"multipart/form-data": serializers.OnlineFilesInputSerializer},
        responses=serializers.OnlineHashResultSerializer(many=True),
    )
    def post(self, request: Request) -> Response:
        """PDQ, quality, MD5 and SHA-1 of each file; nothing is stored."""
        require(signed_in_user(request), OnlineAction.MATCH)
        results = []
        problems = []
        for upload in read_uploads(request):
            try:
                results.append(hashing.hash_bytes(upload.data, name=upload.name).as_dict())
            except hashing.ImageError as error:
                problems.append(str(error))
        if problems:
            raise FieldValidationError({"files": problems})
        return Response(results)


class MatchApi(InMemoryUploadApi):
    @extend_schema(
        request={"multipart/form-data": serializers.OnlineMatchInputSerializer},
        responses=serializers.OnlineFileMatchSerializer(many=True),
    )
    def post(self, request: Request) -> Response:
        """Match files against banks (all you may use, or those named); distances and banks,
        never the content."""
        user = signed_in_user(request)
        results = services.files_match(
            user=user,
            files=read_uploads(request),
            bank_names=[str(b) for b in request.data.getlist("banks")]
            if hasattr(request.data, "getlist")
            else [],
            channel=Channel.API,
        )
        return Response([r.as_dict() for r in results])


class BankListApi(InMemoryUploadApi):
    @extend_schema(responses=serializers.OnlineBankSerializer(many=True))
    def get(self, request: Request) -> Response:
        banks = selectors.bank_list(user=signed_in_user(request))
        return Response(serializers.OnlineBankSerializer(banks, many=True).data)

    @extend_schema(
        request={"multipart/form-data": serializers.OnlineBankImportInputSerializer},
        responses={201: serializers.OnlineBankImportSerializer},
    )
    def post(self, request: Request) -> Response:
        """Import a hash list: a new bank (give its source and licence), or more hashes for one
        of yours (give its name). All lines or none."""
        user = signed_in_user(request)
        require(user, OnlineAction.MANAGE_BANKS)
        data = serializers.OnlineBankImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        upload = values["file"]
        existing = selectors.bank_list(user=user).filter(name=values["name"]).first()
        target: services.BankInput | Any
        if existing is not None:
            target = existing
        else:
            target = services.BankInput(
                name=values["name"],
                title=values["title"] or values["name"],
                source=values["source"],
                licence=values["licence"],
                match_scope=values["match_scope"],
                allowed_agencies=agencies_by_code(values["allowed_agencies"]),
                pdq_threshold=values["pdq_threshold"],
                quality_min=values["quality_min"],
            )
        record = services.bank_import(
            user=user,
            bank=target,
            content=upload.read(),
            file_name=str(upload.name or "bank"),
            file_format=values["format"],
            channel=Channel.API,
        )
        return Response(
            serializers.OnlineBankImportSerializer(record).data, status=status.HTTP_201_CREATED
        )


# --- adverts and the dashboard -------------------------------------------------------------


class AdvertApi(APIView):
    @extend_schema(
        responses=paginated(serializers.OnlineAdvertSerializer), parameters=PAGE_PARAMETERS
    )
    def get(self, request: Request) -> Response:
        adverts = selectors.advert_list(user=signed_in_user(request))
        paginator = Pagination()
        rows = paginator.paginate_queryset(adverts, request, self) or []
        return paginator.get_paginated_response(
            serializers.OnlineAdvertSerializer(rows, many=True).data
        )

    @extend_schema(
        request=serializers.OnlineAdvertsInputSerializer,
        responses={201: serializers.OnlineAdvertSerializer(many=True)},
    )
    def post(self, request: Request) -> Response:
        """Analyse adverts or chat excerpts: red flags with their sources (triage signals)."""
        user = signed_in_user(request)
        data = serializers.OnlineAdvertsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stored = services.adverts_record(
            user=user,
            items=[services.AdvertInput(**item) for item in data.validated_data["adverts"]],
            channel=Channel.API,
        )
        return Response(
            serializers.OnlineAdvertSerializer(stored, many=True).data,
            status=status.HTTP_201_CREATED,
        )


class AdvertGraphApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        """Adverts linked by shared phones, e-mails and images; cities per phone number."""
        return Response(services.advert_graph(user=signed_in_user(request)).as_dict())


class RemovalDashboardApi(APIView):
    @extend_schema(responses=serializers.OnlineRemovalDashboardSerializer)
    def get(self, request: Request) -> Response:
        """Hours from notice to confirmed removal: percentiles by hosting country and provider."""
        dashboard = selectors.removal_dashboard(user=signed_in_user(request))
        return Response(serializers.OnlineRemovalDashboardSerializer(dashboard).data)
