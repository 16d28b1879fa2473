"""The access trail of a case (supervisors of the owning agency, the data-protection officer),
and the child's access report (the data-protection officer, as a page and a CSV file)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.access_trail import (
    TrailAction,
    access_report_csv,
    case_access_report,
    case_for_trail,
    case_trail,
    case_trail_policy,
)
from safepath.core.exceptions import NotFoundError


class TrailLookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=20,
        help_text=_("As it is written on the case, for example SP-ABCD-EFGH."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def trail_lookup_page(request: HttpRequest) -> HttpResponse:
    """Find a case's trail by its reference (posted, so it stays out of addresses and logs)."""
    user = signed_in_user(request)
    if not case_trail_policy.user_has_permission(user, TrailAction.VIEW):
        raise Http404
    form = TrailLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_for_trail(user=user, reference=form.cleaned_data["reference"])
        except NotFoundError as error:
            form.add_error("reference", error.message)
        else:
            return redirect("cases:trail", case_id=case.id)
    status = 400 if form.errors else 200
    return render(request, "cases/trail_lookup.html", {"form": form}, status=status)


@login_required
@require_GET
def case_trail_page(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Who read or changed this case, when and why; newest first."""
    user = signed_in_user(request)
    try:
        case, entries, cut = case_trail(user=user, case_id=case_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    context = {
        "case": case,
        "entries": entries,
        "cut": cut,
        "can_report": case_trail_policy.user_has_permission(user, TrailAction.REPORT),
    }
    return render(request, "cases/trail.html", context)


@login_required
@require_GET
def access_report_page(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The child's access report: which agencies and roles accessed the record, and when."""
    user = signed_in_user(request)
    try:
        case, entries = case_access_report(user=user, case_id=case_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    return render(request, "cases/access_report.html", {"case": case, "entries": entries})


@login_required
@require_GET
def access_report_download(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The same report as a CSV file (UTF-8 with a byte-order mark, for spreadsheets)."""
    user = signed_in_user(request)
    try:
        case, entries = case_access_report(
            user=user, case_id=case_id, channel=Channel.WEB, export=True
        )
    except NotFoundError:
        raise Http404 from None
    response = HttpResponse(
        "\ufeff" + access_report_csv(entries), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="access-report-{case.reference}.csv"'
    response["Cache-Control"] = "no-store"
    return response
