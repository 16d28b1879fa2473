"""Staff pages for consultations: the list, one consultation, its results, the review of written
answers, 'you said, we did', and the summary for publication. Thin: services change, selectors
read; a consultation the user may not see is 404, a step they may not take is 403."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import (
    ApplicationError,
    FieldValidationError,
    NotFoundError,
    PermissionDeniedError,
)
from safepath.participation import redaction, results
from safepath.participation.forms import (
    ActionForm,
    ActionUpdateForm,
    ConsultationCreateForm,
    ReviewForm,
)
from safepath.participation.models import Consultation, ConsultationSession
from safepath.participation.policies import ConsultationAction, consultation_policy
from safepath.participation.selectors import (
    action_list,
    consultation_get,
    consultation_list,
    consultation_results,
    instrument_of,
    summary_list,
    written_for_review,
)
from safepath.participation.services.consultations import (
    consultation_close,
    consultation_create,
    consultation_link_create,
    consultation_link_disable,
    session_end,
)
from safepath.participation.services.review import answer_review
from safepath.participation.services.summaries import action_record, action_update, summary_draft
from safepath.participation.views.answering import language


def _get(user: User, consultation_id: uuid.UUID, action: ConsultationAction) -> Consultation:
    try:
        return consultation_get(user=user, consultation_id=consultation_id, action=action)
    except NotFoundError:
        raise Http404 from None
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from None


def _can(user: User, action: ConsultationAction, consultation: Consultation) -> bool:
    return consultation_policy.user_has_permission_for_instance(user, action, consultation)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_list_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not consultation_policy.user_has_permission(user, ConsultationAction.VIEW):
        raise Http404
    can_create = consultation_policy.user_has_permission(user, ConsultationAction.CREATE)
    form = ConsultationCreateForm(request.POST or None, language=language()) if can_create else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                consultation = consultation_create(
                    actor=user,
                    instrument_id=form.cleaned_data["instrument"],
                    title=form.cleaned_data["title"],
                    closes_on=form.cleaned_data["closes_on"],
                    channel=Channel.WEB,
                )
            except FieldValidationError as error:
                for name, problems in error.fields.items():
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, problem)
            else:
                messages.success(
                    request, _("Consultation created. Start a session or make a link.")
                )
                return redirect("participation:consultation", consultation_id=consultation.id)
    return render(
        request,
        "participation/consultations.html",
        {"consultations": list(consultation_list(user=user)), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_GET
@never_cache
def consultation_page(request: HttpRequest, consultation_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    consultation = _get(user, consultation_id, ConsultationAction.VIEW)
    instrument = instrument_of(consultation)
    sessions = list(
        ConsultationSession.objects.filter(consultation=consultation, ended_at__isnull=True)
    )
    return render(
        request,
        "participation/consultation.html",
        {
            "consultation": consultation,
            "instrument": instrument,
            "instrument_title": instrument.title.get(language()),
            "live_sessions": [s for s in sessions if s.is_live],
            "new_link": request.session.pop(f"participation.new-link.{consultation.id}", None),
            "can_run": _can(user, ConsultationAction.RUN, consultation),
            "can_results": _can(user, ConsultationAction.RESULTS, consultation),
            "can_review": _can(user, ConsultationAction.REVIEW_TEXT, consultation),
            "can_act": _can(user, ConsultationAction.RECORD_ACTION, consultation),
            "can_summarise": _can(user, ConsultationAction.SUMMARISE, consultation),
            "actions": list(action_list(consultation=consultation)),
            "summaries": list(summary_list(consultation=consultation)),
            "action_form": ActionForm(),
        },
    )


def _step(
    request: HttpRequest,
    consultation_id: uuid.UUID,
    do: Callable[[User], Any],
    done: str,
) -> HttpResponse:
    user = signed_in_user(request)
    _get(user, consultation_id, ConsultationAction.RUN)
    try:
        do(user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("participation:consultation", consultation_id=consultation_id)


@login_required
@require_POST
def consultation_close_page(request: HttpRequest, consultation_id: uuid.UUID) -> HttpResponse:
    return _step(
        request,
        consultation_id,
        lambda user: consultation_close(
            actor=user, consultation_id=consultation_id, channel=Channel.WEB
        ),
        _("Closed: no more answers are taken."),
    )


@login_required
@require_POST
def link_create_page(request: HttpRequest, consultation_id: uuid.UUID) -> HttpResponse:
    """Make a link; its address is shown once, on the next page (kept in the session for it)."""

    def make(user: User) -> None:
        _consultation, token = consultation_link_create(
            actor=user, consultation_id=consultation_id, channel=Channel.WEB
        )
        request.session[f"participation.new-link.{consultation_id}"] = request.build_absolute_uri(
            reverse("participate:link", args=[token])
        )

    return _step(
        request, consultation_id, make, _("Link made. Copy it now: it is shown only once.")
    )


@login_required
@require_POST
def link_stop_page(request: HttpRequest, consultation_id: uuid.UUID) -> HttpResponse:
    return _step(
        request,
        consultation_id,
        lambda user: consultation_link_disable(
            actor=user, consultation_id=consultation_id, channel=Channel.WEB
        ),
        _("The link no longer works."),
    )


@login_required
@require_POST
def session_end_page(
    request: HttpRequest, consultation_id: uuid.UUID, session_id: uuid.UUID
) -> HttpResponse:
    return _step(
        request,
        consultation_id,
        lambda user: session_end(actor=user, session_id=session_id, channel=Channel.WEB),
        _("Session ended."),
    )


@login_required
@require_GET
@never_cache
def results_page(request: HttpRequest, consultation_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    _get(user, consultation_id, ConsultationAction.RESULTS)
    found = consultation_results(user=user, consultation_id=consultation_id)
    lang = language()
    questions = []
    for item in found.results.questions:
        question = item.question
        rows = []
        for row in item.table.rows:
            if row == results.TOTAL:
                label = _("Total")
            elif row == results.SKIPPED:
                label = _("Skipped")
            elif row == results.ANSWERED:
                label = _("Wrote an answer")
            else:
                label = question.option(row).label.get(lang)
            rows.append(
                {
                    "label": label,
                    "total": row == results.TOTAL,
                    "cells": [item.table.cell(row, column) for column in item.table.columns],
                }
            )
        questions.append(
            {
                "question": question,
                "text": question.text.get(lang),
                "rows": rows,
                "excerpts": found.excerpts.get(question.id, []),
            }
        )
    columns = [
        _("%(band)s years") % {"band": column} if column != results.TOTAL else _("All ages")
        for column in found.results.taking_part.columns
    ]
    return render(
        request,
        "participation/results.html",
        {
            "found": found,
            "consultation": found.consultation,
            "title": found.instrument.title.get(lang),
            "columns": columns,
            "taking_part": [
                found.results.taking_part.cell(results.TOTAL, c)
                for c in found.results.taking_part.columns
            ],
            "questions": questions,
            "can_review": _can(user, ConsultationAction.REVIEW_TEXT, found.consultation),
            "can_summarise": _can(user, ConsultationAction.SUMMARISE, found.consultation),
        },
    )


@login_required
@require_GET
@never_cache
def review_page(request: HttpRequest, consultation_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    _get(user, consultation_id, ConsultationAction.REVIEW_TEXT)
    consultation, pending = written_for_review(user=user, consultation_id=consultation_id)
    instrument = instrument_of(consultation)
    items = [
        {
            "answer": answer,
            "question": instrument.question(answer.question_id).text.get(language()),
            "hints": redaction.hints(str(answer.value or "")),
            "form": ReviewForm(initial={"text": answer.value or ""}, prefix=str(answer.id)),
        }
        for answer in pending
    ]
    return render(
        request,
        "participation/review.html",
        {"consultation": consultation, "items": items},
    )


@login_required
@require_POST
def review_decision_page(
    request: HttpRequest, consultation_id: uuid.UUID, answer_id: uuid.UUID
) -> HttpResponse:
    user = signed_in_user(request)
    _get(user, consultation_id, ConsultationAction.REVIEW_TEXT)
    form = ReviewForm(request.POST, prefix=str(answer_id))
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to leave the answer out."))
        return redirect("participation:review", consultation_id=consultation_id)
    try:
        answer_review(
            actor=user,
            answer_id=answer_id,
            approve=form.cleaned_data["decision"] == "approve",
            text=form.cleaned_data["text"],
            channel=Channel.WEB,
        )
    except NotFoundError:
        raise Http404 from None
    except FieldValidationError as error:
        messages.error(request, " ".join(p for problems in error.fields.values() for p in problems))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Review saved. The original words are no longer kept."))
    return redirect("participation:review", consultation_id=consultation_id)


@login_required
@require_POST
def action_record_page(request: HttpRequest, consultation_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    consultation = _get(user, consultation_id, ConsultationAction.RECORD_ACTION)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            action_record(
                actor=user,
                consultation_id=consultation.id,
                channel=Channel.WEB,
                **form.cleaned_data,
            )
        except FieldValidationError as error:
            messages.error(
                request, " ".join(p for problems in error.fields.values() for p in problems)
            )
        else:
            messages.success(request, _("Saved: you said, we did."))
    else:
        messages.error(request, _("Fill in what children said, what was done, and its status."))
    return redirect(reverse("participation:consultation", args=[consultation.id]) + "#you-said")


@login_required
@require_POST
def action_update_page(
    request: HttpRequest, consultation_id: uuid.UUID, action_id: uuid.UUID
) -> HttpResponse:
    user = signed_in_user(request)
    consultation = _get(user, consultation_id, ConsultationAction.RECORD_ACTION)
    form = ActionUpdateForm(request.POST, prefix=str(action_id))
    if form.is_valid():
        try:
            action_update(actor=user, action_id=action_id, channel=Channel.WEB, **form.cleaned_data)
        except NotFoundError:
            raise Http404 from None
        except FieldValidationError as error:
            messages.error(
                request, " ".join(p for problems in error.fields.values() for p in problems)
            )
        else:
            messages.success(request, _("Updated."))
    return redirect(reverse("participation:consultation", args=[consultation.id]) + "#you-said")


@login_required
@require_POST
def summary_draft_page(request: HttpRequest, consultation_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    _get(user, consultation_id, ConsultationAction.SUMMARISE)
    summary = summary_draft(actor=user, consultation_id=consultation_id, channel=Channel.WEB)
    messages.success(
        request,
        _("Draft summary saved. Check it, then send it to the data-protection officer for review."),
    )
    return redirect("evidence:release", release_id=summary.release_id)
