"""Imported sources (CTDC files) on a page of their own: one dimension at a time, as a chart
and the table under it, so a country reads its own figures beside the global ones. The same
disclosure control applies (``build_table`` with k = 11)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from safepath.accounts.selectors import signed_in_user
from safepath.evidence.charts import ChartData, ChartSpec
from safepath.evidence.engine.dimensions import CASES_SOURCE
from safepath.evidence.engine.store import SourceInfo
from safepath.evidence.forms import DEFAULT_K, ImportedSourceForm
from safepath.evidence.selectors import analysis_store
from safepath.evidence.views.access import may_view_statistics
from safepath.evidence.views.dashboard import ChartView, image_response
from safepath.evidence.views.tables import TableError, source_cells


def _imported() -> list[SourceInfo]:
    return [info for info in analysis_store().sources() if info.name != CASES_SOURCE]


def _chosen(
    request: HttpRequest, sources: list[SourceInfo]
) -> tuple[ImportedSourceForm, ChartData | None]:
    form = ImportedSourceForm(request.GET or None, sources=sources)
    if not (form.is_bound and form.is_valid()):
        return form, None
    name, dimension = form.chosen()
    info = next(info for info in sources if info.name == name)
    label = info.dimension_map()[dimension].label

    def title() -> str:
        return _("%(source)s: cases by %(dimension)s") % {"source": name, "dimension": label}

    spec = ChartSpec("source", (dimension,), title, style="horizontal")
    cells = source_cells(analysis_store(), name, dimension, DEFAULT_K)
    return form, ChartData(spec=spec, cells=cells, k=DEFAULT_K)


@login_required
@require_GET
def sources_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not may_view_statistics(user):
        raise Http404
    sources = _imported()
    table_error = ""
    chart = None
    try:
        form, data = _chosen(request, sources)
    except TableError as error:
        form, data, table_error = ImportedSourceForm(sources=sources), None, str(error)
    if data is not None:
        chart = ChartView(data, urlencode({"compare": form.cleaned_data["compare"]}))
    return render(
        request,
        "evidence/sources.html",
        {
            "form": form,
            "sources": sources,
            "chart": chart,
            "table_error": table_error,
            "k": DEFAULT_K,
        },
    )


@login_required
@require_GET
def source_chart_image(request: HttpRequest, image_format: str) -> HttpResponse:
    user = signed_in_user(request)
    if not may_view_statistics(user):
        raise Http404
    try:
        _form, data = _chosen(request, _imported())
    except TableError:
        raise Http404 from None
    if data is None:
        raise Http404
    return image_response(data, image_format, "safepath-source")
