"""The public side: report what you saw (no account), and ask for the status by reference.

The reference is shown once, on the page after the report, and never travels in an address:
the report page keeps it in the session and the next page takes it out; the status form sends
it in the body of a POST.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safepath.audit.models import Channel
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.online.forms import PublicReportForm, StatusForm
from safepath.online.services import ReportInput, ThrottledError, report_status_lookup
from safepath.online.services import report_submit as submit
from safepath.online.uploads import client_address
from safepath.online.views.common import errors_onto

SESSION_KEY = "online.reference"


@never_cache
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest) -> HttpResponse:
    form = PublicReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _, reference = submit(
                    data=ReportInput(**form.cleaned_data, language=get_language() or ""),
                    address=client_address(request),
                    channel=Channel.WEB,
                )
            except FieldValidationError as error:
                errors_onto(form, error)
            except ThrottledError as error:
                form.add_error(None, error.message)
                status = 429
            except ApplicationError as error:
                form.add_error(None, error.message)
                status = 503
            else:
                request.session[SESSION_KEY] = reference
                return redirect("online:thanks")
        status = status if status != 200 else 400
    return render(request, "online/report.html", {"form": form}, status=status)


@never_cache
def thanks_page(request: HttpRequest) -> HttpResponse:
    reference = request.session.pop(SESSION_KEY, "")
    if not reference:
        return redirect("online:status")
    return render(request, "online/thanks.html", {"reference": reference})


@never_cache
@require_http_methods(["GET", "POST"])
def status_page(request: HttpRequest) -> HttpResponse:
    form = StatusForm(request.POST or None)
    found = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            state, received = report_status_lookup(
                reference=form.cleaned_data["reference"],
                address=client_address(request),
                channel=Channel.WEB,
            )
        except ThrottledError as error:
            form.add_error(None, error.message)
            status = 429
        except NotFoundError as error:
            form.add_error("reference", error.message)
            status = 404
        else:
            found = {"state": state, "received": received}
    return render(request, "online/status.html", {"form": form, "found": found}, status=status)
