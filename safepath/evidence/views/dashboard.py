"""The dashboard: filters (GET), four charts, the table under every chart, chart images.

Every figure comes from the engine's ``build_table`` with the threshold rule applied (k = 11 by
default), so the page never shows a count that a release could not publish. The filters are
categories only; nothing identifying can enter the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.evidence import charts
from safepath.evidence.charts import ChartData, ChartSpec
from safepath.evidence.engine.dimensions import CASES_SOURCE
from safepath.evidence.engine.store import AnalysisStore, SourceInfo, StoreError
from safepath.evidence.forms import DEFAULT_K, DashboardFilterForm, ReleaseDraftForm
from safepath.evidence.selectors import analysis_store
from safepath.evidence.views.access import may_draft_release, may_view_statistics
from safepath.evidence.views.tables import TableError, dashboard_cells

SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"  # matplotlib styles its own SVG


@dataclass(frozen=True)
class ChartView:
    data: ChartData
    query: str

    @property
    def heading_id(self) -> str:
        return f"chart-{self.data.spec.key}"

    def _url(self, image_format: str) -> str:
        if self.data.spec.key == "source":
            url = reverse("evidence:source-chart", args=[image_format])
        else:
            url = reverse("evidence:chart", args=[self.data.spec.key, image_format])
        return f"{url}?{self.query}" if self.query else url

    @property
    def image_url(self) -> str:
        return self._url("svg")

    @property
    def png_url(self) -> str:
        return self._url("png")

    @property
    def svg_url(self) -> str:
        return self._url("svg")


def _cases_source(store: AnalysisStore) -> SourceInfo | None:
    try:
        return store.source(CASES_SOURCE)
    except StoreError:
        return None


def _filters(request: HttpRequest) -> tuple[DashboardFilterForm, dict[str, str]]:
    form = DashboardFilterForm(request.GET or None)
    where = form.where() if form.is_bound and form.is_valid() else {}
    return form, where


def chart_data(store: AnalysisStore, spec: ChartSpec, where: dict[str, str]) -> ChartData:
    return ChartData(
        spec=spec, cells=dashboard_cells(store, spec.by, where, DEFAULT_K), k=DEFAULT_K
    )


@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not may_view_statistics(user):
        raise Http404
    filters, where = _filters(request)
    store = analysis_store()
    source = _cases_source(store)
    audit_record(
        actor=Actor.of(user, Channel.WEB),
        action=Action.READ,
        object_type="evidence.dashboard",
        object_id=CASES_SOURCE,
        details={"where": where, "k": DEFAULT_K},
    )
    chart_views: list[ChartView] = []
    table_error = ""
    if source is not None:
        query = urlencode(where)
        try:
            chart_views = [
                ChartView(chart_data(store, spec, where), query) for spec in charts.CHARTS
            ]
        except TableError as error:
            table_error = str(error)
    return render(
        request,
        "evidence/dashboard.html",
        {
            "filters": filters,
            "filters_active": bool(where),
            "filter_query": where,
            "source": source,
            "charts": chart_views,
            "table_error": table_error,
            "k": DEFAULT_K,
            "can_draft": source is not None and may_draft_release(user),
            "draft_form": ReleaseDraftForm(initial={"k": DEFAULT_K}),
        },
    )


@login_required
@require_GET
def chart_image(request: HttpRequest, key: str, image_format: str) -> HttpResponse:
    """One dashboard chart as SVG or PNG, for the current filters."""
    user = signed_in_user(request)
    if not may_view_statistics(user) or key not in charts.CHART_KEYS:
        raise Http404
    _, where = _filters(request)
    store = analysis_store()
    if _cases_source(store) is None:
        raise Http404
    try:
        data = chart_data(store, charts.chart_spec(key), where)
    except TableError:
        raise Http404 from None
    return image_response(data, image_format, f"safepath-{key}")


def image_response(data: ChartData, image_format: str, stem: str) -> HttpResponse:
    content_type = "image/svg+xml" if image_format == "svg" else "image/png"
    response = HttpResponse(charts.render(data, image_format), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{stem}.{image_format}"'
    response["Cache-Control"] = "private, no-store"
    if image_format == "svg":
        response["Content-Security-Policy"] = SVG_POLICY
    return response
