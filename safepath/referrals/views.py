"""Pages: the service directory, making a referral from a case, the referral lists, one
referral with its answer forms, and the overdue list. Thin: selectors and services do the work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.selectors import case_queryset
from safepath.cases.services import ChildViewsInput
from safepath.core.dates import moment
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.referrals import catalogue, services
from safepath.referrals.forms import (
    DeclineForm,
    OutcomeForm,
    ReferralForm,
    ServiceSearchForm,
    VersionForm,
    WithdrawForm,
)
from safepath.referrals.models import OperatingStatus, Referral, ReferralStatus, Service, Urgency
from safepath.referrals.policies import ReferralAction, referral_policy, service_directory_policy
from safepath.referrals.selectors import (
    ReferralFilters,
    ServiceFilters,
    audit_referral_reads,
    closed_services_skipped,
    escalations_open,
    pathway_suggestions,
    referral_child_views,
    referral_for_action,
    referral_get,
    referral_list,
    referral_overdue_list,
    service_list,
    service_type_label,
    services_for_suggestions,
)
from safepath.referrals.status import service_status_report, user_may_report_status
from safepath.screening.selectors import screening_handover


def _report(form: Form, error: ApplicationError) -> None:
    """Put a service's refusal on the form: per field where it names one."""
    if isinstance(error, FieldValidationError):
        for name, messages in error.fields.items():
            field = name.removeprefix("child_views.")
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, error.message)


@login_required
def service_directory_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not service_directory_policy.user_may_list(user):
        raise Http404
    search = ServiceSearchForm(request.GET or None)
    filters = ServiceFilters(**search.cleaned_data) if search.is_valid() else ServiceFilters()
    if not request.GET and user.agency is not None:
        search = ServiceSearchForm(initial={"country": user.agency.country})
        filters = ServiceFilters(country=user.agency.country)
    page = Paginator(service_list(filters=filters), 25).get_page(request.GET.get("page"))
    taxonomy = catalogue.taxonomy()
    return render(
        request,
        "referrals/services.html",
        {
            "search": search,
            "page": page,
            "rows": [
                (s, service_type_label(s.service_type), user_may_report_status(user, s))
                for s in page.object_list
            ],
            "taxonomy": taxonomy,
            "statuses": OperatingStatus.choices,
        },
    )


@login_required
@require_POST
def service_status_page(request: HttpRequest, service_id: str) -> HttpResponse:
    """Report that a service is open, reduced, closed or moved (its provider or a coordinator)."""
    user = signed_in_user(request)
    service = (
        Service.objects.select_related("provider").filter(pk=service_id, is_active=True).first()
    )
    if service is None or not user_may_report_status(user, service):
        raise Http404
    try:
        service_status_report(
            user=user,
            service=service,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", "")[:300],
            moved_to=request.POST.get("moved_to", "")[:200],
            channel=Channel.WEB,
        )
    except FieldValidationError as error:
        messages.error(request, " ".join(m for ms in error.fields.values() for m in ms))
    else:
        messages.success(
            request,
            _("%(name)s is now recorded as: %(status)s.")
            % {"name": service.name, "status": OperatingStatus(request.POST["status"]).label},
        )
    return redirect(request.POST.get("next") or "referrals:services")


@login_required
def referral_list_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not referral_policy.user_has_permission(user, ReferralAction.VIEW):
        raise Http404
    counts = {
        side: referral_list(user=user, filters=ReferralFilters(direction=side)).count()
        for side in ("incoming", "outgoing")
    }
    direction = request.GET.get("direction", "")
    if direction not in counts:  # open on the side that has referrals (incoming when both do)
        direction = "outgoing" if counts["outgoing"] and not counts["incoming"] else "incoming"
    status = request.GET.get("status", "")
    if status not in ReferralStatus.values:
        status = ""
    referrals = referral_list(
        user=user, filters=ReferralFilters(direction=direction, status=status)
    )
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    audit_referral_reads(user=user, referrals=list(page.object_list), channel=Channel.WEB)
    return render(
        request,
        "referrals/list.html",
        {
            "page": page,
            "direction": direction,
            "counts": counts,
            "status": status,
            "status_label": ReferralStatus(status).label if status else "",
            "escalations": list(escalations_open(user=user)[:20]),
            "can_see_overdue": referral_policy.user_has_permission(
                user, ReferralAction.VIEW_OVERDUE
            ),
        },
    )


@login_required
def overdue_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not referral_policy.user_has_permission(user, ReferralAction.VIEW_OVERDUE):
        raise Http404
    page = Paginator(referral_overdue_list(user=user), 25).get_page(request.GET.get("page"))
    audit_referral_reads(user=user, referrals=list(page.object_list), channel=Channel.WEB)
    return render(request, "referrals/overdue.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def referral_create_page(request: HttpRequest, case_id: str) -> HttpResponse:
    user = signed_in_user(request)
    case = case_queryset(user=user).select_related("owner_agency").filter(pk=case_id).first()
    if case is None or not referral_policy.user_may_refer(user, case):
        raise Http404
    suggestions = pathway_suggestions(case)
    offered = services_for_suggestions(case, suggestions)
    closed = closed_services_skipped(case, suggestions)
    initial = {"service_type": suggestions[0].service_type} if suggestions else {}
    if suggestions:
        initial["urgency"] = suggestions[0].urgency
    # "Refer now" from a positive screening result: its outcome, urgency and recommended
    # pathways come along (the id alone is in the address; nothing identifying).
    screening = screening_handover(
        user=user,
        screening_id=request.GET.get("screening", ""),
        case_id=case.id,
        channel=Channel.WEB,
    )
    if screening is not None:
        initial["urgency"] = screening.urgency
        initial["reason"] = screening.summary
    form = ReferralForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                user=user,
                case=case,
                data=services.ReferralInput(
                    receiving_agency=data["receiving_agency"],
                    service=data["service"],
                    service_type=data["service_type"],
                    urgency=data["urgency"],
                    reason=data["reason"],
                    consent=data["consent"],
                    urgent_exception_reason=data["urgent_exception_reason"],
                    child_views=ChildViewsInput(
                        views=data["views"],
                        declined_to_express=data["declined_to_express"],
                        informed_language=data["informed_language"],
                        interpreter_language=data["interpreter_language"],
                        informed_in_understandable_manner=data["informed_in_understandable_manner"],
                        weight_given=data["weight_given"],
                        heard_on=data["heard_on"],
                    ),
                ),
                channel=Channel.WEB,
            )
        except ApplicationError as error:
            _report(form, error)
        else:
            messages.success(
                request,
                _(
                    "The referral is sent to %(agency)s. They are asked to answer by %(due)s UTC;"
                    " their answer will show on this page and in your outgoing referrals."
                )
                % {
                    "agency": referral.receiving_agency.name,
                    "due": moment(referral.due_at),
                },
            )
            return redirect("referrals:detail", referral_id=referral.id)
    return render(
        request,
        "referrals/create.html",
        {
            "case": case,
            "form": form,
            "closed": closed,
            "screening": screening,
            "no_consent": not form.fields["consent"].queryset.exists(),  # type: ignore[attr-defined]
            "consent_url": _consent_url(user, case),
            "suggestions": [
                (
                    s,
                    service_type_label(s.service_type),
                    Urgency(s.urgency).label,
                    offered[s.service_type],
                )
                for s in suggestions
            ],
        },
        status=400 if form.errors else 200,
    )


def _consent_url(user: Any, case: Any) -> str:
    """Where this user records a consent on the case, or "" when they may not."""
    if not case_policy.user_has_permission_for_instance(user, CaseAction.SHARE, case):
        return ""
    return reverse("cases:detail", args=[case.id]) + "?record=consent#consent"


def _answer_forms(user: Any, referral: Referral, bound: dict[str, Form]) -> dict[str, Form]:
    """The forms this user may use on this referral now (a bound one keeps its errors)."""
    may = referral_policy.user_has_permission_for_instance
    initial = {"version": referral.version}
    forms: dict[str, Form] = {}
    if referral.status == "pending" and may(user, ReferralAction.ACCEPT, referral):
        forms["accept"] = bound.get("accept") or VersionForm(initial=initial)
        forms["decline"] = bound.get("decline") or DeclineForm(initial=initial)
    if referral.status == "accepted" and may(user, ReferralAction.REPORT_OUTCOME, referral):
        forms["outcome"] = bound.get("outcome") or OutcomeForm(initial=initial)
    if referral.status == "pending" and may(user, ReferralAction.WITHDRAW, referral):
        forms["withdraw"] = bound.get("withdraw") or WithdrawForm(initial=initial)
    return forms


def _render_detail(
    request: HttpRequest, referral_id: str, bound: dict[str, Form], status: int = 200
) -> HttpResponse:
    user = signed_in_user(request)
    try:
        referral = referral_get(user=user, referral_id=referral_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "service_type_label": service_type_label(referral.service_type),
            "child_views": referral_child_views(referral),
            "forms": _answer_forms(user, referral, bound),
            "case_visible": case_queryset(user=user).filter(pk=referral.case_id).exists(),
        },
        status=status,
    )


@login_required
def referral_detail_page(request: HttpRequest, referral_id: str) -> HttpResponse:
    return _render_detail(request, referral_id, {})


ACTIONS: dict[str, tuple[type[Form], Callable[..., Referral]]] = {
    "accept": (VersionForm, services.referral_accept),
    "decline": (DeclineForm, services.referral_decline),
    "outcome": (OutcomeForm, services.referral_outcome_report),
    "withdraw": (WithdrawForm, services.referral_withdraw),
}


# What happened, and what happens next, after each answer.
DONE = {
    "accept": gettext_lazy(
        "You accepted the referral. The case is shared with your agency under the consent; the"
        " referring agency sees your answer. Report the outcome below once the service is given."
    ),
    "decline": gettext_lazy(
        "You declined the referral. The referring agency sees your reason and can refer the"
        " child elsewhere."
    ),
    "outcome": gettext_lazy(
        "The outcome is recorded and the referral is closed. The referring agency sees it."
    ),
    "withdraw": gettext_lazy(
        "The referral is withdrawn. The receiving agency can no longer accept it."
    ),
}


@login_required
@require_POST
def referral_action_page(request: HttpRequest, referral_id: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    user = signed_in_user(request)
    try:
        referral = referral_for_action(user=user, referral_id=referral_id)
    except NotFoundError:
        raise Http404 from None
    form_class, service = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        try:
            service(
                user=user,
                referral=referral,
                expected_version=version,
                channel=Channel.WEB,
                **fields,
            )
        except ApplicationError as error:
            _report(form, error)
        else:
            messages.success(request, str(DONE[action]))
            return redirect("referrals:detail", referral_id=referral.id)
    return _render_detail(request, referral_id, {action: form}, status=400)
