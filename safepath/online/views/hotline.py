"""The hotline's pages: the queue by urgency, and one report with everything done to it.

The report page never shows media: only hashes, matches and the analyst's classification.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safepath.accounts.models import Agency, User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import ApplicationError, ConflictError, FieldValidationError
from safepath.online import selectors, services
from safepath.online.apis import export_attachment
from safepath.online.engine.hosting import parse_lookup
from safepath.online.engine.triage import band
from safepath.online.forms import (
    AssessmentForm,
    HandOffForm,
    MediaForm,
    NoticeForm,
    ReferralForm,
)
from safepath.online.models import ReportStatus
from safepath.online.policies import (
    CHILD_PROTECTION_AGENCIES,
    OnlineAction,
    online_policy,
)
from safepath.online.uploads import in_memory_uploads, max_file_bytes
from safepath.online.views.common import errors_onto, online_page

STATUS_FILTERS = ("open", *ReportStatus.values, "all")


@online_page
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    """Most urgent first: live abuse, a child in danger, sextortion, known hashes."""
    user = signed_in_user(request)
    wanted = request.GET.get("status", "open")
    status = wanted if wanted in STATUS_FILTERS else "open"
    reports = selectors.report_list(user=user, status=status)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    selectors.audit_report_reads(user=user, reports=rows, channel=Channel.WEB)
    context = {
        "page": page,
        "rows": [(r, band(r.urgency)) for r in rows],
        "status": status,
        "statuses": [("open", _("Open")), *ReportStatus.choices, ("all", _("All"))],
    }
    return render(request, "online/queue.html", context)


def _hand_off_agencies() -> list[tuple[str, str]]:
    agencies = Agency.objects.filter(
        agency_type__in=CHILD_PROTECTION_AGENCIES, is_active=True
    ).order_by("name")
    return [(str(a.id), a.name) for a in agencies]


def _context(user: User, report: Any, **forms: Any) -> dict[str, Any]:
    latest = report.assessments.all()[0] if report.assessments.all() else None
    known = {m.known_classification for m in report.media.all()}
    may = {a.value: online_policy.user_has_permission(user, a) for a in OnlineAction}
    return {
        "report": report,
        "band": band(report.urgency),
        "latest": latest,
        "may": may,
        "all_known": bool(report.media.all()) and "" not in known,
        "media_form": forms.get("media_form") or MediaForm(),
        "assess_form": forms.get("assess_form")
        or AssessmentForm(
            initial={
                "version": report.version,
                "content_type": {
                    "video": "video",
                    "live_stream": "live",
                    "chat": "text",
                    "advert": "text",
                }.get(report.kind, "image"),
                "age_group": "unknown",
            }
        ),
        "notice_form": forms.get("notice_form")
        or NoticeForm(initial={"recipient_country": latest.hosting_country if latest else ""}),
        "referral_form": forms.get("referral_form") or ReferralForm(),
        "hand_off_form": forms.get("hand_off_form") or HandOffForm(agencies=_hand_off_agencies()),
        "triage_notice": _("Triage signal, not a finding: a trained analyst decides."),
        "max_mb": max_file_bytes() // (1024 * 1024),
        "case_links": [
            (link, services.case_link_in_force(link)) for link in report.case_links.all()
        ],
    }


def _render(
    request: HttpRequest, user: User, report_id: str, status: int = 200, **forms: Any
) -> HttpResponse:
    report = selectors.report_get(user=user, report_id=report_id, channel=Channel.WEB)
    return render(request, "online/detail.html", _context(user, report, **forms), status=status)


@online_page
@require_GET
def detail_page(request: HttpRequest, report_id: str) -> HttpResponse:
    return _render(request, signed_in_user(request), report_id)


@online_page
@in_memory_uploads
@require_POST
def media_page(request: HttpRequest, report_id: str) -> HttpResponse:
    user = signed_in_user(request)
    report = selectors.report_for_action(user=user, report_id=report_id)
    form = MediaForm(request.POST, request.FILES)
    oversize = getattr(request, "oversize_files", [])
    if oversize:
        form.add_error(
            None,
            _("Larger than %(mb)d MB, not hashed: %(files)s")
            % {"mb": max_file_bytes() // (1024 * 1024), "files": ", ".join(oversize)},
        )
    if not oversize and form.is_valid():
        uploads = [
            services.Upload(name=str(f.name), data=f.read()) for f in form.cleaned_data["upload"]
        ]
        try:
            stored = services.media_hash(
                user=user, report=report, files=uploads, channel=Channel.WEB
            )
        except FieldValidationError as error:
            errors_onto(form, error)
        else:
            matched = sum(1 for m in stored if m.matches.exists())
            messages.success(
                request,
                _("%(n)d files hashed, %(m)d matched a bank. Nothing but the hashes was kept.")
                % {"n": len(stored), "m": matched},
            )
            return redirect("online:detail", report_id=report.id)
    return _render(request, user, report_id, status=400, media_form=form)


@online_page
@require_POST
def assess_page(request: HttpRequest, report_id: str) -> HttpResponse:
    user = signed_in_user(request)
    report = selectors.report_for_action(user=user, report_id=report_id)
    form = AssessmentForm(request.POST)
    status = 400
    if form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        lookup = values.pop("hosting_lookup")
        if lookup.strip():
            found = parse_lookup(lookup)
            values["hosting_ip"] = values["hosting_ip"] or found.ip
            values["hosting_provider"] = values["hosting_provider"] or found.provider
            values["registrar"] = values["registrar"] or found.registrar
            values["hosting_country"] = values["hosting_country"] or found.country
            values["hosting_source"] = "imported"
        try:
            services.report_assess(
                user=user,
                report=report,
                data=services.AssessmentInput(**values),
                expected_version=version,
                channel=Channel.WEB,
            )
        except FieldValidationError as error:
            errors_onto(form, error)
        except ConflictError as error:
            form.add_error(None, error.message)
            status = 409
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("online:detail", report_id=report.id)
    return _render(request, user, report_id, status=status, assess_form=form)


@online_page
@require_POST
def notice_page(request: HttpRequest, report_id: str) -> HttpResponse:
    user = signed_in_user(request)
    report = selectors.report_for_action(user=user, report_id=report_id)
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            services.notice_send(user=user, report=report, channel=Channel.WEB, **form.cleaned_data)
        except FieldValidationError as error:
            errors_onto(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Notice sent. Its timer runs until removal is confirmed."))
            return redirect("online:detail", report_id=report.id)
    return _render(request, user, report_id, status=400, notice_form=form)


@online_page
@require_POST
def notice_step_page(request: HttpRequest, notice_id: str, step: str) -> HttpResponse:
    user = signed_in_user(request)
    notice = selectors.notice_for_action(user=user, notice_id=notice_id)
    act = {"removed": services.notice_confirm_removal, "reappeared": services.notice_reappeared}
    if step not in act:
        return redirect("online:detail", report_id=notice.report_id)
    try:
        act[step](user=user, notice=notice, channel=Channel.WEB)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Removal confirmed.") if step == "removed" else _("Re-appearance recorded."),
        )
    return redirect("online:detail", report_id=notice.report_id)


@online_page
@require_POST
def referral_page(request: HttpRequest, report_id: str) -> HttpResponse:
    user = signed_in_user(request)
    report = selectors.report_for_action(user=user, report_id=report_id)
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            services.law_enforcement_refer(
                user=user, report=report, channel=Channel.WEB, **form.cleaned_data
            )
        except FieldValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Referral to law enforcement recorded."))
            return redirect("online:detail", report_id=report.id)
    return _render(request, user, report_id, status=400, referral_form=form)


@online_page
@require_POST
def export_page(request: HttpRequest, report_id: str) -> HttpResponse:
    user = signed_in_user(request)
    report = selectors.report_for_action(user=user, report_id=report_id)
    try:
        export = services.cybertip_export(user=user, report=report, channel=Channel.WEB)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if export.valid:
            messages.success(request, _("CyberTipline-style file generated and validated."))
        else:
            messages.error(request, _("The file was generated but failed validation."))
    return redirect("online:detail", report_id=report.id)


@online_page
@require_GET
def export_download_page(request: HttpRequest, export_id: str) -> HttpResponse:
    export = selectors.export_for_download(
        user=signed_in_user(request), export_id=export_id, channel=Channel.WEB
    )
    return export_attachment(export)


@online_page
@require_http_methods(["POST"])
def hand_off_page(request: HttpRequest, report_id: str) -> HttpResponse:
    user = signed_in_user(request)
    report = selectors.report_for_action(user=user, report_id=report_id)
    form = HandOffForm(request.POST, agencies=_hand_off_agencies())
    if form.is_valid():
        agency = Agency.objects.get(pk=form.cleaned_data["agency"])
        try:
            services.case_link_request(
                user=user,
                report=report,
                agency=agency,
                note=form.cleaned_data["note"],
                channel=Channel.WEB,
            )
        except FieldValidationError as error:
            errors_onto(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Handed to the child-protection agency."))
            return redirect("online:detail", report_id=report.id)
    return _render(request, user, report_id, status=400, hand_off_form=form)
