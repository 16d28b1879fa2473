from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safepath.accounts.roles import AGGREGATE_ONLY, DEIDENTIFIED_ONLY, Role
from safepath.accounts.selectors import signed_in_user
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.selectors import FIGURE_TITLES, case_figures, case_queryset
from safepath.home.registry import work_items
from safepath.referrals.selectors import escalations_open
from safepath.screening.policies import ScreeningAction, screening_policy


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's start page: what waits for them across the apps, then their own work, and
    nothing their role may not see."""
    user = signed_in_user(request)
    context: dict[str, object] = {"role": user.role, "work_items": work_items(user)}
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
    context["can_run_screening"] = screening_policy.user_has_permission(user, ScreeningAction.RUN)
    context["can_monitor_screening"] = screening_policy.user_has_permission(
        user, ScreeningAction.MONITOR
    )
    return render(request, "home/home.html", context)
