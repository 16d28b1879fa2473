"""Forms of the screening interview: the context of a screen, then one answer at a time; and,
later, what became of the person screened.

No names or identifying data are asked: a screen needs the age, the setting and the answers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import User
from safepath.accounts.roles import AgencyType
from safepath.cases.models import Case
from safepath.cases.policies import CaseAction
from safepath.cases.selectors import case_queryset
from safepath.screening.engine import SETTINGS

ANSWER_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known"))]
ANSWER_LABELS = dict(ANSWER_CHOICES)

# The engine's settings in the order a worker looks for them, with readable names.
SETTING_LABELS = {
    "community": _("Community or street outreach"),
    "school": _("School"),
    "health": _("Health service"),
    "social_services": _("Social services"),
    "shelter": _("Shelter or residential care"),
    "hotline": _("Helpline"),
    "border": _("Border or transit point"),
    "humanitarian": _("Humanitarian or emergency response"),
    "law_enforcement": _("Law enforcement (police)"),
    "justice": _("Justice (courts, prosecution)"),
    "immigration_detention": _("Immigration detention"),
}

# Where an agency of this type usually screens; the worker can change it.
SETTING_FOR_AGENCY: dict[str, str] = {
    AgencyType.CHILD_PROTECTION: "social_services",
    AgencyType.POLICE: "law_enforcement",
    AgencyType.HEALTH: "health",
    AgencyType.EDUCATION: "school",
    AgencyType.JUSTICE: "justice",
}


def setting_choices() -> list[tuple[str, Any]]:
    known = [(code, label) for code, label in SETTING_LABELS.items() if code in SETTINGS]
    others = [(code, code) for code in sorted(SETTINGS - SETTING_LABELS.keys())]
    return [("", _("Choose where you are screening")), *known, *others]


def setting_label(code: str) -> str:
    return str(SETTING_LABELS.get(code, code))


def default_setting(user: User) -> str:
    agency_type = user.agency.agency_type if user.agency else ""
    return SETTING_FOR_AGENCY.get(agency_type, "")


class ScreeningStartForm(forms.Form):
    """The context the engine needs. ``act_recorded`` is asked for the ILO lists only."""

    age = forms.IntegerField(
        label=_("Age in years"),
        min_value=0,
        max_value=120,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    age_unknown = forms.BooleanField(label=_("The age is not known"), required=False)
    age_disputed = forms.BooleanField(
        label=_("The age is disputed or uncertain"),
        required=False,
        help_text=_("Child rules apply until an age assessment concludes."),
    )
    setting = forms.ChoiceField(label=_("Where are you screening?"), choices=setting_choices)
    act_recorded = forms.ChoiceField(
        label=_("Was an act recorded (recruitment, transport, transfer, harbouring or receipt)?"),
        choices=ANSWER_CHOICES,
        widget=forms.RadioSelect,
    )
    case_reference = forms.CharField(
        label=_("Case number (optional)"),
        max_length=20,
        required=False,
        help_text=_(
            "Link the screening to a case you work on. Leave it empty to screen without a case."
        ),
    )

    def __init__(self, *args: Any, user: User, asks_act: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not asks_act:
            del self.fields["act_recorded"]

    def clean_case_reference(self) -> str:
        reference: str = self.cleaned_data["case_reference"].strip().upper()
        self.case: Case | None = None
        if reference:
            # Only cases this user may change; any other number is simply "not found".
            self.case = (
                case_queryset(user=self.user, action=CaseAction.EDIT)
                .filter(reference=reference)
                .first()
            )
            if self.case is None:
                raise forms.ValidationError(
                    _("There is no case with this number that you may add a screening to.")
                )
        return reference

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        age, unknown = data.get("age"), data.get("age_unknown")
        if age is not None and unknown:
            self.add_error("age", _("Give the age or tick 'The age is not known', not both."))
        elif age is None and not unknown and "age" not in self.errors:
            self.add_error("age", _("Give the age in years, or tick 'The age is not known'."))
        return data

    def context(self) -> dict[str, Any]:
        """What the interview keeps in the session (no names: the case by its id only)."""
        data = self.cleaned_data
        act = data.get("act_recorded")
        case = getattr(self, "case", None)
        return {
            "age": None if data["age_unknown"] else data["age"],
            "age_disputed": data["age_disputed"],
            "setting": data["setting"],
            "act_recorded": None if act in (None, "unknown") else act == "yes",
            "case": str(case.id) if case else None,
        }

    @staticmethod
    def initial_from(saved: dict[str, Any], case_reference: str) -> dict[str, Any]:
        """The form's initial values from an interview's saved context."""
        act = saved.get("act_recorded")
        return {
            "age": saved.get("age"),
            "age_unknown": saved.get("age") is None,
            "age_disputed": saved.get("age_disputed", False),
            "setting": saved.get("setting", ""),
            "act_recorded": "unknown" if act is None else ("yes" if act else "no"),
            "case_reference": case_reference,
        }


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=ANSWER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes, no or not known, or press Skip.")},
    )


def _is_yes(value: str) -> bool:
    return value == "yes"


class ScreeningConfirmForm(forms.Form):
    """Whether the person screened was later confirmed as a victim, and on what basis."""

    confirmed_victim = forms.TypedChoiceField(
        label=_("Was this person confirmed as a victim?"),
        choices=ANSWER_CHOICES[:2],
        coerce=_is_yes,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    basis = forms.CharField(
        label=_("Basis of the decision"),
        max_length=200,
        help_text=_(
            "For example, the decision of the national referral mechanism or of a court. "
            "At most 200 characters, and no names."
        ),
        error_messages={"required": _("Give the basis of the decision.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
