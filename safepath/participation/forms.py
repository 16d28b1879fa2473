"""Web forms of the participation app: their fields and labels. No workflow here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.participation import consultations, information
from safepath.participation.consultations import FREE_TEXT, Question
from safepath.participation.models import (
    ActionStatus,
    FeedbackFrom,
    FeedbackKind,
    InformationFormat,
)
from safepath.referrals.models import Service


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared as one
    field.choices = choices


class ConsultationCreateForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questions to ask"))
    title = forms.CharField(
        label=_("Name for this consultation"),
        max_length=200,
        required=False,
        help_text=_(
            "For staff only, for example the place and month. Leave empty to use the file's title."
        ),
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this day no more answers are taken. Leave empty to close it by hand."),
    )

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "instrument",
            [
                (
                    key,
                    _("%(title)s (ages %(low)s to %(high)s, version %(version)s)")
                    % {
                        "title": found.title.get(language),
                        "low": found.min_age,
                        "high": found.max_age,
                        "version": found.version,
                    },
                )
                for key, found in consultations.latest().items()
            ],
        )


class AgeBandForm(forms.Form):
    age_band = forms.ChoiceField(label=_("How old are you?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, instrument: consultations.Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "age_band",
            [
                (
                    band.id,
                    _("%(low)s to %(high)s years old")
                    % {"low": band.min_age, "high": band.max_age},
                )
                for band in instrument.age_bands
            ],
        )
        self.fields["age_band"].error_messages["required"] = _("Please choose your age group.")


class AssentForm(forms.Form):
    assent = forms.ChoiceField(
        label=_("Do you want to take part?"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes, I want to take part")), ("no", _("No, thank you"))],
        error_messages={"required": _("Please choose yes or no.")},
    )

    def __init__(self, *args: Any, caregiver: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if caregiver == "facilitator":
            self.fields["caregiver"] = forms.BooleanField(
                label=_(
                    "Facilitator: a parent, carer or guardian of this child has agreed "
                    "(their signed form is kept with you)."
                ),
                required=False,
            )
        elif caregiver == "on_device":
            self.fields["caregiver"] = forms.BooleanField(
                label=_("Parent or carer: I have read this and I agree that my child takes part."),
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("assent") == "yes" and "caregiver" in self.fields and not data.get("caregiver"):
            self.add_error("caregiver", _("At this age a parent or carer must agree too."))
        return data


def question_form(
    question: Question, language: str, data: Any = None, initial: Any = None
) -> forms.Form:
    """The form for one question: options as large radio buttons, or a text box."""
    form = forms.Form(data=data, initial={"answer": initial} if initial else None)
    text = question.text.get(language)
    if question.type == FREE_TEXT:
        form.fields["answer"] = forms.CharField(
            label=text,
            required=False,
            max_length=question.max_length,
            widget=forms.Textarea(attrs={"rows": 5, "maxlength": question.max_length}),
        )
    else:
        form.fields["answer"] = forms.ChoiceField(
            label=text,
            required=False,
            widget=forms.RadioSelect,
            choices=[(option.id, option.label.get(language)) for option in question.options],
        )
    return form


class StopForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("What should happen to the answers you gave?"),
        widget=forms.RadioSelect,
        choices=[
            ("erase", _("Take all my answers out")),
            ("keep", _("Keep the answers I gave")),
        ],
        error_messages={"required": _("Please choose one.")},
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve the text as edited above")),
            ("exclude", _("Leave this answer out")),
        ],
    )
    text = forms.CharField(
        label=_("The answer, with identifying details removed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ActionForm(forms.Form):
    you_said = forms.CharField(
        label=_("You said"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What children told you, in a few words they would recognise."),
    )
    we_did = forms.CharField(
        label=_("We did"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed because of it, or what will, or why it could not."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class ActionUpdateForm(forms.Form):
    we_did = forms.CharField(
        label=_("We did"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


def _services() -> list[tuple[str, Any]]:
    rows = (
        Service.objects.filter(is_active=True, provider__agency__isnull=False)
        .select_related("provider")
        .order_by("name")
    )
    return [("", _("Choose the service"))] + [
        (str(s.id), f"{s.name}{f' ({s.city})' if s.city else ''}") for s in rows
    ]


class FeedbackForm(forms.Form):
    """The form a child or carer fills in on a phone (no sign-in)."""

    submitted_by = forms.ChoiceField(
        label=_("Who is writing?"), widget=forms.RadioSelect, choices=FeedbackFrom.choices
    )
    service = forms.ChoiceField(label=_("Which service is it about?"))
    kind = forms.ChoiceField(
        label=_("What do you want to tell us?"),
        widget=forms.RadioSelect,
        choices=FeedbackKind.choices,
    )
    message = forms.CharField(
        label=_("Tell us what happened or what you think"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    about_worker = forms.CharField(
        label=_("If it is about a worker: who? (a name or a description, if you know)"),
        max_length=500,
        required=False,
    )
    concerns_lead = forms.BooleanField(
        label=_("It is about the person in charge of keeping children safe at that service."),
        required=False,
    )
    anonymous = forms.ChoiceField(
        label=_("Do you want to give your name?"),
        widget=forms.RadioSelect,
        choices=[
            ("yes", _("No, stay anonymous: I will follow it with my tracking code")),
            ("no", _("Yes, and this is how to reach me")),
        ],
        initial="yes",
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "service", _services())

    def contact(self) -> dict[str, str]:
        return {
            "name": self.cleaned_data.get("contact_name", ""),
            "phone": self.cleaned_data.get("contact_phone", ""),
            "email": self.cleaned_data.get("contact_email", ""),
        }


class CaseworkerFeedbackForm(FeedbackForm):
    """The same, filled in by a caseworker for the child, who may name the worker from the staff."""

    subject_user = forms.ChoiceField(label=_("The worker it is about (if known)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = (
            User.objects.filter(is_active=True, agency__service_provider__isnull=False)
            .exclude(role=Role.SYSTEM_ADMIN)
            .select_related("agency")
            .order_by("agency__name", "last_name", "first_name")
        )
        set_choices(
            self,
            "subject_user",
            [("", _("Not about a named worker"))]
            + [
                (
                    str(u.id),
                    f"{u.get_full_name() or u.username} ({u.agency.name if u.agency else ''})",
                )
                for u in staff
            ],
        )


class StatusForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("Your tracking code"),
        max_length=64,
        help_text=_("12 letters and numbers, for example K7MQ-2HBR-9TXW."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class HandleForm(forms.Form):
    reply = forms.CharField(
        label=_("Message for the child or carer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Anyone who has the tracking code can read it: write nothing that identifies anyone."
        ),
    )


class SafeguardingLeadForm(forms.Form):
    lead = forms.ChoiceField(label=_("Safeguarding lead"))
    deputy = forms.ChoiceField(
        label=_("Deputy (when the complaint is about the lead, or the lead is away)"),
        required=False,
    )

    def __init__(self, *args: Any, staff: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [
            (str(u.id), f"{u.get_full_name() or u.username} ({u.get_role_display()})")
            for u in staff
        ]
        set_choices(self, "lead", [("", _("Choose a person")), *people])
        set_choices(self, "deputy", [("", _("No deputy")), *people])


class InformationGivenForm(forms.Form):
    topic = forms.ChoiceField(label=_("What was explained"))
    level = forms.ChoiceField(
        label=_("Reading level"),
        choices=[("younger", _("Younger children")), ("older", _("Older children"))],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية")],
    )
    format = forms.ChoiceField(label=_("How"), choices=InformationFormat.choices)
    given_on = forms.DateField(
        label=_("Given on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "topic",
            [
                (topic.id, topic.page("older", language).title)
                for topic in information.catalogue().values()
            ],
        )
