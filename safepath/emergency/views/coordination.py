"""The coordinator's pages: emergencies (declare, end), the live board, the service-gap table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import ApplicationError, FieldValidationError
from safepath.emergency.board import TRACING_STAGES, emergency_board, service_gaps
from safepath.emergency.deadlines import STEPS, deadlines
from safepath.emergency.forms import DeclareForm, EndForm
from safepath.emergency.models import Emergency
from safepath.emergency.policies import EmergencyAction, emergency_policy
from safepath.emergency.selectors import emergencies_list
from safepath.emergency.services.emergencies import emergency_declare, emergency_end
from safepath.referrals.selectors import service_type_label


def _user(request: HttpRequest, action: EmergencyAction) -> User:
    user = signed_in_user(request)
    if not emergency_policy.user_has_permission(user, action):
        raise Http404
    return user


def _emergency(emergency_id: str) -> Emergency:
    emergency = Emergency.objects.filter(pk=emergency_id).first()
    if emergency is None:
        raise Http404
    return emergency


def _may(user: User, action: EmergencyAction) -> bool:
    return emergency_policy.user_has_permission(user, action)


@login_required
@require_http_methods(["GET", "POST"])
def emergencies_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not (_may(user, EmergencyAction.VIEW_BOARD) or _may(user, EmergencyAction.DECLARE)):
        raise Http404
    form = DeclareForm(request.POST or None) if _may(user, EmergencyAction.DECLARE) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                emergency = emergency_declare(
                    user=user,
                    name=data["name"],
                    hazard=data["hazard"],
                    country=data["country"],
                    admin_areas=form.areas(),
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    channel=Channel.WEB,
                )
            except FieldValidationError as error:
                for name, problems in error.fields.items():
                    form.add_error(name if name in form.fields else None, " ".join(problems))
            else:
                messages.success(request, _("The emergency is declared."))
                return redirect("emergency:board", emergency_id=emergency.id)
    return render(
        request,
        "emergency/emergencies.html",
        {"form": form, "emergencies": list(emergencies_list()[:100])},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def emergency_end_page(request: HttpRequest, emergency_id: str) -> HttpResponse:
    user = _user(request, EmergencyAction.DECLARE)
    emergency = _emergency(emergency_id)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the emergency ended."))
    else:
        try:
            emergency_end(
                user=user,
                emergency=emergency,
                ends_on=form.cleaned_data["ends_on"],
                expected_version=form.cleaned_data["version"],
                channel=Channel.WEB,
            )
            messages.success(request, _("The emergency is ended; nothing was deleted."))
        except ApplicationError as error:
            messages.error(request, error.message)
    return redirect("emergency:board", emergency_id=emergency.id)


def _board_context(user: User, emergency: Emergency) -> dict[str, object]:
    board = emergency_board(user=user, emergency=emergency)
    rules = deadlines()
    stage_labels = {
        "registered": _("Registered"),
        "consent": _("Tracing consent recorded"),
        "listed": _("On the public tracing list"),
        "matched": _("Possible family match"),
        "verified": _("Verified by family and child"),
        "reunified": _("Reunified, follow-up under way"),
        "closed": _("Closed after follow-up"),
    }
    step_labels = {
        "assign": _("Caseworker assigned"),
        "interim_care": _("Interim care for an unaccompanied child"),
        "tracing": _("Tracing opened"),
        "follow_up": _("Follow-up visit after reunification"),
    }
    profile = "emergency"
    return {
        "emergency": emergency,
        "board": board,
        "stages": [(stage_labels[s], board.tracing[s]) for s in TRACING_STAGES],
        "steps": [
            (
                step_labels[s],
                board.overdue[s],
                rules.hours[(profile, s, "high")],
                rules.hours[("normal", s, "high")],
            )
            for s in STEPS
        ],
        "may_declare": _may(user, EmergencyAction.DECLARE),
        "end_form": EndForm(initial={"version": emergency.version}),
    }


@login_required
@require_GET
def board_page(request: HttpRequest, emergency_id: str) -> HttpResponse:
    user = _user(request, EmergencyAction.VIEW_BOARD)
    context = _board_context(user, _emergency(emergency_id))
    template = (
        "emergency/_board.html" if request.headers.get("HX-Request") else "emergency/board.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def gaps_page(request: HttpRequest, emergency_id: str) -> HttpResponse:
    user = _user(request, EmergencyAction.VIEW_BOARD)
    emergency = _emergency(emergency_id)
    rows = service_gaps(user=user, emergency=emergency)
    return render(
        request,
        "emergency/gaps.html",
        {
            "emergency": emergency,
            "rows": [(row, service_type_label(row.service_type)) for row in rows],
            "gaps": sum(1 for row in rows if row.gap),
        },
    )
