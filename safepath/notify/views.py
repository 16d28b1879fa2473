"""Pages: the notification centre (list, mark read), preferences, and the administrator's
failed deliveries. Thin: selectors and services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.notify import services
from safepath.notify.forms import PreferenceForm
from safepath.notify.kinds import KINDS
from safepath.notify.selectors import delivery_failed_list, notification_list


@login_required
def centre_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(notification_list(user=user, unread_only=unread_only), 25).get_page(
        request.GET.get("page")
    )
    rows = [(note, KINDS[note.kind].title) for note in page.object_list]
    return render(
        request,
        "notifications/centre.html",
        {"page": page, "rows": rows, "unread_only": unread_only},
    )


@login_required
@require_POST
def mark_read_page(request: HttpRequest, notification_id: str) -> HttpResponse:
    try:
        note = services.notification_mark_read(
            user=signed_in_user(request), notification_id=notification_id, channel=Channel.WEB
        )
    except NotFoundError:
        raise Http404 from None
    if request.POST.get("open"):
        return redirect(note.link)
    return redirect("notifications:centre")


@login_required
@require_POST
def mark_all_read_page(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=signed_in_user(request), channel=Channel.WEB)
    return redirect("notifications:centre")


@login_required
@require_http_methods(["GET", "POST"])
def preferences_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    current = services.preference_of(user)
    form = PreferenceForm(
        request.POST or None,
        initial={
            "email_enabled": current.email_enabled,
            "sms_enabled": current.sms_enabled,
            "phone": current.phone,
            "frequency": current.frequency,
            "quiet_start": current.quiet_start,
            "quiet_end": current.quiet_end,
            "time_zone": current.time_zone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(
                user=user, data=services.PreferenceInput(**form.cleaned_data), channel=Channel.WEB
            )
        except FieldValidationError as error:
            for name, problems in error.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"form": form, "has_email": bool(user.email)}
    )


@login_required
def failed_page(request: HttpRequest) -> HttpResponse:
    try:
        failed = delivery_failed_list(user=signed_in_user(request))
    except NotFoundError:
        raise Http404 from None
    page = Paginator(failed, 25).get_page(request.GET.get("page"))
    return render(request, "notifications/failed.html", {"page": page})


@login_required
@require_POST
def retry_page(request: HttpRequest, delivery_id: str) -> HttpResponse:
    try:
        services.delivery_retry(
            user=signed_in_user(request), delivery_id=delivery_id, channel=Channel.WEB
        )
    except NotFoundError:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delivery will be tried again."))
    return redirect("notifications:failed")
