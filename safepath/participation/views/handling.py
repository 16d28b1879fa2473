"""Staff pages for feedback (the handler's list and one item, recording for a child), the
coordinator's lateness figures, naming safeguarding leads, and recording on a case which
explanation a child was given."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import (
    ApplicationError,
    FieldValidationError,
    NotFoundError,
    PermissionDeniedError,
)
from safepath.participation.feedback_selectors import (
    coordination_overview,
    feedback_get,
    feedback_list,
)
from safepath.participation.forms import (
    CaseworkerFeedbackForm,
    HandleForm,
    InformationGivenForm,
    SafeguardingLeadForm,
)
from safepath.participation.models import FeedbackChannel, FeedbackStatus, SafeguardingLead
from safepath.participation.policies import (
    FeedbackAction,
    SafeguardingAction,
    feedback_policy,
    safeguarding_policy,
)
from safepath.participation.services.feedback import (
    feedback_acknowledge,
    feedback_close,
    feedback_recuse,
    feedback_respond,
    feedback_submit,
)
from safepath.participation.services.information import information_record_given
from safepath.participation.services.safeguarding import safeguarding_lead_set
from safepath.participation.views.answering import language


@login_required
@require_GET
@never_cache
def feedback_list_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not feedback_policy.user_has_permission(user, FeedbackAction.VIEW):
        raise Http404
    show = request.GET.get("show", "open")
    items = list(feedback_list(user=user, status=show if show in ("open", "closed") else "open"))
    return render(
        request,
        "participation/feedback_list.html",
        {
            "items": items,
            "show": show,
            "now": timezone.now(),
            "can_record": feedback_policy.user_has_permission(
                user, FeedbackAction.RECORD_FOR_CHILD
            ),
        },
    )


@login_required
@require_GET
@never_cache
def feedback_detail_page(request: HttpRequest, feedback_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    if not feedback_policy.user_has_permission(user, FeedbackAction.VIEW):
        raise Http404
    try:
        feedback = feedback_get(user=user, feedback_id=feedback_id)
    except NotFoundError:
        raise Http404 from None
    return render(
        request,
        "participation/feedback_detail.html",
        {
            "feedback": feedback,
            "now": timezone.now(),
            "form": HandleForm(initial={"reply": feedback.reply}),
            "can_handle": feedback_policy.user_has_permission_for_instance(
                user, FeedbackAction.HANDLE, feedback
            ),
        },
    )


def _acknowledge(user: User, feedback_id: uuid.UUID, reply: str) -> object:
    return feedback_acknowledge(
        actor=user, feedback_id=feedback_id, reply=reply, channel=Channel.WEB
    )


def _respond(user: User, feedback_id: uuid.UUID, reply: str) -> object:
    return feedback_respond(actor=user, feedback_id=feedback_id, reply=reply, channel=Channel.WEB)


def _close(user: User, feedback_id: uuid.UUID, reply: str) -> object:
    return feedback_close(actor=user, feedback_id=feedback_id, channel=Channel.WEB)


def _recuse(user: User, feedback_id: uuid.UUID, reply: str) -> object:
    return feedback_recuse(actor=user, feedback_id=feedback_id, channel=Channel.WEB)


STEPS: dict[str, tuple[Callable[[User, uuid.UUID, str], object], StrOrPromise]] = {
    "acknowledge": (_acknowledge, gettext_lazy("Acknowledged.")),
    "respond": (
        _respond,
        gettext_lazy("Answer sent: the child or carer reads it with the tracking code."),
    ),
    "close": (_close, gettext_lazy("Closed.")),
    "recuse": (_recuse, gettext_lazy("Handed over. You will no longer see this complaint.")),
}


@login_required
@require_POST
def feedback_step_page(request: HttpRequest, feedback_id: uuid.UUID, step: str) -> HttpResponse:
    user = signed_in_user(request)
    if step not in STEPS or not feedback_policy.user_has_permission(user, FeedbackAction.HANDLE):
        raise Http404
    form = HandleForm(request.POST)
    reply = form.cleaned_data["reply"] if form.is_valid() else ""
    do, done = STEPS[step]
    try:
        do(user, feedback_id, reply)
    except NotFoundError:
        raise Http404 from None
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from None
    except FieldValidationError as error:
        messages.error(request, " ".join(p for problems in error.fields.values() for p in problems))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(done))
        if step == "recuse":
            return redirect("participation:feedback")
    return redirect("participation:feedback-detail", feedback_id=feedback_id)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def feedback_record_page(request: HttpRequest) -> HttpResponse:
    """A caseworker writes down a child's feedback with them, and gives the child the code."""
    user = signed_in_user(request)
    if not feedback_policy.user_has_permission(user, FeedbackAction.RECORD_FOR_CHILD):
        raise Http404
    form = CaseworkerFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback, code = feedback_submit(
                kind=data["kind"],
                submitted_by=data["submitted_by"],
                service_id=data["service"],
                message=data["message"],
                about_worker=data.get("about_worker", ""),
                concerns_lead=bool(data.get("concerns_lead")),
                anonymous=data["anonymous"] == "yes",
                contact=form.contact(),
                language=language(),
                channel=FeedbackChannel.CASEWORKER,
                recorded_by=user,
                subject_user_id=data.get("subject_user") or None,
                audit_channel=Channel.WEB,
            )
        except FieldValidationError as error:
            for name, problems in error.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            return render(
                request,
                "participation/feedback_recorded.html",
                {"code": code, "feedback": feedback},
            )
    return render(
        request,
        "participation/feedback_record.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def coordination_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if user.role != Role.COORDINATOR:
        raise Http404
    return render(
        request,
        "participation/coordination.html",
        {"rows": coordination_overview(user=user), "statuses": FeedbackStatus},
    )


@login_required
@require_http_methods(["GET", "POST"])
def safeguarding_page(request: HttpRequest) -> HttpResponse:
    """A supervisor names their agency's safeguarding lead; the administrator any agency's."""
    user = signed_in_user(request)
    if not safeguarding_policy.user_has_permission(user, SafeguardingAction.SET):
        raise Http404
    if user.role == Role.SYSTEM_ADMIN:
        agencies = list(Agency.objects.filter(is_active=True).order_by("name"))
        chosen = (
            request.POST.get("agency")
            or request.GET.get("agency")
            or (str(agencies[0].id) if agencies else "")
        )
        agency = next((a for a in agencies if str(a.id) == chosen), None)
    else:
        agencies = []
        agency = user.agency
    if agency is None:
        raise Http404
    staff = list(
        User.objects.filter(agency=agency, is_active=True)
        .exclude(role=Role.SYSTEM_ADMIN)
        .order_by("last_name", "first_name", "username")
    )
    current = (
        SafeguardingLead.objects.select_related("lead", "deputy").filter(agency=agency).first()
    )
    initial = (
        {"lead": str(current.lead_id), "deputy": str(current.deputy_id or "")} if current else None
    )
    form = SafeguardingLeadForm(request.POST or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            safeguarding_lead_set(
                actor=user,
                agency_id=agency.id,
                lead_id=form.cleaned_data["lead"],
                deputy_id=form.cleaned_data["deputy"] or None,
                channel=Channel.WEB,
            )
        except FieldValidationError as error:
            for name, problems in error.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        except NotFoundError:
            raise Http404 from None
        else:
            messages.success(
                request,
                _(
                    "Saved. Safeguarding complaints about this agency's workers now go to "
                    "this person."
                ),
            )
            return redirect(
                reverse("participation:safeguarding") + (f"?agency={agency.id}" if agencies else "")
            )
    return render(
        request,
        "participation/safeguarding.html",
        {"form": form, "agency": agency, "agencies": agencies, "current": current},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def information_given_page(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """From the case page: record which explanation the child was given (then back to the case)."""
    user = signed_in_user(request)
    form = InformationGivenForm(request.POST, language=language())
    target = reverse("cases:detail", args=[case_id]) + "#information"
    if not form.is_valid():
        messages.error(
            request, _("Choose what was explained, the level, the language, how and when.")
        )
        return redirect(target)
    try:
        information_record_given(
            actor=user, case_id=case_id, channel=Channel.WEB, **form.cleaned_data
        )
    except NotFoundError:
        raise Http404 from None
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from None
    except FieldValidationError as error:
        messages.error(request, " ".join(p for problems in error.fields.values() for p in problems))
    else:
        messages.success(request, _("Recorded: the child was given this explanation."))
    return redirect(target)
