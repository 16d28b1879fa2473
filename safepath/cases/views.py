"""Case pages: list, register, open. Thin: selectors and services do the work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.forms import CaseRegisterForm, CaseSearchForm
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.selectors import CaseFilters, audit_case_reads, case_get, case_list
from safepath.cases.services import CaseInput, ChildInput, case_register
from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError


@login_required
@require_http_methods(["GET", "POST"])
def case_list_page(request: HttpRequest) -> HttpResponse:
    """The list; a name search is POSTed so that names stay out of URLs, history and logs."""
    user = signed_in_user(request)
    if not case_policy.user_has_permission(user, CaseAction.VIEW):
        raise Http404
    search = CaseSearchForm(request.POST or None)
    filters = CaseFilters(**search.cleaned_data) if search.is_valid() else CaseFilters()
    page_number = request.POST.get("page") or request.GET.get("page")
    page = Paginator(case_list(user=user, filters=filters), 25).get_page(page_number)
    audit_case_reads(user=user, cases=list(page.object_list), channel=Channel.WEB)
    template = "cases/_case_rows.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "search": search,
            "can_register": case_policy.user_has_permission(user, CaseAction.CREATE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_register_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not case_policy.user_has_permission(user, CaseAction.CREATE):
        raise Http404
    form = CaseRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child, case = form.split()
        try:
            created = case_register(
                user=user, child=ChildInput(**child), case=CaseInput(**case), channel=Channel.WEB
            )
        except FieldValidationError as error:
            for name, messages in error.fields.items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
        except PermissionDeniedError as error:
            form.add_error(None, error.message)
        else:
            return redirect("cases:detail", case_id=created.id)
    status = 400 if form.errors else 200
    return render(request, "cases/register.html", {"form": form}, status=status)


@login_required
def case_detail_page(request: HttpRequest, case_id: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        case = case_get(user=user, case_id=case_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "child": case.child,
            "can_edit": case_policy.user_has_permission_for_instance(user, CaseAction.EDIT, case),
        },
    )
