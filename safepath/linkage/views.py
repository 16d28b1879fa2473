"""Linkage pages: the review queue, one pair, a person's history, family tracing.

Thin: selectors read (and audit), services change. A page the user may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.linkage import selectors as sel
from safepath.linkage import services as svc
from safepath.linkage.forms import (
    CandidateStepForm,
    DecisionForm,
    RevertForm,
    RunForm,
    SplitForm,
    TracingRequestForm,
)
from safepath.linkage.models import CandidatePair, CandidateStatus, MatchRun, PairStatus
from safepath.linkage.policies import LinkageAction, linkage_policy


def _user_for(request: HttpRequest, action: LinkageAction) -> User:
    user = signed_in_user(request)
    if not linkage_policy.user_has_permission(user, action):
        raise Http404
    return user


def _form_errors(form: Any, error: ApplicationError) -> None:
    if isinstance(error, FieldValidationError):
        for name, texts in error.fields.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
    else:
        form.add_error(None, error.message)


# --- queue and pairs -------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def queue_page(request: HttpRequest) -> HttpResponse:
    """Pending pairs, most probable first; a supervisor may start a check of their cases."""
    user = _user_for(request, LinkageAction.REVIEW)
    run_form = RunForm(request.POST or None)
    if request.method == "POST" and run_form.is_valid():
        try:
            svc.match_run_start(
                user=user, threshold=run_form.cleaned_data["threshold"], channel=Channel.WEB
            )
        except ApplicationError as error:
            _form_errors(run_form, error)
        else:
            messages.success(request, _("The check has started; new pairs join this queue."))
            return redirect("linkage:queue")
    page = Paginator(sel.pair_queue(user=user), 25).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    sel.audit_pair_reads(user=user, pairs=rows, channel=Channel.WEB)
    runs = MatchRun.objects.filter(requested_by=user).order_by("-created_at")[:3]
    requests = sel.open_requests_with_cases(user=user)
    return render(
        request,
        "linkage/queue.html",
        {
            "page": page,
            "rows": [_row(pair) for pair in rows],
            "run_form": run_form,
            "runs": runs,
            "requests": requests,
        },
        status=400 if run_form.errors else 200,
    )


def _row(pair: CandidatePair) -> dict[str, Any]:
    sees_1, sees_2 = bool(getattr(pair, "sees_1", False)), bool(getattr(pair, "sees_2", False))
    mine = pair.case_1 if sees_1 else pair.case_2
    other = pair.case_2 if sees_1 else pair.case_1
    return {
        "pair": pair,
        "full": sees_1 and sees_2,
        "mine": mine,
        "other_agency": other.owner_agency,
    }


@login_required
@require_http_methods(["GET", "POST"])
def pair_page(request: HttpRequest, pair_id: str) -> HttpResponse:
    user = _user_for(request, LinkageAction.REVIEW)
    try:
        view = sel.pair_get(user=user, pair_id=pair_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    pair = view.pair
    form = DecisionForm(request.POST or None, initial={"version": pair.version})
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        decide = svc.pair_confirm if form.cleaned_data["decision"] == "confirm" else svc.pair_reject
        try:
            decided = decide(
                user=user,
                pair=pair,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                channel=Channel.WEB,
            )
        except ApplicationError as error:
            _form_errors(form, error)
            status = error.http_status
        else:
            if decided.status == PairStatus.CONFIRMED:
                person = sel.person_of_case(case=pair.case_1)
                messages.success(request, _("Confirmed: the two records are now one person."))
                if person is not None:
                    return redirect("linkage:person", person_id=person.pk)
            messages.success(request, _("Rejected: the pair leaves the queue."))
            return redirect("linkage:queue")
    rows = sel.evidence_rows(pair.evidence) if view.full else []
    return render(
        request,
        "linkage/pair.html",
        {
            "view": view,
            "pair": pair,
            "form": form,
            "rows": rows,
            "chart_height": sel.chart_height(rows),
            "half": sel.CHART_HALF_WIDTH,
            "pending": pair.status == PairStatus.PENDING,
        },
        status=status,
    )


@login_required
@require_POST
def sharing_request_page(request: HttpRequest, pair_id: str) -> HttpResponse:
    user = _user_for(request, LinkageAction.REVIEW)
    pair = linkage_policy.pairs_user_may_see(user).filter(pk=pair_id).first()
    if pair is None:
        raise Http404
    try:
        svc.sharing_request_create(user=user, pair=pair, channel=Channel.WEB)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Request sent. The other agency answers through consent."))
    return redirect("linkage:pair", pair_id=pair.pk)


@login_required
@require_POST
def request_answer_page(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user_for(request, LinkageAction.REVIEW)
    try:
        item = sel.match_request_get(user=user, request_id=request_id)
        svc.match_request_answer(
            user=user, request=item, accept=request.POST.get("accept") == "yes", channel=Channel.WEB
        )
    except NotFoundError:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("linkage:queue")


# --- persons ---------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def person_page(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _user_for(request, LinkageAction.REVIEW)
    try:
        view = sel.person_get(user=user, person_id=person_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    choices = [
        (str(m.child_id), m.case.reference if m.case else m.agency_name) for m in view.members
    ]
    split = SplitForm(
        request.POST or None, choices=choices, initial={"version": view.person.version}
    )
    if request.method == "POST" and split.is_valid():
        try:
            svc.person_split(
                user=user,
                person=view.person,
                child_ids=split.cleaned_data["children"],
                reason=split.cleaned_data["reason"],
                expected_version=split.cleaned_data["version"],
                channel=Channel.WEB,
            )
        except ApplicationError as error:
            _form_errors(split, error)
        else:
            messages.success(request, _("Split: the chosen records are now a separate person."))
            return redirect("linkage:person", person_id=view.person.pk)
    return render(
        request,
        "linkage/person.html",
        {"view": view, "split": split, "revert": RevertForm()},
        status=400 if split.errors else 200,
    )


@login_required
@require_POST
def change_revert_page(request: HttpRequest, change_id: str) -> HttpResponse:
    user = _user_for(request, LinkageAction.REVIEW)
    try:
        change = sel.change_get(user=user, change_id=change_id)
    except NotFoundError:
        raise Http404 from None
    form = RevertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you undo this change."))
    else:
        try:
            svc.person_change_revert(
                user=user, change=change, reason=form.cleaned_data["reason"], channel=Channel.WEB
            )
        except NotFoundError:
            raise Http404 from None
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Undone: the records are linked as they were before."))
    return redirect("linkage:person", person_id=change.person_id)


# --- tracing ---------------------------------------------------------------------------------
@login_required
def tracing_list_page(request: HttpRequest) -> HttpResponse:
    user = _user_for(request, LinkageAction.TRACE)
    page = Paginator(sel.tracing_request_list(user=user), 25).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    sel.audit_tracing_reads(user=user, requests=rows, channel=Channel.WEB)
    return render(request, "linkage/tracing_list.html", {"page": page, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def tracing_new_page(request: HttpRequest) -> HttpResponse:
    user = _user_for(request, LinkageAction.TRACE)
    form = TracingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = svc.tracing_request_create(
                user=user, values=dict(form.cleaned_data), channel=Channel.WEB
            )
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            return redirect("linkage:tracing_detail", request_id=item.pk)
    return render(
        request, "linkage/tracing_new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def tracing_detail_page(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user_for(request, LinkageAction.TRACE)
    try:
        item = sel.tracing_request_get(user=user, request_id=request_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    if request.method == "POST":
        if "search" in request.POST:
            found = svc.tracing_search(user=user, request=item, channel=Channel.WEB)
            messages.success(
                request, _("Search done: %(count)s candidates.") % {"count": len(found)}
            )
        elif request.POST.get("action") in ("verify", "follow_up"):
            from safepath.linkage.views_reunification import candidate_record

            candidate_record(request, user)
        else:
            _candidate_step(request, user)
        return redirect("linkage:tracing_detail", request_id=item.pk)
    candidates = [
        {
            "candidate": candidate,
            "rows": sel.evidence_rows(candidate.evidence),
            "form": CandidateStepForm(initial={"version": candidate.version}),
            "moves": sorted(svc.CANDIDATE_MOVES[CandidateStatus(candidate.status)]),
            "move_values": [
                m.value for m in svc.CANDIDATE_MOVES[CandidateStatus(candidate.status)]
            ],
            "chart_id": f"chart-{candidate.pk}",
            "chart_height": sel.chart_height(sel.evidence_rows(candidate.evidence)),
            "verifications": list(candidate.verifications.all()),
            "follow_ups": list(candidate.follow_ups.all()),
            "visits_required": svc.follow_up_visits_required(),
        }
        for candidate in sel.tracing_candidates(request=item)
    ]
    return render(request, "linkage/tracing_detail.html", {"item": item, "candidates": candidates})


def _candidate_step(request: HttpRequest, user: User) -> None:
    form = CandidateStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next step."))
        return
    try:
        candidate = sel.tracing_candidate_get(
            user=user, candidate_id=request.POST.get("candidate", "")
        )
        svc.tracing_candidate_update(
            user=user,
            candidate=candidate,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
            channel=Channel.WEB,
            reunified_on=form.cleaned_data["reunified_on"],
            reunification_place=form.cleaned_data["reunification_place"],
        )
    except FieldValidationError as error:
        messages.error(request, " ".join(m for ms in error.fields.values() for m in ms))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The step is recorded."))
