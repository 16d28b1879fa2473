"""Release pages: draft from the dashboard's filters, the data-protection officer's review,
publication, and the published list with its downloads (table files and chart images).

Thin: ``services.py`` changes state (atomic, audited, policy-checked) and ``selectors.py``
reads; a release the user may not see is 404, a step the user may not take on a release they
see is 403 (the core's rule).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import (
    ApplicationError,
    FieldValidationError,
    NotFoundError,
    PermissionDeniedError,
)
from safepath.evidence import charts
from safepath.evidence.charts import ChartData
from safepath.evidence.engine import formats
from safepath.evidence.engine.dimensions import CASES_SOURCE
from safepath.evidence.engine.tables import Table
from safepath.evidence.forms import (
    FILTER_DIMENSIONS,
    DashboardFilterForm,
    ReleaseDraftForm,
    ReleaseReviewForm,
)
from safepath.evidence.models import Release, ReleaseStatus
from safepath.evidence.policies import EvidenceAction, evidence_policy
from safepath.evidence.selectors import release_get, release_list
from safepath.evidence.services import (
    release_draft,
    release_publish,
    release_review,
    release_submit,
)
from safepath.evidence.views.access import may_draft_release, may_see_releases
from safepath.evidence.views.dashboard import image_response


# The engine's writers (``engine/formats.py``), in the order the page offers them.
def _release_table(release: Release) -> Table:
    result = release.result or {}
    return Table(cells=list(result.get("cells") or []), metadata=dict(result.get("metadata") or {}))


def _table_formats(release: Release) -> list[tuple[str, str]]:
    offered = [
        ("csv", _("Table as CSV")),
        ("xlsx", _("Table as Excel workbook (XLSX)")),
        ("json", _("Table as JSON, with its metadata")),
        ("hxl", _("Table as HXL-tagged CSV")),
    ]
    try:  # the GLOTIP layout needs sex and age group; the engine says whether it fits
        formats.glotip_rows(_release_table(release))
    except (ValueError, KeyError):
        return offered
    return [*offered, ("glotip", _("Table in the GLOTIP layout (CSV)"))]


def _release(user: User, release_id: uuid.UUID, action: EvidenceAction) -> Release:
    try:
        return release_get(user=user, release_id=release_id, action=action)
    except NotFoundError:
        raise Http404 from None
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from None


def _can(user: User, action: EvidenceAction, release: Release) -> bool:
    return evidence_policy.user_has_permission_for_instance(user, action, release)


def release_chart_data(release: Release) -> ChartData:
    """The release's table as a chart (its own title; bars, grouped when it has two dimensions)."""
    parameters = release.parameters or {}
    result = release.result or {}
    by = tuple(parameters.get("by") or ())
    cells = list(result.get("cells") or [])
    series = {cell.get(by[-1]) for cell in cells if cell.get(by[-1]) != charts.TOTAL} if by else ()
    grouped = len(by) == 2 and len(series) <= 5
    spec = charts.ChartSpec(
        "release", by, lambda: release.title, style="grouped" if grouped else "vertical"
    )
    epsilon = parameters.get("epsilon")
    return ChartData(
        spec=spec,
        cells=cells,
        k=int(parameters.get("k") or 11),
        epsilon=float(epsilon) if epsilon is not None else None,
    )


@login_required
@require_GET
def release_list_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not may_see_releases(user):
        raise Http404
    releases = list(release_list(user=user).select_related("created_by"))
    groups = [
        (_("Waiting for review"), [r for r in releases if r.status == ReleaseStatus.IN_REVIEW]),
        (_("Your drafts"), [r for r in releases if r.status == ReleaseStatus.DRAFT]),
        (_("Published"), [r for r in releases if r.status == ReleaseStatus.PUBLISHED]),
        (_("Sent back"), [r for r in releases if r.status == ReleaseStatus.REJECTED]),
    ]
    return render(
        request,
        "evidence/releases.html",
        {"groups": groups, "can_draft": may_draft_release(user)},
    )


def _draft_where(request: HttpRequest) -> tuple[dict[str, str], bool]:
    """The dashboard's filters, carried as ``where_<dimension>``, checked like the filters."""
    data = {name: request.POST.get(f"where_{name}", "") for name in FILTER_DIMENSIONS}
    filters = DashboardFilterForm(data)
    if not filters.is_valid():
        return {}, False
    return filters.where(), True


@login_required
@require_http_methods(["GET", "POST"])
def release_draft_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not may_draft_release(user):
        raise Http404
    if request.method == "GET":
        return redirect("evidence:dashboard")
    form = ReleaseDraftForm(request.POST)
    where, filters_valid = _draft_where(request)
    if not filters_valid:
        form.add_error(None, _("A filter is not one of the allowed values."))
    if form.is_valid():
        try:
            epsilon = form.cleaned_data["epsilon"]
            release = release_draft(
                actor=user,
                source=CASES_SOURCE,
                by=form.cleaned_data["by"],
                where=where,
                k=form.cleaned_data["k"],
                epsilon=float(epsilon) if epsilon is not None else None,
                channel=Channel.WEB,
            )
        except FieldValidationError as error:
            for name, problems in error.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Draft saved. Check it, then send it for review."))
            return redirect("evidence:release", release_id=release.id)
    return render(
        request, "evidence/release_draft.html", {"form": form, "filter_query": where}, status=400
    )


@login_required
@require_GET
def release_detail_page(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    if not may_see_releases(user):
        raise Http404
    release = _release(user, release_id, EvidenceAction.VIEW)
    return render(request, "evidence/release_detail.html", _detail_context(user, release))


def _detail_context(user: User, release: Release) -> dict[str, Any]:
    withheld = not evidence_policy.user_may_see_result(user, release)
    data = release_chart_data(release)
    base = reverse("evidence:release-chart", args=[release.id, "svg"])
    return {
        "release": release,
        "parameters": release.parameters,
        "where": [
            (charts.dimension_label(name), ", ".join(charts.value_label(name, v) for v in values))
            for name, values in (release.parameters.get("where") or {}).items()
        ],
        "by": [charts.dimension_label(name) for name in release.parameters.get("by") or ()],
        "chart": {
            "data": data,
            "image_url": base,
            "svg_url": base,
            "png_url": reverse("evidence:release-chart", args=[release.id, "png"]),
            "heading_id": "release-chart",
        },
        "can_submit": _can(user, EvidenceAction.SUBMIT, release),
        "can_review": _can(user, EvidenceAction.REVIEW, release),
        "can_publish": _can(user, EvidenceAction.PUBLISH, release),
        "can_download": _can(user, EvidenceAction.DOWNLOAD, release),
        "table_formats": _table_formats(release) if release.result and not withheld else [],
        "result_withheld": withheld,
    }


def _step(request: HttpRequest, release_id: uuid.UUID, action: EvidenceAction) -> User:
    user = signed_in_user(request)
    if not may_see_releases(user):
        raise Http404
    _release(user, release_id, action)  # 404 if invisible, 403 if this step is not theirs
    return user


@login_required
@require_POST
def release_submit_page(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    user = _step(request, release_id, EvidenceAction.SUBMIT)
    release_submit(actor=user, release_id=release_id, channel=Channel.WEB)
    messages.success(request, _("Sent to the data-protection officer for review."))
    return redirect("evidence:release", release_id=release_id)


@login_required
@require_POST
def release_publish_page(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    user = _step(request, release_id, EvidenceAction.PUBLISH)
    release_publish(actor=user, release_id=release_id, channel=Channel.WEB)
    messages.success(request, _("Published. Its files can now be downloaded."))
    return redirect("evidence:release", release_id=release_id)


@login_required
@require_http_methods(["GET", "POST"])
def release_review_page(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    """The data-protection officer reads the release as it would be published, then decides."""
    user = _step(request, release_id, EvidenceAction.REVIEW)
    release = _release(user, release_id, EvidenceAction.REVIEW)
    form = ReleaseReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            release_review(
                actor=user,
                release_id=release_id,
                approve=approve,
                note=form.cleaned_data["comment"],
                channel=Channel.WEB,
            )
        except FieldValidationError as error:
            for problems in error.fields.values():
                for problem in problems:
                    form.add_error("comment", problem)
        else:
            messages.success(
                request,
                _("Approved: it can now be published.") if approve else _("Sent back."),
            )
            return redirect("evidence:release", release_id=release_id)
    context = {**_detail_context(user, release), "form": form}
    return render(
        request, "evidence/release_review.html", context, status=400 if form.errors else 200
    )


@login_required
@require_GET
def release_chart_image(
    request: HttpRequest, release_id: uuid.UUID, image_format: str
) -> HttpResponse:
    user = signed_in_user(request)
    if not may_see_releases(user):
        raise Http404
    release = _release(user, release_id, EvidenceAction.VIEW)
    if not evidence_policy.user_may_see_result(user, release):
        raise Http404
    return image_response(release_chart_data(release), image_format, f"release-{release.id}")


@login_required
@require_GET
def release_download(request: HttpRequest, release_id: uuid.UUID, file_format: str) -> HttpResponse:
    """A published release's table in one of the engine's formats, as it was reviewed."""
    user = signed_in_user(request)
    if not may_see_releases(user):
        raise Http404
    release = _release(user, release_id, EvidenceAction.DOWNLOAD)
    try:
        body, content_type, extension = formats.render(
            _release_table(release), file_format, methodology=release.methodology
        )
    except ValueError:
        raise Http404 from None  # a layout this table does not fit (GLOTIP needs sex and age)
    audit_record(
        actor=Actor.of(user, Channel.WEB),
        action=Action.EXPORT,
        object_type="evidence.release",
        object_id=release.id,
        details={"format": file_format},
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="release-{release.id}.{extension}"'
    return response
