"""Read-only pages over many records: a case's history, a supervisor's overview, and the
coordinator's list of children in contact with the justice system."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safepath.accounts.roles import Role
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.selectors import (
    case_get,
    case_history,
    non_punishment_report,
    supervision_overview,
)
from safepath.core.exceptions import NotFoundError, PermissionDeniedError


@login_required
@require_GET
def case_history_page(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Every change: version, who, when, what kind, which fields, and the values before and
    after (the selector lets only the case's workers and supervisors this far, and gives a
    partner agency only the fields its consent covers)."""
    user = signed_in_user(request)
    try:
        changes = case_history(user=user, case_id=case_id, channel=Channel.WEB)
        case = case_get(user=user, case_id=case_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    except PermissionDeniedError as denied:
        raise PermissionDenied(denied.message) from None
    rows = [
        {
            "change": change,
            "values": [
                (name, change.before.get(name, ""), change.after.get(name, ""))
                for name in change.fields
            ],
        }
        for change in changes
    ]
    return render(request, "cases/history.html", {"case": case, "rows": rows})


@login_required
@require_GET
def supervision_page(request: HttpRequest) -> HttpResponse:
    """Caseload per worker, plans and determinations waiting for approval, overdue tasks."""
    user = signed_in_user(request)
    try:
        overview = supervision_overview(user=user)
    except NotFoundError:
        raise Http404 from None
    return render(request, "cases/supervision.html", {"overview": overview})


@login_required
@require_GET
def non_punishment_page(request: HttpRequest) -> HttpResponse:
    """Children in contact with the justice system, by case number, for the coordinator (and a
    supervisor, for their own agency)."""
    user = signed_in_user(request)
    try:
        rows = non_punishment_report(user=user, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    return render(
        request,
        "cases/non_punishment.html",
        {"rows": rows, "national": user.role == Role.COORDINATOR},
    )
