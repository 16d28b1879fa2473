"""What the screening pages share: labels in the reader's language, access, the instrument."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import get_language, gettext_lazy

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.cases.selectors import case_queryset
from safepath.screening import instruments, translations
from safepath.screening.forms import ANSWER_LABELS
from safepath.screening.instruments import Instrument
from safepath.screening.policies import ScreeningAction, screening_policy

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


def _runner(request: HttpRequest) -> User:
    """The signed-in user if their role runs screenings; anyone else finds nothing here."""
    user = signed_in_user(request)
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


def _english(texts: translations.Texts, shown: str, original: str) -> str:
    """'en' when a text in a page of another language is still the English original."""
    return "en" if texts.language != "en" and shown == original else ""


def _case_reference(user: User, case_id: str | None) -> str:
    """The case number of a linked case the user may see ('' when none)."""
    if not case_id:
        return ""
    reference = case_queryset(user=user).filter(pk=case_id).values_list("reference", flat=True)
    return reference.first() or ""


def _act_label(act: bool | None) -> str:
    return str(ANSWER_LABELS["unknown" if act is None else ("yes" if act else "no")])
