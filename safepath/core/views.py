from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import safepath
from safepath.accounts.roles import AGGREGATE_ONLY, DEIDENTIFIED_ONLY, Role
from safepath.accounts.selectors import signed_in_user
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.selectors import FIGURE_TITLES, case_figures, case_queryset
from safepath.referrals.selectors import escalations_open


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 once the database answers; 503 while it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "version": safepath.__version__})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's start page: its own work, and nothing its role may not see."""
    user = signed_in_user(request)
    context: dict[str, object] = {"role": user.role}
    if case_policy.user_has_permission(user, CaseAction.VIEW):
        context["visible_cases"] = case_queryset(user=user).count()
        context["assigned_cases"] = (
            case_queryset(user=user)
            .filter(assignments__user=user, assignments__ended_at__isnull=True)
            .count()
        )
        context["can_register"] = case_policy.user_has_permission(user, CaseAction.CREATE)
        context["escalations"] = list(escalations_open(user=user)[:5])
    elif user.role in AGGREGATE_ONLY | DEIDENTIFIED_ONLY:
        context["figures"] = [
            (FIGURE_TITLES[name], rows) for name, rows in case_figures(user=user).items()
        ]
    context["is_admin"] = user.role == Role.SYSTEM_ADMIN

    return render(request, "core/home.html", context)
