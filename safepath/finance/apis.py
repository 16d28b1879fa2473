"""The finance API: screening runs, the alert queue, evidence, decisions, reports, metrics.

Thin views: validate, call a selector or service, shape the JSON. Outside the financial
analyst role every endpoint answers 404 (the area does not exist for the caller).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.pagination import Pagination
from safepath.core.schema import paginated
from safepath.finance.models import (
    AlertStatus,
    Decision,
    FinancialAlert,
)
from safepath.finance.policies import FinanceAction
from safepath.finance.selectors import (
    alert_for_action,
    alert_get,
    alert_list,
    audit_alert_reads,
    finance_access_require,
    report_for_download,
    rule_metrics,
    run_get,
    run_list,
)
from safepath.finance.services import alert_dispose, alert_report, screening_run_start

# --- shapes ------------------------------------------------------------------------------------


class FinanceRunSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    base_currency = serializers.CharField()
    files = serializers.DictField(help_text="sha256, size and format of each uploaded file")
    customers_screened = serializers.IntegerField()
    transactions_screened = serializers.IntegerField()
    alerts_raised = serializers.IntegerField()
    alerts_suppressed = serializers.IntegerField()
    skipped_rules = serializers.ListField(child=serializers.DictField())
    problems = serializers.ListField(child=serializers.DictField())


class FinanceRunUploadSerializer(serializers.Serializer[Any]):
    transactions = serializers.FileField(help_text="CSV, Parquet or camt.053 XML")
    customers = serializers.FileField(
        required=False, help_text="CSV or Parquet; optional with a camt.053 statement"
    )
    mapping = serializers.FileField(required=False, help_text="column mapping, YAML or JSON")
    base_currency = serializers.CharField(required=False, default="USD", max_length=3)


class FinancialAlertListItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    customer_id = serializers.CharField()
    score = serializers.IntegerField()
    band = serializers.CharField()
    typologies = serializers.ListField(child=serializers.CharField())
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    rules = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_rules(self, alert: FinancialAlert) -> list[str]:
        return [hit.rule_id for hit in alert.hits.all()]


class RuleHitSerializer(serializers.Serializer[Any]):
    rule_id = serializers.CharField()
    title = serializers.CharField()
    typology = serializers.CharField()
    weight = serializers.IntegerField()
    citation = serializers.CharField(source="source")
    parameters = serializers.DictField()
    evidence_txn_ids = serializers.ListField(child=serializers.CharField())
    transactions = serializers.SerializerMethodField()

    def get_transactions(self, hit: Any) -> list[dict[str, Any]]:
        rows = self.context.get("rows", {})
        return [rows[t] for t in hit.evidence_txn_ids if t in rows]


class AlertDispositionSerializer(serializers.Serializer[Any]):
    decision = serializers.CharField()
    reason = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.username")
    decided_at = serializers.DateTimeField()
    alert_version = serializers.IntegerField()


class AlertReportSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    report_format = serializers.CharField()
    profile = serializers.CharField()
    sha256 = serializers.CharField()
    valid = serializers.BooleanField()
    validation_errors = serializers.ListField(child=serializers.CharField())
    generated_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField()

    def get_download(self, report: Any) -> str:
        return reverse("api-finance-report-download", args=[report.id])


class FinancialAlertDetailSerializer(FinancialAlertListItemSerializer):
    run = serializers.UUIDField(source="run_id", allow_null=True)
    customer = serializers.DictField(source="customer_record")
    checklist = serializers.ListField(child=serializers.CharField())
    hits = serializers.SerializerMethodField()
    dispositions = AlertDispositionSerializer(many=True)
    reports = AlertReportSerializer(many=True)

    def get_hits(self, alert: FinancialAlert) -> list[dict[str, Any]]:
        rows = {str(row.get("txn_id")): row for row in alert.evidence_transactions}
        return list(RuleHitSerializer(alert.hits.all(), many=True, context={"rows": rows}).data)


class AlertDispositionInputSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField(max_length=4000, allow_blank=True)
    version = serializers.IntegerField(min_value=1)


class AlertReportInputSerializer(serializers.Serializer[Any]):
    profile = serializers.CharField(required=False, allow_blank=True, default="")


class RuleMetricSerializer(serializers.Serializer[Any]):
    rule_id = serializers.CharField()
    title = serializers.CharField()
    alerts = serializers.IntegerField()
    disposed = serializers.IntegerField()
    positive = serializers.IntegerField()
    reported = serializers.IntegerField()
    precision = serializers.FloatField(allow_null=True)
    alerts_per_1000_customers = serializers.FloatField(allow_null=True)
    conversion_to_reports = serializers.FloatField(allow_null=True)


PAGE_PARAMETERS = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


# --- runs --------------------------------------------------------------------------------------


class RunListCreateApi(APIView):
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(parameters=PAGE_PARAMETERS, responses=paginated(FinanceRunSerializer))
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(run_list(user=signed_in_user(request)), request, self)
        return paginator.get_paginated_response(FinanceRunSerializer(page or [], many=True).data)

    @extend_schema(
        request={"multipart/form-data": FinanceRunUploadSerializer},
        responses={201: FinanceRunSerializer},
    )
    def post(self, request: Request) -> Response:
        """Upload transactions and customers; the run screens them in the background."""
        user = signed_in_user(request)
        finance_access_require(user=user, action=FinanceAction.SCREEN)
        data = FinanceRunUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = screening_run_start(
            user=user,
            files={
                "transactions": data.validated_data["transactions"],
                "customers": data.validated_data.get("customers"),
                "mapping": data.validated_data.get("mapping"),
            },
            base_currency=data.validated_data["base_currency"],
            channel=Channel.API,
        )
        fresh = run_get(user=user, run_id=run.id)
        return Response(FinanceRunSerializer(fresh).data, status=status.HTTP_201_CREATED)


class RunDetailApi(APIView):
    @extend_schema(responses=FinanceRunSerializer)
    def get(self, request: Request, run_id: str) -> Response:
        return Response(
            FinanceRunSerializer(run_get(user=signed_in_user(request), run_id=run_id)).data
        )


# --- alerts ------------------------------------------------------------------------------------


class AlertListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=AlertStatus.values), *PAGE_PARAMETERS],
        responses=paginated(FinancialAlertListItemSerializer),
    )
    def get(self, request: Request) -> Response:
        """The queue: the agency's alerts, highest score first. Every listed alert is audited."""
        user = signed_in_user(request)
        wanted = request.query_params.get("status", "")
        alerts = alert_list(user=user, status=wanted if wanted in AlertStatus.values else "")
        paginator = Pagination()
        rows = paginator.paginate_queryset(alerts, request, self) or []
        audit_alert_reads(user=user, alerts=rows, channel=Channel.API)
        return paginator.get_paginated_response(
            FinancialAlertListItemSerializer(rows, many=True).data
        )


class AlertSearchInputSerializer(serializers.Serializer[Any]):
    customer_id = serializers.CharField(max_length=200)
    status = serializers.ChoiceField(choices=AlertStatus.choices, required=False, default="")


class AlertSearchApi(APIView):
    """Alerts of one customer. The id travels in the body so it never reaches URLs or logs."""

    @extend_schema(
        request=AlertSearchInputSerializer,
        parameters=PAGE_PARAMETERS,
        responses=paginated(FinancialAlertListItemSerializer),
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        finance_access_require(user=user)
        data = AlertSearchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alerts = alert_list(
            user=user,
            status=data.validated_data["status"],
            customer_id=data.validated_data["customer_id"],
        )
        paginator = Pagination()
        rows = paginator.paginate_queryset(alerts, request, self) or []
        audit_alert_reads(user=user, alerts=rows, channel=Channel.API)
        return paginator.get_paginated_response(
            FinancialAlertListItemSerializer(rows, many=True).data
        )


class AlertDetailApi(APIView):
    @extend_schema(responses=FinancialAlertDetailSerializer)
    def get(self, request: Request, alert_id: str) -> Response:
        purpose = request.headers.get("X-Access-Purpose", "")[:200]
        alert = alert_get(
            user=signed_in_user(request), alert_id=alert_id, channel=Channel.API, purpose=purpose
        )
        return Response(FinancialAlertDetailSerializer(alert).data)


class AlertDispositionApi(APIView):
    @extend_schema(
        request=AlertDispositionInputSerializer,
        responses={
            201: AlertDispositionSerializer,
            409: OpenApiResponse(description="Someone decided since you read the alert"),
        },
    )
    def post(self, request: Request, alert_id: str) -> Response:
        """Decide: not suspicious, escalate or report, with a reason and the version you read."""
        user = signed_in_user(request)
        alert = alert_for_action(user=user, alert_id=alert_id, action=FinanceAction.DISPOSE)
        data = AlertDispositionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        disposition = alert_dispose(
            user=user,
            alert=alert,
            decision=data.validated_data["decision"],
            reason=data.validated_data["reason"],
            expected_version=data.validated_data["version"],
            channel=Channel.API,
        )
        body = dict(AlertDispositionSerializer(disposition).data)
        body.update({"status": alert.status, "version": alert.version})
        return Response(body, status=status.HTTP_201_CREATED)


class AlertReportApi(APIView):
    @extend_schema(request=AlertReportInputSerializer, responses={201: AlertReportSerializer})
    def post(self, request: Request, alert_id: str) -> Response:
        """Generate the goAML report of an alert decided as 'report'; it is validated and kept."""
        user = signed_in_user(request)
        alert = alert_for_action(user=user, alert_id=alert_id, action=FinanceAction.REPORT)
        data = AlertReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = alert_report(
            user=user, alert=alert, profile=data.validated_data["profile"], channel=Channel.API
        )
        return Response(AlertReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportDownloadApi(APIView):
    @extend_schema(
        responses={
            (200, "application/xml"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="goAML XML"
            ),
            (200, "application/json"): OpenApiResponse(
                response=OpenApiTypes.OBJECT, description="SAR-style fields"
            ),
        }
    )
    def get(self, request: Request, report_id: str) -> HttpResponse:
        report = report_for_download(
            user=signed_in_user(request), report_id=report_id, channel=Channel.API
        )
        return report_attachment(report)


def report_attachment(report: Any) -> HttpResponse:
    """The report as a file; its name carries the report id, never the customer."""
    xml = report.report_format == "goaml"
    response = HttpResponse(
        report.content.encode("utf-8"),
        content_type="application/xml" if xml else "application/json",
    )
    name = f"report-{report.id}.{'xml' if xml else 'json'}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


class MetricsApi(APIView):
    @extend_schema(responses=RuleMetricSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Per rule: alerts, precision from decisions, alerts per 1,000 customers, reports."""
        metrics = rule_metrics(user=signed_in_user(request))
        return Response(RuleMetricSerializer(metrics, many=True).data)
