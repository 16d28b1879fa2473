"""The screening interview (ICAT actions 1 and 2): choose an instrument, give the context, answer
one question a page, check the answers, finish; then the saved result, where a supervisor later
records what became of the person; and how each instrument performs here, for monitors.

Thin: the engine scores, ``screening_record`` keeps the record, ``screening_get`` reads it. Until
the worker finishes, the answers live in the signed-in session under a random interview id, never
in the database; nothing identifying is asked or kept there (a linked case by its id only).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.policies import CaseAction
from safepath.cases.selectors import case_for_action, case_queryset
from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError
from safepath.screening import instruments, signing, translations
from safepath.screening.accuracy import COMPARED, MEASURES
from safepath.screening.forms import (
    ANSWER_LABELS,
    AnswerForm,
    ScreeningConfirmForm,
    ScreeningStartForm,
    default_setting,
    setting_label,
)
from safepath.screening.instruments import Instrument
from safepath.screening.models import Outcome, ScreeningConfirmation, ScreeningRecord
from safepath.screening.monitoring import instrument_performance
from safepath.screening.policies import ScreeningAction, screening_policy
from safepath.screening.selectors import screening_for_action, screening_get
from safepath.screening.services import screening_confirm, screening_record

SESSION_KEY = "screening_interviews"
MAX_OPEN = 5  # interviews kept in one session; the oldest is dropped after that
OPEN_AGE = 100  # an upper age at or above this is shown as "and over"

KIND_LABELS = {
    "identification": gettext_lazy("Identification of victims"),
    "prevention": gettext_lazy("Risk and prevention"),
}
URGENCY_LABELS = {
    "immediate": gettext_lazy("Immediately"),
    "within_24_hours": gettext_lazy("Within 24 hours"),
    "within_7_days": gettext_lazy("Within 7 days"),
    "routine": gettext_lazy("Routine follow-up"),
}
PATHWAY_LABELS = {
    "child_protection": gettext_lazy("Child protection services"),
    "social_protection": gettext_lazy("Social protection"),
    "health": gettext_lazy("Health care"),
    "psychosocial": gettext_lazy("Psychosocial support"),
    "police_specialised": gettext_lazy("Specialised police unit"),
    "legal_aid": gettext_lazy("Legal aid"),
    "shelter": gettext_lazy("Safe shelter"),
    "education": gettext_lazy("Education"),
    "family_tracing": gettext_lazy("Family tracing"),
    "none": gettext_lazy("No referral needed"),
}
NOTICE_TEXTS = {
    "non_punishment": gettext_lazy(
        "This child may be a victim of trafficking. Do not arrest, charge, detain or penalise "
        "the child for acts they were made to commit as a result of being trafficked; refer "
        "to child protection now."
    ),
    "presumption_of_minority": gettext_lazy(
        "The age is unknown, disputed or under 18: child rules apply until an age assessment "
        "concludes."
    ),
}
NOTICE_TITLES = {
    "non_punishment": gettext_lazy("Non-punishment"),
    "presumption_of_minority": gettext_lazy("Presumption of minority"),
}


# --- access and the interview kept in the session -----------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


def _runner(request: HttpRequest) -> User:
    """The signed-in user if their role runs screenings; anyone else finds nothing here."""
    user = _user(request)
    if not screening_policy.user_has_permission(user, ScreeningAction.RUN):
        raise Http404
    return user


def _language() -> str:
    return get_language() or "en"


def _instrument(instrument_id: str) -> Instrument:
    try:
        return instruments.get(instrument_id)
    except instruments.InstrumentError:
        raise Http404 from None


def _interviews(request: HttpRequest) -> dict[str, dict[str, Any]]:
    stored = request.session.get(SESSION_KEY)
    return stored if isinstance(stored, dict) else {}


def _store(request: HttpRequest, interview_id: str, data: dict[str, Any]) -> None:
    interviews = _interviews(request)
    interviews[interview_id] = data
    for old in sorted(interviews, key=lambda key: str(interviews[key]["started"]))[:-MAX_OPEN]:
        del interviews[old]
    request.session[SESSION_KEY] = interviews


def _forget(request: HttpRequest, interview_id: str) -> None:
    interviews = _interviews(request)
    interviews.pop(interview_id, None)
    request.session[SESSION_KEY] = interviews


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


def _english(texts: translations.Texts, shown: str, original: str) -> str:
    """'en' when a text in a page of another language is still the English original."""
    return "en" if texts.language != "en" and shown == original else ""


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


def _case_reference(user: User, case_id: str | None) -> str:
    """The case number of a linked case the user may see ('' when none)."""
    if not case_id:
        return ""
    reference = case_queryset(user=user).filter(pk=case_id).values_list("reference", flat=True)
    return reference.first() or ""


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


def _act_label(act: bool | None) -> str:
    return str(ANSWER_LABELS["unknown" if act is None else ("yes" if act else "no")])


def _details(data: dict[str, Any], user: User) -> dict[str, Any]:
    return {
        "age": data["age"],
        "age_disputed": data["age_disputed"],
        "setting": setting_label(data["setting"]),
        "act_recorded": _act_label(data.get("act_recorded")),
        "case_reference": _case_reference(user, data.get("case")),
    }


# --- the result --------------------------------------------------------------------------------


def _item(texts: translations.Texts | None, item_id: str) -> dict[str, str]:
    if texts is None or item_id not in texts.items:
        return {"text": item_id, "lang": ""}
    return {"text": texts.question(item_id), "lang": "en" if item_id in texts.untranslated else ""}


def _warning(
    notice: dict[str, str], instrument: Instrument | None, age: int | None
) -> dict[str, str]:
    if instrument is not None:
        population = instrument.population
        ages = {
            "low": population.get("validated_min_age", population["min_age"]),
            "high": population.get("validated_max_age", population["max_age"]),
            "age": age,
        }
        if notice["code"] == "age_unknown":
            text = _(
                "This instrument was validated for ages %(low)s to %(high)s. The age is not "
                "known, so read the result with care."
            )
            return {"text": text % ages, "lang": ""}
        if notice["code"] == "outside_validated_ages":
            text = _(
                "This instrument was validated for ages %(low)s to %(high)s only; this person "
                "is %(age)s. The result is indicative, not validated."
            )
            return {"text": text % ages, "lang": ""}
        if notice["code"] == "outside_intended_ages":
            text = _(
                "This instrument is meant for ages %(low)s to %(high)s; this person is "
                "%(age)s. Consider the list for their age."
            )
            return {"text": text % ages, "lang": ""}
    return {"text": notice["text"], "lang": "en"}


def _notice(notice: dict[str, str]) -> dict[str, str]:
    code = notice["code"]
    if code in NOTICE_TEXTS:
        return {"code": code, "title": str(NOTICE_TITLES[code]), "text": str(NOTICE_TEXTS[code])}
    return {"code": code, "title": "", "text": notice["text"], "lang": "en"}


def _dimension(
    found: dict[str, Any], instrument: Instrument | None, texts: translations.Texts | None
) -> dict[str, Any]:
    title = found["title"]
    if texts is not None and found["id"] in texts.dimensions:
        title = texts.dimensions[found["id"]]
    in_dimension = instrument.items_in(found["id"]) if instrument else ()
    if instrument is not None and instrument.rule == "ilo_delphi":
        state = _("Positive: the indicators meet the rule") if found["positive"] else ""
        state = state or _("Not positive")
    else:
        state = _("Indicators present") if found["positive"] else _("None seen")
    return {
        "title": title,
        "title_lang": "en" if _language() != "en" and title == found["title"] else "",
        "positive": found["positive"],
        "could_change": found["could_become_positive"],
        "state": state,
        "strong": found.get("strong", 0),
        "medium": found.get("medium", 0),
        "weak": found.get("weak", 0),
        "yes": len(found["observed"]),
        "total": len(in_dimension) or len(found["observed"]) + len(found["unknown"]),
        "unknown": len(found["unknown"]),
        "observed": [_item(texts, item_id) for item_id in found["observed"]],
    }


def _action(record: ScreeningRecord, instrument: Instrument | None) -> dict[str, str]:
    """The recommended action in the page's language where the instrument is translated."""
    action = str(record.result["action"])
    if instrument is None or record.outcome not in instrument.outcomes:
        return {"text": action, "lang": "en"}
    texts = translations.texts(instrument, _language())
    shown = texts.actions[record.outcome]
    return {
        "text": shown,
        "lang": _english(texts, shown, instrument.outcomes[record.outcome].action),
    }


def _threshold(instrument: Instrument | None) -> str:
    if instrument is None or instrument.rule != "count_threshold":
        return ""
    n = int(instrument.scoring["threshold"])
    return ngettext(
        "The screen is positive at %(n)s 'yes' answer or more.",
        "The screen is positive at %(n)s 'yes' answers or more.",
        n,
    ) % {"n": n}


def _short_signature(signature: str) -> str:
    return " ".join(signature[start : start + 4] for start in range(0, 16, 4))


def _confirmation(record: ScreeningRecord) -> ScreeningConfirmation | None:
    return (
        ScreeningConfirmation.objects.filter(screening=record)
        .select_related("confirmed_by")
        .first()
    )


def _render_result(
    request: HttpRequest,
    user: User,
    record: ScreeningRecord,
    form: ScreeningConfirmForm | None = None,
) -> HttpResponse:
    try:
        instrument: Instrument | None = instruments.get(record.instrument_id)
    except instruments.InstrumentError:
        instrument = None  # no longer shipped: the record still shows, by item ids
    texts = translations.texts(instrument, _language()) if instrument else None
    result: dict[str, Any] = record.result
    answers = list(record.answers.values())
    confirmation = _confirmation(record)
    if confirmation is None and form is None:
        may_confirm = screening_policy.user_has_permission_for_instance(
            user, ScreeningAction.CONFIRM, record
        )
        form = ScreeningConfirmForm() if may_confirm else None
    context = {
        "record": record,
        "instrument": instrument,
        "title": texts.title if texts else record.instrument_id,
        "title_lang": _english(texts, texts.title, instrument.title)
        if texts and instrument
        else "",
        "outcome": Outcome(record.outcome).label,
        "urgency": URGENCY_LABELS.get(record.urgency, record.urgency),
        "action": _action(record, instrument),
        "pathways": [PATHWAY_LABELS.get(p, p) for p in result.get("pathways", [])],
        "dimensions": [_dimension(d, instrument, texts) for d in result["dimensions"]],
        "ilo": instrument is not None and instrument.rule == "ilo_delphi",
        "could_change": [_item(texts, item_id) for item_id in result["could_change_with"]],
        "warnings": [_warning(w, instrument, record.age) for w in result.get("warnings", [])],
        "notices": [_notice(n) for n in result.get("notices", [])],
        "counts": {value: answers.count(value) for value in ("yes", "no", "unknown")},
        "threshold": _threshold(instrument),
        "setting": setting_label(record.setting),
        "act_recorded": _act_label(record.act_recorded),
        "case_reference": _case_reference(user, str(record.case_id) if record.case_id else None),
        "signature": _short_signature(record.signature),
        "signature_ok": signing.verify(record),
        "version_differs": bool(instrument and instrument.version != record.instrument_version),
        "can_run": screening_policy.user_has_permission(user, ScreeningAction.RUN),
        "confirmation": confirmation,
        "confirm_form": None if confirmation else form,
    }
    status = 400 if context["confirm_form"] is not None and form and form.errors else 200
    return render(request, "screening/result.html", context, status=status)


def _read(user: User, screening_id: uuid.UUID) -> ScreeningRecord:
    try:
        return screening_get(user=user, screening_id=screening_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None


@login_required
@require_GET
def result_page(request: HttpRequest, screening_id: uuid.UUID) -> HttpResponse:
    """The saved result: outcome, what to do, every dimension, safeguards; read and audited."""
    user = _user(request)
    return _render_result(request, user, _read(user, screening_id))


@login_required
@require_POST
def confirm_page(request: HttpRequest, screening_id: uuid.UUID) -> HttpResponse:
    """What became of the person screened; a record the user may not see is not found."""
    user = _user(request)
    try:
        record = screening_for_action(
            user=user, screening_id=screening_id, action=ScreeningAction.CONFIRM
        )
    except NotFoundError:
        raise Http404 from None
    except PermissionDeniedError as error:
        return _refused(request, error, screening_id)
    form = ScreeningConfirmForm(request.POST)
    if not form.is_valid():
        # The page shows the record again: read it as the result page does, audited.
        return _render_result(request, user, _read(user, screening_id), form)
    try:
        screening_confirm(user=user, record=record, channel=Channel.WEB, **form.cleaned_data)
    except FieldValidationError as error:
        for found in error.fields.values():
            for message in found:
                messages.error(request, message)
    except PermissionDeniedError as error:
        return _refused(request, error, screening_id)
    else:
        messages.success(request, _("What became of this person is recorded. Thank you."))
    return redirect("screening:result", screening_id=record.id)


def _refused(
    request: HttpRequest, error: PermissionDeniedError, screening_id: uuid.UUID
) -> HttpResponse:
    """A 403 in the site's frame and language (there is no project-wide 403.html)."""
    context = {"message": error.message, "screening_id": screening_id}
    return render(request, "screening/refused.html", context, status=403)


# --- how each instrument performs here ---------------------------------------------------------

MEASURE_LABELS = {
    "sensitivity": gettext_lazy("Sensitivity"),
    "specificity": gettext_lazy("Specificity"),
    "ppv": gettext_lazy("Positive predictive value (PPV)"),
    "npv": gettext_lazy("Negative predictive value (NPV)"),
}
MEASURE_HELP = {
    "sensitivity": gettext_lazy("Confirmed victims whom the screen found"),
    "specificity": gettext_lazy("People not confirmed as victims whom the screen left negative"),
    "ppv": gettext_lazy("Positive screens that were confirmed victims"),
    "npv": gettext_lazy("Negative screens that were not victims"),
}


def _percent(value: float | None) -> str:
    if value is None:
        return ""
    return _("%(percent)s%%") % {"percent": number_format(round(value * 100, 1), 1)}


def _local_measures(local: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name in MEASURES:
        found = local[name]
        interval = ""
        if found["ci_low"] is not None:
            interval = _("%(low)s to %(high)s") % {
                "low": _percent(found["ci_low"]),
                "high": _percent(found["ci_high"]),
            }
        counts = _("%(successes)s of %(total)s") % found
        rows.append(
            {
                "name": name,
                "label": MEASURE_LABELS[name],
                "help": MEASURE_HELP[name],
                "value": _percent(found["value"]) or _("No data yet"),
                "interval": interval,
                "counts": counts,
            }
        )
    return rows


def _compared(name: str, found: dict[str, Any]) -> dict[str, str]:
    """A published figure and where it lies against the local interval, in words."""
    if found["published"] is None:
        return {"text": _("Not published"), "state": "none"}
    if name not in COMPARED:
        return {"text": _("Not compared: it depends on how common trafficking is"), "state": ""}
    if found["within_local_interval"] is None:
        return {"text": _("No local interval yet"), "state": "none"}
    if found["within_local_interval"]:
        return {"text": _("Inside the local interval"), "state": "inside"}
    return {"text": _("Outside the local interval"), "state": "outside"}


def _study(found: dict[str, Any]) -> dict[str, Any]:
    return {
        "study": found["study"],
        "population": found["population"],
        "n": found["n"],
        "measures": [
            {
                "name": name,
                "label": MEASURE_LABELS[name],
                "published": _percent(found[name]["published"]),
                **_compared(name, found[name]),
            }
            for name in MEASURES
        ],
    }


def _performance_card(instrument: Instrument, report: dict[str, Any]) -> dict[str, Any]:
    texts = translations.texts(instrument, _language())
    return {
        "id": instrument.id,
        "title": texts.title,
        "title_lang": _english(texts, texts.title, instrument.title),
        "confirmed": report["confirmed_screens"],
        "excluded": report["excluded_insufficient_information"],
        "table": report["local"]["table"],
        "measures": _local_measures(report["local"]),
        "studies": [_study(found) for found in report["published"]],
    }


@login_required
@require_GET
def performance_page(request: HttpRequest) -> HttpResponse:
    """Each shipped instrument's local accuracy from confirmed screens, beside the papers."""
    user = _user(request)
    if not screening_policy.user_has_permission(user, ScreeningAction.MONITOR):
        raise Http404
    cards: list[dict[str, Any]] = []
    scope = "national"
    for instrument in sorted(instruments.catalogue().values(), key=lambda i: i.title):
        report = instrument_performance(user=user, instrument_id=instrument.id)
        scope = report["scope"]
        cards.append(_performance_card(instrument, report))
    cards.sort(key=lambda card: not card["confirmed"])  # the tools with figures first
    context = {
        "cards": cards,
        "scope": scope,
        "agency": user.agency.name if user.agency else "",
        "any_confirmed": any(card["confirmed"] for card in cards),
        "measures": [{"label": MEASURE_LABELS[n], "help": MEASURE_HELP[n]} for n in MEASURES],
    }
    return render(request, "screening/performance.html", context)
