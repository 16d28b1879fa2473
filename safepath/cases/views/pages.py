"""Case pages: list, register, and a case's four pages (overview, procedure, plan, care)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.access_trail import TrailAction, case_trail_policy
from safepath.cases.alerts import case_alerts
from safepath.cases.duplicates import possible_duplicates, registration_duplicates_check
from safepath.cases.forms import CaseRegisterForm, CaseSearchForm
from safepath.cases.lifecycle import move_options
from safepath.cases.models import Case, consent_in_force
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.scopes import (
    alerts_in_scope,
    key_visible,
    visible_categories,
    visible_categories_many,
)
from safepath.cases.search import SEARCH_POOL_LIMIT, case_name_search
from safepath.cases.selectors import CaseFilters, audit_case_reads, case_get, case_list
from safepath.cases.services import CaseInput, ChildInput, age_on, case_facts, case_register
from safepath.cases.views.registry import ACTIONS
from safepath.cases.vocabulary import CaseStatus, DataCategory, MeansOfControl
from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError


@login_required
@require_http_methods(["GET", "POST"])
def case_list_page(request: HttpRequest) -> HttpResponse:
    """The list; a name search is POSTed so that names stay out of URLs, history and logs."""
    user = signed_in_user(request)
    if not case_policy.user_has_permission(user, CaseAction.VIEW):
        raise Http404
    search = CaseSearchForm(request.POST or None)
    data = search.cleaned_data if search.is_valid() else {}
    filters = CaseFilters(reference=data.get("reference", ""))
    page_number = request.POST.get("page") or request.GET.get("page")
    reasons: dict[Any, str] = {}
    truncated = False
    if data.get("name", "").strip():
        hits, truncated = case_name_search(user=user, name=data["name"], filters=filters)
        reasons = {hit.case.id: hit.reason for hit in hits}
        page = Paginator([hit.case for hit in hits], 25).get_page(page_number)
    else:
        page = Paginator(case_list(user=user, filters=filters), 25).get_page(page_number)
    shown = list(page.object_list)
    audit_case_reads(user=user, cases=shown, channel=Channel.WEB)
    categories = visible_categories_many(user, shown)
    today = timezone.localdate()
    for case in shown:  # a name and an age show only where the reader's consent covers identity
        case.identity_visible = key_visible("child.given_name", categories[case.id])  # type: ignore[attr-defined]
        case.match_reason = reasons.get(case.id, "")  # type: ignore[attr-defined]
        case.age_now = (  # type: ignore[attr-defined]
            age_on(case.child.date_of_birth, today) if case.identity_visible else None  # type: ignore[attr-defined]
        )
    template = "cases/_case_rows.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "search": search,
            "name_searched": bool(reasons) or bool(data.get("name", "").strip()),
            "truncated": truncated,
            "pool_limit": SEARCH_POOL_LIMIT,
            "can_register": case_policy.user_has_permission(user, CaseAction.CREATE),
            "is_supervisor": user.role == Role.SUPERVISOR,
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
            for name, problems in error.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        except PermissionDeniedError as error:
            form.add_error(None, error.message)
        else:
            check = registration_duplicates_check(user=user, case=created)
            if check.visible:
                messages.warning(
                    request,
                    ngettext(
                        "The child is registered. One case looks like the same child: check it"
                        " below before going on.",
                        "The child is registered. %(count)s cases look like the same child: check"
                        " them below before going on.",
                        len(check.visible),
                    )
                    % {"count": len(check.visible)},
                )
            else:
                messages.success(request, gettext("The child is registered."))
            return redirect(reverse("cases:detail", args=[created.id]) + _carry(request))
    status = 400 if form.errors else 200
    context = {"form": form, "from_screening": bool(_carry(request))}
    return render(request, "cases/register.html", context, status=status)


def _carry(request: HttpRequest) -> str:
    """``?screening=<id>`` when the page was opened from a screening result ("open a case"), so
    that the case's referral form starts from that result; "" for anything else. Only the id
    travels: the referral page reads the result, for a reader allowed to see it."""
    try:
        carried = uuid.UUID(request.GET.get("screening", ""))
    except ValueError:
        return ""
    return "?" + urlencode({"screening": str(carried)})


PAGES = {
    "detail": "cases/detail.html",
    "procedure": "cases/procedure.html",
    "plan": "cases/plan.html",
    "care": "cases/care.html",
}


def _optional_url(name: str, *args: Any) -> str:
    """A link to another app's page, or "" while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _page_items(
    page: str, case: Case, sees: dict[str, bool], categories: frozenset[str]
) -> dict[str, Any]:
    """The records each page lists (each list is one query), limited to the categories the
    reader may see (``scopes.py``, the same map as the API): what is withheld is never read,
    let alone decrypted."""
    items = _all_page_items(page, case, sees)
    return {
        name: rows
        for name, rows in items.items()
        if key_visible(PAGE_KEYS.get(name, name), categories)
    }


# Lists a page shows under another name than the read key they come from (``scopes.py``).
PAGE_KEYS = {"means_labels": "means_of_control", "move_labels": "allowed_transitions"}


def _all_page_items(page: str, case: Case, sees: dict[str, bool]) -> dict[str, Any]:
    if page == "detail":
        return {
            "child_views": list(case.child_views.select_related("recorded_by"))
            if sees[DataCategory.PLAN]
            else [],
            "means_labels": [
                label for value, label in MeansOfControl.choices if value in case.means_of_control
            ],
        }
    if page == "procedure":
        return {
            "assessments": list(case.assessments.select_related("assessed_by")),
            "determinations": list(
                case.determinations.select_related("recorded_by", "approved_by")
            ),
        }
    if page == "plan":
        return {
            "plans": list(case.plans.select_related("created_by", "approved_by")),
            "tasks": list(case.tasks.select_related("owner")),
            "reviews": list(case.reviews.select_related("reviewed_by")),
            "notes": list(case.notes.select_related("author")),
            "documents": list(case.documents.select_related("uploaded_by")),
        }
    return {
        "guardians": list(case.guardians.all()),
        "justice_contacts": list(case.justice_contacts.all()),
        "transition_plans": list(case.transition_plans.all()),
        "age_assessments": list(case.age_assessments.all()),
        "family": list(case.family.all()),
    }


def render_case_page(
    request: HttpRequest,
    case: Case,
    page: str,
    *,
    bound: dict[str, forms.Form] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """One of the case's pages, with a blank form for each change the user may make there, or
    the submitted form with its errors (``bound``)."""
    user = signed_in_user(request)
    bound = bound or {}
    allowed = {
        action: case_policy.user_has_permission_for_instance(user, action, case)
        for action in (
            CaseAction.VIEW,
            CaseAction.EDIT,
            CaseAction.APPROVE,
            CaseAction.SHARE,
            CaseAction.ASSIGN,
        )
    }
    page_forms = {
        name.replace("-", "_"): bound.get(name) or spec.make(case, user, None, None, name)
        for name, spec in ACTIONS.items()
        if spec.page == page and spec.target is None and allowed[spec.needs]
    }
    categories = visible_categories(user, case)
    if DataCategory.IDENTITY in categories:  # today's age beside the age when identified
        case.child.age_now = age_on(case.child.date_of_birth, timezone.localdate())  # type: ignore[attr-defined]
    referral_url = _optional_url("referrals:create", case.id)
    sees = {"": True, **{category: category in categories for category in DataCategory.values}}
    context = {
        "sees": sees,
        "withheld": [label for value, label in DataCategory.choices if value not in categories],
        "case": case,
        "child": case.child,
        "page": page,
        "alerts": alerts_in_scope(case_alerts(case), categories),
        "forms": page_forms,
        "action_errors": errors or [],
        "can_edit": allowed[CaseAction.EDIT],
        "can_approve": allowed[CaseAction.APPROVE],
        "can_share": allowed[CaseAction.SHARE],
        "assignments": _own_assignments(case, user)
        if page == "detail" and allowed[CaseAction.ASSIGN]
        else [],
        "open_consent": request.GET.get("record") == "consent",
        "consents": _consents(case) if page == "detail" and allowed[CaseAction.SHARE] else [],
        "can_see_history": allowed[CaseAction.EDIT] or user.role == Role.SUPERVISOR,
        "can_see_trail": case_trail_policy.user_has_permission_for_instance(
            user, TrailAction.VIEW, case
        ),
        "referral_url": referral_url and referral_url + _carry(request),
        "from_screening": bool(_carry(request)),
        "person_url": _person_url(case) if page == "detail" else "",
        "duplicates": possible_duplicates(user=user, case=case) if page == "detail" else [],
        "reviews_duplicates": user.role == Role.SUPERVISOR,
        "screening_url": _optional_url("screening:choose"),
        **_page_items(page, case, sees, categories),
    }
    if page == "detail":
        facts = case_facts(case=case, user=user)
        context["moves"] = [
            (CaseStatus(target).label, [str(refusal) for refusal in missing])
            for target, missing in move_options(facts)
        ]
    return render(request, PAGES[page], context, status=status)


def _own_assignments(case: Case, user: User) -> list[Any]:
    """The open assignments of the supervisor's own agency's staff, each with its end button."""
    return list(
        case.assignments.filter(ended_at__isnull=True, user__agency=user.agency_id)
        .select_related("user")
        .order_by("assigned_at", "id")
    )


def _consents(case: Case) -> list[Any]:
    """The case's consents, newest first, each with its categories in words and whether it is in
    force (shown only to those who may share the case, as the API does)."""
    in_force = set(case.consents.filter(consent_in_force()).values_list("id", flat=True))
    labels = dict(DataCategory.choices)
    consents = list(case.consents.select_related("recipient_agency").order_by("-recorded_at"))
    for consent in consents:
        consent.in_force = consent.id in in_force  # type: ignore[attr-defined]
        consent.category_labels = [labels[c] for c in consent.data_categories if c in labels]  # type: ignore[attr-defined]
    return consents


def _person_url(case: Case) -> str:
    """The child's SafePath person (linkage app), once a confirmed match has made one."""
    from safepath.linkage.selectors import person_of_case

    person = person_of_case(case=case)
    return reverse("linkage:person", kwargs={"person_id": person.id}) if person else ""


def _case_page(request: HttpRequest, case_id: str, page: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        case = case_get(user=user, case_id=case_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    return render_case_page(request, case, page)


@login_required
@require_http_methods(["GET"])
def case_detail_page(request: HttpRequest, case_id: str) -> HttpResponse:
    """The overview: alerts, the stage and where it may go next, the child, the child's views."""
    return _case_page(request, case_id, "detail")


@login_required
@require_http_methods(["GET"])
def case_procedure_page(request: HttpRequest, case_id: str) -> HttpResponse:
    """The best-interests procedure, the durable solution and the placement."""
    return _case_page(request, case_id, "procedure")


@login_required
@require_http_methods(["GET"])
def case_plan_page(request: HttpRequest, case_id: str) -> HttpResponse:
    """Plans, tasks, reviews, notes and documents."""
    return _case_page(request, case_id, "plan")


@login_required
@require_http_methods(["GET"])
def case_care_page(request: HttpRequest, case_id: str) -> HttpResponse:
    """Guardianship, justice contact, the transition to adulthood, age and family."""
    return _case_page(request, case_id, "care")
