"""Tools beside the queue: hash and match files, the banks, adverts and their graph, the
removal dashboard, and the child-protection side of a hand-off."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.models import Consent, consent_in_force
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.exceptions import ApplicationError, FieldValidationError
from safepath.online import selectors, services
from safepath.online.forms import AdvertForm, BankImportForm, CaseLinkForm, MatchForm
from safepath.online.models import CaseLinkStatus
from safepath.online.policies import OnlineAction, online_policy
from safepath.online.services.banks import agencies_by_code
from safepath.online.services.common import require
from safepath.online.services.onward import LINK_PURPOSES
from safepath.online.uploads import in_memory_uploads, max_file_bytes
from safepath.online.views.common import errors_onto, online_page


@online_page
@in_memory_uploads
@require_http_methods(["GET", "POST"])
def match_page(request: HttpRequest) -> HttpResponse:
    """Hash files and match them against banks; nothing is stored (the audit counts files)."""
    user = signed_in_user(request)
    require(user, OnlineAction.MATCH)
    banks = list(
        selectors.bank_list(user=user).filter(pk__in=online_policy.banks_user_may_match(user))
    )
    choices = [(b.name, f"{b.title} ({getattr(b, 'signal_count', 0)})") for b in banks]
    form = MatchForm(request.POST or None, request.FILES or None, bank_choices=choices)
    results = None
    status = 200
    if request.method == "POST":
        oversize = getattr(request, "oversize_files", [])
        if oversize:
            form.add_error(
                None,
                _("Larger than %(mb)d MB, not hashed: %(files)s")
                % {"mb": max_file_bytes() // (1024 * 1024), "files": ", ".join(oversize)},
            )
        if not oversize and form.is_valid():
            try:
                results = services.files_match(
                    user=user,
                    files=[
                        services.Upload(name=str(f.name), data=f.read())
                        for f in form.cleaned_data["upload"]
                    ],
                    bank_names=form.cleaned_data["banks"],
                    channel=Channel.WEB,
                )
            except FieldValidationError as error:
                errors_onto(form, error)
        if results is None:
            status = 400
    context = {
        "form": form,
        "results": results,
        "triage_notice": _("Triage signal, not a finding: a trained analyst decides."),
        "has_banks": bool(banks),
    }
    return render(request, "online/match.html", context, status=status)


@online_page
@require_http_methods(["GET", "POST"])
def banks_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    banks = list(selectors.bank_list(user=user))
    may_manage = online_policy.user_has_permission(user, OnlineAction.MANAGE_BANKS)
    form = BankImportForm(request.POST or None, request.FILES or None) if may_manage else None
    status = 200
    if request.method == "POST":
        require(user, OnlineAction.MANAGE_BANKS)
        assert form is not None  # noqa: S101 - made above for managers
        if form.is_valid():
            values = form.cleaned_data
            existing = online_policy.banks_user_may_manage(user).filter(name=values["name"]).first()
            try:
                target: Any = existing or services.BankInput(
                    name=values["name"],
                    title=values["title"] or values["name"],
                    source=values["source"],
                    licence=values["licence"],
                    match_scope=values["match_scope"],
                    allowed_agencies=agencies_by_code(values["allowed_agencies"]),
                    pdq_threshold=values["pdq_threshold"],
                )
                record = services.bank_import(
                    user=user,
                    bank=target,
                    content=values["file"].read(),
                    file_name=str(values["file"].name),
                    file_format=values["format"],
                    channel=Channel.WEB,
                )
            except FieldValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(
                    request,
                    _("%(n)d hashes added to %(bank)s.")
                    % {"n": record.added, "bank": record.bank.name},
                )
                return redirect("online:banks")
        status = 400
    return render(request, "online/banks.html", {"banks": banks, "form": form}, status=status)


@online_page
@require_http_methods(["GET", "POST"])
def adverts_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, OnlineAction.ADVERTS)
    form = AdvertForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.adverts_record(
                    user=user,
                    items=[services.AdvertInput(**form.cleaned_data)],
                    channel=Channel.WEB,
                )
            except FieldValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(
                    request, _("Analysed. Red flags are triage signals, not findings.")
                )
                return redirect("online:adverts")
        status = 400
    adverts = list(selectors.advert_list(user=user)[:50])
    graph = services.advert_graph(user=user).as_dict()
    context = {
        "form": form,
        "adverts": adverts,
        "graph": graph,
        "text_notice": _(
            "Triage signal, not a finding: these words are reasons to look closer, for a "
            "trained reviewer to weigh. They prove nothing about anyone."
        ),
        "graph_notice": _(
            "Triage signal, not a finding: shared contacts link adverts, not people."
        ),
    }
    return render(request, "online/adverts.html", context, status=status)


@online_page
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    dashboard = selectors.removal_dashboard(user=signed_in_user(request))
    return render(request, "online/dashboard.html", {"dashboard": dashboard})


def _consent_choices(user: User, link: Any) -> list[tuple[str, str]]:
    """Consents in force, on cases the user may share, for a referral or sharing, naming the
    hotline: the only ones a link may rest on."""
    cases = case_policy.instances_user_has_permission_for(user, CaseAction.SHARE)
    consents = (
        Consent.objects.filter(consent_in_force(), case__in=cases)
        .filter(recipient_agency=link.hotline_id, purpose__in=LINK_PURPOSES)
        .select_related("case")
        .order_by("case__reference", "-given_on")
    )
    return [
        (str(c.id), f"{c.case.reference} — {c.get_purpose_display()} ({c.given_on:%Y-%m-%d})")
        for c in consents
    ]


@online_page
@require_http_methods(["GET", "POST"])
def handoffs_page(request: HttpRequest) -> HttpResponse:
    """The child-protection side: reports handed to this agency, linked to a case under
    consent or declined. (The hotline sees the same list of what it handed on.)"""
    user = signed_in_user(request)
    links = list(selectors.case_link_list(user=user))
    answering = online_policy.user_has_permission(user, OnlineAction.LINK_CASE)
    forms = {}
    status = 200
    for link in links:
        if answering and link.status == CaseLinkStatus.PENDING:
            bound = request.method == "POST" and request.POST.get("link") == str(link.id)
            forms[link.id] = CaseLinkForm(
                request.POST if bound else None,
                consents=_consent_choices(user, link),
                prefix=f"l{link.id.hex[:8]}",
            )
    if request.method == "POST":
        wanted = next((lid for lid in forms if str(lid) == request.POST.get("link")), None)
        if wanted is not None and forms[wanted].is_valid():
            form = forms[wanted]
            try:
                if form.cleaned_data["decline_reason"].strip():
                    services.case_link_decline(
                        user=user,
                        link_id=wanted,
                        reason=form.cleaned_data["decline_reason"],
                        channel=Channel.WEB,
                    )
                else:
                    chosen = str(form.cleaned_data["consent"] or "")
                    consent = (
                        Consent.objects.select_related("case").filter(pk=chosen).first()
                        if chosen
                        else None
                    )
                    if consent is None:
                        raise FieldValidationError({"consent": [_("Choose the consent.")]})
                    services.case_link_accept(
                        user=user,
                        link_id=wanted,
                        case=consent.case,
                        consent=consent,
                        channel=Channel.WEB,
                    )
            except FieldValidationError as error:
                errors_onto(form, error)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Answer recorded."))
                return redirect("online:handoffs")
        status = 400
    rows = [(link, forms.get(link.id), services.case_link_in_force(link)) for link in links]
    return render(
        request, "online/handoffs.html", {"rows": rows, "answering": answering}, status=status
    )
