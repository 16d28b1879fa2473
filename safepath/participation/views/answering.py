"""A child answering a consultation, on a shared tablet (a facilitated session) or by a link.

No sign-in: the browser's session holds which consultation this device is open on, and which
participant is answering now. Nothing identifying ever goes in a URL or in the browser's
history (every step is a POST followed by a redirect to a fixed address). When a child
finishes, the device forgets them: the next child cannot go back to their answers, and nobody
can find them later (which the assent text says).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safepath.accounts.selectors import signed_in_user
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.participation import consultations
from safepath.participation.codes import link_digest
from safepath.participation.forms import (
    AgeBandForm,
    AssentForm,
    StopForm,
    question_form,
    set_choices,
)
from safepath.participation.models import (
    CaregiverConsent,
    Consultation,
    ConsultationSession,
    Participant,
    ParticipantStatus,
    ParticipationChannel,
)
from safepath.participation.policies import ConsultationAction
from safepath.participation.selectors import (
    consultation_by_link,
    consultation_get,
    instrument_of,
    live_session,
    participant_in_progress,
)
from safepath.participation.services.consultations import session_start
from safepath.participation.services.participants import (
    caregiver_consent_needed,
    chosen_options,
    participant_answer,
    participant_finish,
    participant_start,
    participant_stop,
)

KIOSK = "participation.kiosk"  # a session's id: this device is a shared tablet
LINK = "participation.link"  # a link's digest: this device came by a link
PARTICIPANT = "participation.participant"
POSITION = "participation.position"
BAND = "participation.band"
CHILD_KEYS = (PARTICIPANT, POSITION, BAND)


@dataclass
class Place:
    """Where this device is: which consultation, by which channel, in which session."""

    consultation: Consultation
    channel: str
    session: ConsultationSession | None

    @property
    def instrument(self) -> consultations.Consultation:
        return instrument_of(self.consultation)

    @property
    def kiosk(self) -> bool:
        return self.channel == ParticipationChannel.SESSION


def language() -> str:
    code = (get_language() or "en").split("-")[0]
    return code if code in consultations.LANGUAGES else "en"


def place_of(request: HttpRequest) -> Place | None:
    session = live_session(request.session.get(KIOSK))
    if session is not None:
        return Place(session.consultation, ParticipationChannel.SESSION, session)
    digest = request.session.get(LINK)
    if digest:
        consultation = (
            Consultation.objects.select_related("agency").filter(link_digest=digest).first()
        )
        if consultation is not None and consultation.is_open:
            return Place(consultation, ParticipationChannel.LINK, None)
    return None


def _forget_child(request: HttpRequest) -> None:
    for key in CHILD_KEYS:
        request.session.pop(key, None)


def _render(
    request: HttpRequest, template: str, place: Place | None, status: int = 200, **context: Any
) -> HttpResponse:
    base = {"place": place, "kiosk": bool(place and place.kiosk), "lang": language()}
    if place is not None:
        base["title"] = place.instrument.title.get(language())
    return render(request, f"participation/child/{template}", {**base, **context}, status=status)


def _participant(request: HttpRequest) -> Participant | None:
    participant = participant_in_progress(request.session.get(PARTICIPANT))
    if participant is None:
        _forget_child(request)
    return participant


@login_required
@require_POST
def session_start_page(request: HttpRequest, consultation_id: uuid.UUID) -> HttpResponse:
    """The facilitator hands this device to children: signed out, the session open on it."""
    user = signed_in_user(request)
    try:
        consultation_get(user=user, consultation_id=consultation_id, action=ConsultationAction.RUN)
        session = session_start(actor=user, consultation_id=consultation_id)
    except NotFoundError:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("participation:consultation", consultation_id=consultation_id)
    logout(request)  # the children never use the facilitator's sign-in
    request.session[KIOSK] = str(session.id)
    return redirect("participate:start")


@require_POST
def kiosk_exit_page(request: HttpRequest) -> HttpResponse:
    """The facilitator takes the device back: it forgets the session (which stays open until
    the facilitator ends it from the consultation page)."""
    session_id = request.session.get(KIOSK)
    request.session.flush()
    target = reverse("accounts:login")
    if session_id:
        found = live_session(session_id)
        if found is not None:
            target += "?next=" + reverse("participation:consultation", args=[found.consultation_id])
    return redirect(target)


@require_GET
@never_cache
def link_page(request: HttpRequest, token: str) -> HttpResponse:
    """A consultation's link: open it on this device, then continue at an address without the
    link's secret (so it is not left in the history or passed on)."""
    consultation = consultation_by_link(token)
    if consultation is None:
        return _render(request, "link_closed.html", None, status=404)
    request.session.pop(KIOSK, None)
    _forget_child(request)
    request.session[LINK] = link_digest(token)
    return redirect("participate:start")


@require_GET
@never_cache
def start_page(request: HttpRequest) -> HttpResponse:
    place = place_of(request)
    if place is None:
        ended = bool(request.session.get(KIOSK))
        return _render(request, "landing.html", None, session_ended=ended)
    if _participant(request) is not None:
        return redirect("participate:question")
    instrument = place.instrument
    return _render(
        request,
        "welcome.html",
        place,
        purpose=instrument.purpose.get(language()),
        next_url=reverse(
            "participate:about" if len(instrument.age_bands) > 1 else "participate:agree"
        ),
    )


@require_http_methods(["GET", "POST"])
@never_cache
def about_page(request: HttpRequest) -> HttpResponse:
    place = place_of(request)
    if place is None:
        return redirect("participate:start")
    form = AgeBandForm(request.POST or None, instrument=place.instrument)
    if request.method == "POST" and form.is_valid():
        request.session[BAND] = form.cleaned_data["age_band"]
        return redirect("participate:agree")
    return _render(request, "about.html", place, status=400 if form.errors else 200, form=form)


def _band(request: HttpRequest, place: Place) -> str | None:
    bands = place.instrument.age_bands
    if len(bands) == 1:
        return bands[0].id
    band = request.session.get(BAND)
    return band if band in {b.id for b in bands} else None


def _caregiver_mode(place: Place, band: str) -> str:
    if not caregiver_consent_needed(place.consultation, band):
        return ""
    return "facilitator" if place.kiosk else "on_device"


@require_http_methods(["GET", "POST"])
@never_cache
def agree_page(request: HttpRequest) -> HttpResponse:
    """What taking part means, in the child's words; then yes or no (and a parent's or carer's
    agreement where the age and the rules ask for it)."""
    place = place_of(request)
    if place is None:
        return redirect("participate:start")
    band = _band(request, place)
    if band is None:
        return redirect("participate:about")
    mode = _caregiver_mode(place, band)
    form = AssentForm(request.POST or None, caregiver=mode)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["assent"] != "yes":
            _forget_child(request)
            return _render(request, "no_thanks.html", place)
        consent = ""
        if mode:
            consent = (
                CaregiverConsent.FACILITATOR_CONFIRMED
                if mode == "facilitator"
                else CaregiverConsent.CAREGIVER_ON_DEVICE
            )
        try:
            participant = participant_start(
                consultation=place.consultation,
                channel=place.channel,
                session=place.session,
                age_band=band,
                language=language(),
                assent=True,
                caregiver_consent=consent,
            )
        except FieldValidationError as error:
            for problems in error.fields.values():
                for problem in problems:
                    form.add_error(None, problem)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            request.session[PARTICIPANT] = str(participant.id)
            request.session[POSITION] = 0
            return redirect("participate:question")
    return _render(
        request,
        "agree.html",
        place,
        status=400 if form.errors else 200,
        form=form,
        caregiver=mode,
        questions=len(place.instrument.questions),
    )


def _shown_positions(participant: Participant) -> list[int]:
    instrument = instrument_of(participant.consultation)
    chosen = chosen_options(participant)
    return [i for i, q in enumerate(instrument.questions) if instrument.shown(q, chosen)]


def _current(request: HttpRequest, participant: Participant) -> int | None:
    """The position of the question to show: the first asked one at or after the saved position."""
    position = int(request.session.get(POSITION) or 0)
    for index in _shown_positions(participant):
        if index >= position:
            return index
    return None


@require_http_methods(["GET", "POST"])
@never_cache
def question_page(request: HttpRequest) -> HttpResponse:
    place = place_of(request)
    participant = _participant(request)
    if place is None or participant is None or participant.consultation_id != place.consultation.id:
        return redirect("participate:start")
    if participant.status != ParticipantStatus.IN_PROGRESS:
        return redirect("participate:done")
    instrument = place.instrument
    position = _current(request, participant)
    if position is None:
        participant_finish(participant_id=participant.id)
        return redirect("participate:done")
    question = instrument.questions[position]
    saved = {a.question_id: a for a in participant.answers.all()}
    previous = saved.get(question.id)
    initial = previous.value if previous is not None and not previous.skipped else None
    form = question_form(question, language(), data=request.POST or None, initial=initial)
    if request.method == "POST":
        step = request.POST.get("step", "next")
        if step == "stop":
            return redirect("participate:stop")
        if step == "back":
            earlier = [i for i in _shown_positions(participant) if i < position]
            request.session[POSITION] = earlier[-1] if earlier else 0
            return redirect("participate:question")
        if form.is_valid():
            value = None if step == "skip" else form.cleaned_data.get("answer") or None
            try:
                participant_answer(
                    participant_id=participant.id,
                    question_id=request.POST.get("question", ""),
                    value=value,
                )
            except FieldValidationError as error:
                for problems in error.fields.values():
                    for problem in problems:
                        form.add_error(None, problem)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                request.session[POSITION] = position + 1
                return redirect("participate:question")
    shown = _shown_positions(participant)
    return _render(
        request,
        "question.html",
        place,
        status=400 if form.errors else 200,
        form=form,
        question=question,
        faces={o.id: o.face for o in question.options},
        help=question.help.get(language()) if question.help else "",
        number=shown.index(position) + 1 if position in shown else 1,
        total=len(shown),
        first=not [i for i in shown if i < position],
    )


@require_http_methods(["GET", "POST"])
@never_cache
def stop_page(request: HttpRequest) -> HttpResponse:
    """Stopping, at any time: the child chooses whether the answers given so far are kept."""
    place = place_of(request)
    participant = _participant(request)
    if place is None or participant is None:
        return redirect("participate:start")
    finished = participant.status == ParticipantStatus.COMPLETED
    form = StopForm(request.POST or None)
    if finished:
        set_choices(form, "choice", [("erase", _("Take all my answers out"))])
    if request.method == "POST" and form.is_valid():
        keep = form.cleaned_data["choice"] == "keep"
        participant_stop(participant_id=participant.id, keep_answers=keep)
        _forget_child(request)
        return _render(request, "stopped.html", place, kept=keep)
    return _render(
        request,
        "stop.html",
        place,
        status=400 if form.errors else 200,
        form=form,
        finished=finished,
        answered=participant.answers.filter(skipped=False).count(),
    )


@require_http_methods(["GET", "POST"])
@never_cache
def done_page(request: HttpRequest) -> HttpResponse:
    """All questions done: the answers are saved. Until the child presses 'finish', they can
    still take them back; after that this device forgets them."""
    place = place_of(request)
    participant = _participant(request)
    if place is None or participant is None:
        return redirect("participate:start")
    if participant.status == ParticipantStatus.IN_PROGRESS:
        return redirect("participate:question")
    if request.method == "POST":
        _forget_child(request)
        if place.kiosk:
            return redirect("participate:start")
        return _render(request, "goodbye.html", place)
    return _render(request, "done.html", place)
