"""The interview: choose an instrument, give the context, answer one question a page, check the
answers, finish. Until the worker finishes, the answers live in the signed-in session under a
random interview id, never in the database; nothing identifying is kept there (a linked case by
its id only)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.policies import CaseAction
from safepath.cases.selectors import case_for_action
from safepath.core import crypto
from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError
from safepath.screening import instruments, translations
from safepath.screening.forms import (
    ANSWER_LABELS,
    AnswerForm,
    ScreeningStartForm,
    default_setting,
    setting_label,
)
from safepath.screening.instruments import Instrument
from safepath.screening.policies import ScreeningAction, screening_policy
from safepath.screening.services import screening_record
from safepath.screening.views.common import (
    KIND_LABELS,
    MAX_OPEN,
    OPEN_AGE,
    SESSION_KEY,
    _act_label,
    _case_reference,
    _english,
    _instrument,
    _language,
    _runner,
)

SESSION_CONTEXT = "session.screening_interviews"


def _interviews(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """The open interviews. They are encrypted in the session like a saved screening's answers:
    sessions sit in the database too, and answers can speak of sexual health or abuse."""
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, str):
        return {}
    try:
        interviews = json.loads(crypto.decrypt(stored, context=SESSION_CONTEXT))
    except (crypto.DecryptionError, ValueError):
        return {}
    return interviews if isinstance(interviews, dict) else {}


def _save(request: HttpRequest, interviews: dict[str, dict[str, Any]]) -> None:
    request.session[SESSION_KEY] = crypto.encrypt(json.dumps(interviews), context=SESSION_CONTEXT)


def _store(request: HttpRequest, interview_id: str, data: dict[str, Any]) -> None:
    interviews = _interviews(request)
    interviews[interview_id] = data
    for old in sorted(interviews, key=lambda key: str(interviews[key]["started"]))[:-MAX_OPEN]:
        del interviews[old]
    _save(request, interviews)


def _forget(request: HttpRequest, interview_id: str) -> None:
    interviews = _interviews(request)
    interviews.pop(interview_id, None)
    _save(request, interviews)


def _open_interview(
    request: HttpRequest, interview_id: uuid.UUID
) -> tuple[str, dict[str, Any], Instrument] | HttpResponse:
    """The interview in progress, or where to go instead: its result, or the start."""
    key = str(interview_id)
    data = _interviews(request).get(key)
    if data is None:
        messages.info(
            request,
            _("That screening is no longer open (it ends when you sign out). Start again."),
        )
        return redirect("screening:choose")
    if "record" in data:
        return redirect("screening:result", screening_id=data["record"])
    return key, data, _instrument(data["instrument"])


def _posted(request: HttpRequest) -> Any:
    """The POST data to bind a form to (even when empty), or None on a GET."""
    return request.POST if request.method == "POST" else None


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back_to_summary(request: HttpRequest) -> bool:
    return (request.POST.get("next") or request.GET.get("next")) == "summary"


def _frame(instrument: Instrument, texts: translations.Texts) -> dict[str, Any]:
    return {
        "instrument": instrument,
        "texts": texts,
        "title_lang": _english(texts, texts.title, instrument.title),
        "total": len(instrument.items),
    }


# --- the pages ---------------------------------------------------------------------------------


def _ages(instrument: Instrument) -> str:
    low, high = instrument.population["min_age"], instrument.population["max_age"]
    if high >= OPEN_AGE:
        return _("Ages %(low)s and over") % {"low": low}
    return _("Ages %(low)s to %(high)s") % {"low": low, "high": high}


@login_required
@require_GET
def choose_page(request: HttpRequest) -> HttpResponse:
    """The instruments, grouped by kind (identification first), each with its ages and length."""
    user = _runner(request)
    language = _language()
    groups: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KIND_LABELS}
    for instrument in sorted(instruments.catalogue().values(), key=lambda i: i.title):
        texts = translations.texts(instrument, language)
        questions = len(instrument.items)
        count = ngettext("%(n)s question", "%(n)s questions", questions) % {"n": questions}
        groups.setdefault(instrument.kind, []).append(
            {
                "id": instrument.id,
                "title": texts.title,
                "title_lang": _english(texts, texts.title, instrument.title),
                "summary": texts.summary,
                "summary_lang": _english(texts, texts.summary, instrument.summary),
                "facts": f"{_ages(instrument)} · {count}",
                "for_adults": instrument.for_adults,
            }
        )
    kinds = [
        {"id": kind, "title": KIND_LABELS.get(kind, kind), "cards": cards}
        for kind, cards in groups.items()
        if cards
    ]
    can_monitor = screening_policy.user_has_permission(user, ScreeningAction.MONITOR)
    return render(request, "screening/choose.html", {"kinds": kinds, "can_monitor": can_monitor})


def _render_start(
    request: HttpRequest, instrument: Instrument, form: ScreeningStartForm, interview_id: str = ""
) -> HttpResponse:
    context = {
        **_frame(instrument, translations.texts(instrument, _language())),
        "form": form,
        "interview_id": interview_id,
        "next": "summary" if _back_to_summary(request) else "",
    }
    status = 400 if form.errors else 200
    return render(request, "screening/start.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def start_page(request: HttpRequest, instrument_id: str) -> HttpResponse:
    """The context of a new screen; the interview opens once it is given."""
    user = _runner(request)
    instrument = _instrument(instrument_id)
    form = ScreeningStartForm(
        _posted(request),
        user=user,
        asks_act=instrument.rule == "ilo_delphi",
        initial={"setting": default_setting(user)},
    )
    if request.method == "POST" and form.is_valid():
        interview_id = str(uuid.uuid4())
        data = {
            "instrument": instrument.id,
            "started": timezone.now().isoformat(),
            "answers": {},
            **form.context(),
        }
        _store(request, interview_id, data)
        return redirect("screening:question", interview_id=interview_id, number=1)
    return _render_start(request, instrument, form)


@login_required
@require_http_methods(["GET", "POST"])
def details_page(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """Change the context of an open interview; the answers stay."""
    user = _runner(request)
    opened = _open_interview(request, interview_id)
    if isinstance(opened, HttpResponse):
        return opened
    key, data, instrument = opened
    form = ScreeningStartForm(
        _posted(request),
        user=user,
        asks_act=instrument.rule == "ilo_delphi",
        initial=ScreeningStartForm.initial_from(data, _case_reference(user, data.get("case"))),
    )
    if request.method == "POST" and form.is_valid():
        _store(request, key, {**data, **form.context()})
        if _back_to_summary(request):
            return redirect("screening:summary", interview_id=key)
        return redirect("screening:question", interview_id=key, number=1)
    return _render_start(request, instrument, form, key)


@login_required
@require_http_methods(["GET", "POST"])
def question_page(request: HttpRequest, interview_id: uuid.UUID, number: int) -> HttpResponse:
    """One question: yes, no, not known; Skip records 'not known'. Works with and without htmx."""
    _runner(request)
    opened = _open_interview(request, interview_id)
    if isinstance(opened, HttpResponse):
        return opened
    key, data, instrument = opened
    if not 1 <= number <= len(instrument.items):
        raise Http404
    item = instrument.items[number - 1]
    to_summary = _back_to_summary(request)
    # Ids differ from question to question, so htmx never carries one input's state over.
    form = AnswerForm(
        _posted(request),
        initial={"answer": data["answers"].get(item.id)},
        auto_id=f"id_q{number}_%s",
    )
    if request.method == "POST":
        answer = "unknown" if "skip" in request.POST else None
        if answer is None and form.is_valid():
            answer = form.cleaned_data["answer"]
        if answer is not None:
            data["answers"][item.id] = answer
            _store(request, key, data)
            if to_summary or number == len(instrument.items):
                return redirect("screening:summary", interview_id=key)
            return redirect("screening:question", interview_id=key, number=number + 1)
    texts = translations.texts(instrument, _language())
    if to_summary:
        back = reverse("screening:summary", kwargs={"interview_id": key})
    elif number == 1:
        back = reverse("screening:details", kwargs={"interview_id": key})
    else:
        back = reverse("screening:question", kwargs={"interview_id": key, "number": number - 1})
    context = {
        **_frame(instrument, texts),
        "form": form,
        "number": number,
        "question": texts.question(item.id),
        "help": texts.help(item.id),
        "untranslated": item.id in texts.untranslated,
        "section": texts.dimensions[item.dimension] if len(instrument.dimensions) > 1 else "",
        "back_url": back,
        "next": "summary" if to_summary else "",
    }
    # htmx swaps only a 2xx answer: a missing choice is shown in place, not refused.
    status = 400 if form.errors and not _is_htmx(request) else 200
    return render(request, "screening/question.html", context, status=status)


def _submission(data: dict[str, Any], instrument: Instrument) -> dict[str, Any]:
    return {
        "age": data["age"],
        "age_disputed": data["age_disputed"],
        "answers": {item.id: data["answers"].get(item.id, "unknown") for item in instrument.items},
        "context": {"setting": data["setting"], "act_recorded": data["act_recorded"]},
    }


def _finish(
    request: HttpRequest, user: User, key: str, data: dict[str, Any], instrument: Instrument
) -> HttpResponse | list[str]:
    """Record the screening and go to its result; or the reasons it could not be recorded."""
    try:
        case = (
            case_for_action(user=user, case_id=data["case"], action=CaseAction.EDIT)
            if data.get("case")
            else None
        )
        record = screening_record(
            user=user,
            instrument_id=instrument.id,
            submission=_submission(data, instrument),
            case=case,
            channel=Channel.WEB,
            interview_id=uuid.UUID(key),
        )
    except FieldValidationError as error:
        return [str(message) for found in error.fields.values() for message in found]
    except (NotFoundError, PermissionDeniedError):
        return [_("The case can no longer be linked. Change the details, or remove the case.")]
    # Only the record's id stays: a second press of Finish leads to the same result.
    _store(request, key, {"record": str(record.id), "started": data["started"]})
    return redirect("screening:result", screening_id=record.id)


@login_required
@require_http_methods(["GET", "POST"])
def summary_page(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """Every answer with a link to change it; Finish records the screening."""
    user = _runner(request)
    opened = _open_interview(request, interview_id)
    if isinstance(opened, HttpResponse):
        return opened
    key, data, instrument = opened
    errors: list[str] = []
    if request.method == "POST" and "discard" in request.POST:
        _forget(request, key)
        messages.info(request, _("The screening was discarded. Nothing was saved."))
        return redirect("screening:choose")
    if request.method == "POST":
        finished = _finish(request, user, key, data, instrument)
        if isinstance(finished, HttpResponse):
            return finished
        errors = finished
    texts = translations.texts(instrument, _language())
    sections = []
    for dimension in instrument.dimensions:
        rows = []
        for item in instrument.items_in(dimension.id):
            answer = data["answers"].get(item.id)
            rows.append(
                {
                    "number": instrument.items.index(item) + 1,
                    "question": texts.question(item.id),
                    "lang": "en" if item.id in texts.untranslated else "",
                    "answer": ANSWER_LABELS[answer] if answer else _("Not answered yet"),
                    "value": answer or "",
                }
            )
        sections.append({"title": texts.dimensions[dimension.id], "rows": rows})
    answers = [data["answers"].get(item.id, "unknown") for item in instrument.items]
    context = {
        **_frame(instrument, texts),
        "interview_id": key,
        "details": _details(data, user),
        "sections": sections,
        "several_sections": len(sections) > 1,
        "counts": {value: answers.count(value) for value in ("yes", "no", "unknown")},
        "errors": errors,
        "last_question": len(instrument.items),
    }
    return render(request, "screening/summary.html", context, status=400 if errors else 200)


def _details(data: dict[str, Any], user: User) -> dict[str, Any]:
    return {
        "age": data["age"],
        "age_disputed": data["age_disputed"],
        "setting": setting_label(data["setting"]),
        "act_recorded": _act_label(data.get("act_recorded")),
        "case_reference": _case_reference(user, data.get("case")),
    }
