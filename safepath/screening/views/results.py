"""The saved result, and the form where a supervisor records what became of the person."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError
from safepath.screening import instruments, signing, translations
from safepath.screening.engine import UNVERIFIED_GRADES
from safepath.screening.forms import (
    ScreeningConfirmForm,
    setting_label,
)
from safepath.screening.instruments import Instrument
from safepath.screening.models import Outcome, ScreeningConfirmation, ScreeningRecord
from safepath.screening.notices import record_warnings
from safepath.screening.policies import ScreeningAction, screening_policy
from safepath.screening.selectors import ACTIONABLE, screening_for_action, screening_get
from safepath.screening.services import screening_confirm
from safepath.screening.views.common import (
    NOTICE_TEXTS,
    NOTICE_TITLES,
    PATHWAY_LABELS,
    URGENCY_LABELS,
    _act_label,
    _case_reference,
    _english,
    _language,
)

# --- the result --------------------------------------------------------------------------------


def _item(texts: translations.Texts | None, item_id: str) -> dict[str, str]:
    if texts is None or item_id not in texts.items:
        return {"text": item_id, "lang": ""}
    return {"text": texts.question(item_id), "lang": "en" if item_id in texts.untranslated else ""}


def _warning(
    notice: dict[str, str], instrument: Instrument | None, age: int | None
) -> dict[str, str]:
    if notice["code"] == UNVERIFIED_GRADES:  # already in the reader's language (notices.py)
        return {
            "code": notice["code"],
            "text": notice["text"],
            "lang": "",
            "source": notice["source"],
        }
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


def _next_steps(user: User, record: ScreeningRecord, *, case_visible: bool) -> dict[str, str]:
    """On a result that asks for action: "refer now" (the case's referral form) or, for a child
    without a case, "open a case"; each carries the screening's id, and the next page reads
    the outcome, urgency and pathways from it (``screening_handover``)."""
    if record.outcome not in ACTIONABLE:
        return {}
    carried = "?" + urlencode({"screening": str(record.id)})
    if record.case_id and case_visible:
        return {"refer_url": reverse("referrals:create", args=[record.case_id]) + carried}
    if record.case_id is None and case_policy.user_has_permission(user, CaseAction.CREATE):
        return {"open_case_url": reverse("cases:register") + carried}
    return {}


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
        "warnings": [_warning(w, instrument, record.age) for w in record_warnings(record)],
        "notices": [_notice(n) for n in result.get("notices", [])],
        "counts": {value: answers.count(value) for value in ("yes", "no", "unknown")},
        "threshold": _threshold(instrument),
        "setting": setting_label(record.setting),
        "act_recorded": _act_label(record.act_recorded),
        "case_reference": _case_reference(user, str(record.case_id) if record.case_id else None),
        "signature": _short_signature(record.signature),
        "signature_ok": signing.verify(record),
        "version_differs": bool(
            instrument and instrument.version != record.instrument_version.split("+", 1)[0]
        ),
        "can_run": screening_policy.user_has_permission(user, ScreeningAction.RUN),
        "confirmation": confirmation,
        "confirm_form": None if confirmation else form,
    }
    context.update(_next_steps(user, record, case_visible=bool(context["case_reference"])))
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
    user = signed_in_user(request)
    return _render_result(request, user, _read(user, screening_id))


@login_required
@require_POST
def confirm_page(request: HttpRequest, screening_id: uuid.UUID) -> HttpResponse:
    """What became of the person screened; a record the user may not see is not found."""
    user = signed_in_user(request)
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
