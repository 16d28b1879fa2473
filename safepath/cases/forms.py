from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency, User
from safepath.cases.services import CHILD_FIELDS, ChildViewsInput
from safepath.cases.vocabulary import (
    AgeMethod,
    AssessmentKind,
    CareArrangement,
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    ConsentPurpose,
    DataCategory,
    DecisionKind,
    Disability,
    DurableSolution,
    Exploitation,
    JusticeContactKind,
    MeansOfControl,
    Placement,
    RecruiterRelation,
    Sex,
)
from safepath.core.countries import country_choices
from safepath.core.languages import language_code, language_name
from safepath.core.text import strip_bidi_controls
from safepath.core.uploads import upload_limit_text


class CaseRegisterForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    other_names = forms.CharField(
        label=_("Other names or aliases"),
        max_length=600,
        required=False,
        help_text=_("Separate names with commas. Any script."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_of_birth_estimated = forms.BooleanField(
        label=_("The date of birth is estimated"), required=False
    )
    nationality = forms.ChoiceField(label=_("Nationality"), choices=country_choices, required=False)
    stateless = forms.BooleanField(label=_("Stateless"), required=False)
    identified_on = forms.DateField(
        label=_("Date identified"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    forms_of_exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=Exploitation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    country_of_exploitation = forms.ChoiceField(
        label=_("Country of exploitation"), choices=country_choices, required=False
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        data = dict(self.cleaned_data)
        # a Latin comma, or the Arabic one that Arabic keyboards type
        names = data["other_names"].replace("\u060c", ",").split(",")
        data["other_names"] = [name for name in names if name.strip()]
        child = {key: data.pop(key) for key in CHILD_FIELDS if key in data}
        return child, data


class CaseSearchForm(forms.Form):
    reference = forms.CharField(label=_("Case number"), max_length=20, required=False)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Any part of a name or an alias, in any spelling or script."),
    )


# --- The case workflow: each form feeds one service (views/actions.py maps them). ---

_DATE = forms.DateInput(attrs={"type": "date"})


def _date(label: Any, *, required: bool = True, today: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=timezone.localdate if today else None,
        widget=_DATE,
    )


def _text(label: Any, *, required: bool = True, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=kwargs.pop("max_length", 8000),
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class VersionedForm(forms.Form):
    """A form that changes the case row itself carries the version its author read (409 if
    someone saved in between)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ChildViewsFields(forms.Form):
    """What the child said about a decision, how they were told, and how it counted."""

    views = _text(_("The child's views, in their words"), required=False)
    declined_to_express = forms.BooleanField(
        label=_("The child chose not to give views"), required=False
    )
    informed_language = forms.CharField(
        label=_("Language the child was informed in"),
        max_length=60,
        help_text=_("Its name or ISO 639 code, such as Swahili or sw."),
    )
    interpreter_language = forms.CharField(
        label=_("Interpreter's language"), max_length=60, required=False
    )
    informed_in_understandable_manner = forms.BooleanField(
        label=_("Informed in a language and manner the child understands"), required=False
    )
    weight_given = _text(_("How the child's views were weighed"), required=False, rows=2)
    heard_on = _date(_("Date heard"))

    def views_input(self) -> ChildViewsInput:
        data = self.cleaned_data
        return ChildViewsInput(
            views=data["views"],
            declined_to_express=data["declined_to_express"],
            informed_language=data["informed_language"],
            interpreter_language=data["interpreter_language"],
            informed_in_understandable_manner=data["informed_in_understandable_manner"],
            weight_given=data["weight_given"],
            heard_on=data["heard_on"],
        )


class TransitionForm(VersionedForm):
    """The stage control: every allowed move is accepted (the service says why one is refused),
    but only the moves ready now are offered, and none is chosen for the user."""

    target = forms.ChoiceField(label=_("Move to"), choices=CaseStatus.choices)
    closure_reason = forms.ChoiceField(
        label=_("Reason for closure"),
        choices=[("", _("(only when closing)")), *ClosureReason.choices],
        required=False,
        help_text=_("Needed only when the case is closed."),
    )

    def __init__(
        self,
        *args: Any,
        targets: frozenset[str] | None = None,
        offered: frozenset[str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        target_field = cast(forms.ChoiceField, self.fields["target"])
        if targets is not None:
            target_field.choices = [(v, lbl) for v, lbl in CaseStatus.choices if v in targets]
        shown = targets if offered is None else offered
        target_field.widget.choices = [
            ("", _("Choose the next stage")),
            *((v, lbl) for v, lbl in CaseStatus.choices if shown is None or v in shown),
        ]


class ChildViewsForm(ChildViewsFields):
    decision = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    field_order = ["decision"]


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentKind.choices)
    assessed_on = _date(_("Date of the assessment"))
    findings = _text(_("Findings"), rows=4)
    recommendation = _text(_("Recommendation"), required=False)


PANEL_ROWS = 5


class DeterminationForm(forms.Form):
    decided_on = _date(_("Date of the decision"))
    decision = forms.ChoiceField(label=_("Solution decided"), choices=DurableSolution.choices)
    reasons = _text(_("Reasons"), rows=4)
    dissent = _text(_("Dissent (who disagreed, and why)"), required=False, rows=2)
    risk_assessment_done = forms.BooleanField(
        label=_("Risk assessment in the destination done"), required=False
    )
    non_refoulement_checked = forms.BooleanField(label=_("Non-refoulement checked"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for row in range(1, PANEL_ROWS + 1):
            self.fields[f"member_{row}_name"] = forms.CharField(
                label=_("Panel member %(n)s: name") % {"n": row}, max_length=200, required=False
            )
            self.fields[f"member_{row}_role"] = forms.CharField(
                label=_("Panel member %(n)s: role") % {"n": row}, max_length=200, required=False
            )

    def panel(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {"name": data[f"member_{row}_name"], "role": data[f"member_{row}_role"]}
            for row in range(1, PANEL_ROWS + 1)
            if data[f"member_{row}_name"].strip() or data[f"member_{row}_role"].strip()
        ]

    def panel_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"member_{row}_name"], self[f"member_{row}_role"])
            for row in range(1, PANEL_ROWS + 1)
        ]


class SolutionForm(VersionedForm, ChildViewsFields):
    solution = forms.ChoiceField(label=_("Durable solution"), choices=DurableSolution.choices)
    field_order = ["solution"]


class PlacementForm(VersionedForm, ChildViewsFields):
    placement = forms.ChoiceField(label=_("Placement"), choices=Placement.choices)
    location = forms.CharField(label=_("Where"), max_length=400, required=False)
    field_order = ["placement", "location"]


class PlanForm(forms.Form):
    goals = _text(_("Goals"), rows=5, help_text=_("One goal per line."))

    def goal_list(self) -> list[str]:
        return [line for line in self.cleaned_data["goals"].splitlines() if line.strip()]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=400)
    due_on = _date(_("Due"))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if owners is not None:
            owner_field = cast(forms.ModelChoiceField, self.fields["owner"])  # type: ignore[type-arg]
            owner_field.queryset = owners


class ReviewForm(forms.Form):
    reviewed_on = _date(_("Date of the review"))
    summary = _text(_("What the review found"), rows=4)
    next_review_on = _date(_("Next review"), required=False, today=False)


class NoteForm(forms.Form):
    body = _text(_("Note"), rows=4)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF, PNG or JPEG file up to %(limit)s.") % {
            "limit": upload_limit_text()
        }


class GuardianForm(forms.Form):
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    appointed_on = _date(_("Date appointed"))


class JusticeContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=JusticeContactKind.choices)
    occurred_on = _date(_("Date"))
    authority = forms.CharField(label=_("Authority"), max_length=200, required=False)
    linked_to_exploitation = forms.BooleanField(
        label=_("The alleged offence was committed as a result of being trafficked"),
        required=False,
        initial=True,
    )
    details = _text(_("Details"), required=False, rows=2)


class JusticeResolveForm(forms.Form):
    resolved_on = _date(_("Date resolved"))


class TransitionPlanForm(forms.Form):
    agreed_on = _date(_("Date agreed"))
    content = _text(_("Transition plan"), rows=4)
    aftercare_wanted = forms.BooleanField(
        label=_("The young person wants aftercare after 18"), required=False
    )


class AgeAssessmentForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=AgeMethod.choices)
    assessed_on = _date(_("Date"))
    minimum_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=99)
    maximum_age = forms.IntegerField(label=_("Maximum age"), min_value=0, max_value=99)
    disputed = forms.BooleanField(label=_("The age is disputed"), required=False)


class FamilyMemberForm(forms.Form):
    relation = forms.CharField(label=_("Relation to the child"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = forms.CharField(label=_("Contact"), max_length=400, required=False)
    is_caregiver = forms.BooleanField(label=_("Usual caregiver"), required=False)
    whereabouts_known = forms.BooleanField(label=_("Whereabouts known"), required=False)
    tracing_requested = forms.BooleanField(label=_("Tracing requested"), required=False)


def _assent(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ConsentForm(forms.Form):
    """Consent (and the child's assent) to share: who, for what, which data, to whom, until when.

    Default deny: no category is ticked until the person who gave consent agreed to it.
    """

    given_by = forms.ChoiceField(
        label=_("Who gave consent"), choices=[("", "—"), *ConsentGiver.choices]
    )
    child_assent = forms.TypedChoiceField(
        label=_("The child's own say"),
        choices=[
            ("", _("Not asked (too young or unable to say)")),
            ("yes", _("The child agrees")),
            ("no", _("The child does not agree")),
        ],
        coerce=_assent,
        empty_value=None,
        required=False,
        help_text=_("Record the child's assent beside a parent's or guardian's consent."),
    )
    purpose = forms.ChoiceField(label=_("For what"), choices=ConsentPurpose.choices)
    recipient_agency = forms.ModelChoiceField(
        label=_("Shared with"), queryset=Agency.objects.none()
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Which parts of the record"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one part of the record.")},
    )
    data_scope = forms.CharField(
        label=_("Which data, in the words used with the child"),
        max_length=200,
        help_text=_("For example: name, age and the services needed."),
    )
    given_on = _date(_("Date given"))
    expires_on = _date(_("Expires on"), required=False, today=False)

    def __init__(self, *args: Any, case_owner_id: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        agency_field = cast(forms.ModelChoiceField, self.fields["recipient_agency"])  # type: ignore[type-arg]
        agency_field.queryset = (
            Agency.objects.filter(is_active=True).exclude(pk=case_owner_id).order_by("name")
        )
        self.fields["expires_on"].help_text = _("Leave empty when it lasts until withdrawn.")


class CaseEditForm(VersionedForm):
    """The child's profile and the trafficking facts, changed together with the version read."""

    given_name = forms.CharField(label=_("Given name"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    other_names = forms.CharField(
        label=_("Other names or aliases"),
        max_length=600,
        required=False,
        help_text=_("Separate names with commas. Any script."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    gender_identity = forms.CharField(
        label=_("Gender identity, in the child's words"), max_length=200, required=False
    )
    date_of_birth = _date(_("Date of birth"), required=False, today=False)
    date_of_birth_estimated = forms.BooleanField(
        label=_("The date of birth is estimated"), required=False
    )
    nationality = forms.ChoiceField(label=_("Nationality"), choices=country_choices, required=False)
    stateless = forms.BooleanField(label=_("Stateless"), required=False)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=300,
        required=False,
        help_text=_("Names or ISO 639 codes separated by commas, such as Swahili, Arabic."),
    )
    disability = forms.ChoiceField(label=_("Disability"), choices=Disability.choices)
    disability_details = _text(_("Disability: details"), required=False, rows=2)
    care_arrangement = forms.ChoiceField(
        label=_("Care arrangement"), choices=CareArrangement.choices
    )
    address = forms.CharField(
        label=_("Current address or location"), max_length=500, required=False
    )
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    document_number = forms.CharField(
        label=_("Identity document number"), max_length=100, required=False
    )
    identified_on = _date(_("Date identified"))
    forms_of_exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=Exploitation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    means_of_control = forms.MultipleChoiceField(
        label=_("Means of control"),
        choices=MeansOfControl.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recruiter_relation = forms.ChoiceField(
        label=_("Relation to the recruiter"), choices=RecruiterRelation.choices
    )
    country_of_origin = forms.ChoiceField(
        label=_("Country of origin"), choices=country_choices, required=False
    )
    countries_of_transit = forms.MultipleChoiceField(
        label=_("Countries of transit"), choices=country_choices, required=False
    )
    country_of_exploitation = forms.ChoiceField(
        label=_("Country of exploitation"), choices=country_choices, required=False
    )
    summary = _text(_("Summary"), required=False, rows=4, max_length=4000)

    LISTS = ("other_names", "languages")

    @classmethod
    def initial_for(cls, case: Any) -> dict[str, Any]:
        child = case.child
        values: dict[str, Any] = {"version": case.version}
        for name in cls.base_fields:
            if name == "version":
                continue
            source = child if hasattr(child, name) else case
            value = getattr(source, name, "")
            values[name] = ", ".join(value) if name in cls.LISTS else value
        for name in ("given_name", "family_name", "other_names"):  # shown as they will be saved
            if isinstance(values.get(name), str):
                values[name] = strip_bidi_controls(values[name])
        values["languages"] = ", ".join(language_name(code) for code in child.languages)
        return values

    def clean_languages(self) -> list[str]:
        typed = self.cleaned_data["languages"].replace("\u060c", ",").split(",")
        codes = []
        for name in (t.strip() for t in typed if t.strip()):
            code = language_code(name)
            if code is None:
                raise forms.ValidationError(
                    _("%(name)s is not a language we know: give its name or ISO 639 code.")
                    % {"name": name}
                )
            codes.append(code)
        return codes

    def clean_other_names(self) -> list[str]:
        names = self.cleaned_data["other_names"].replace("\u060c", ",").split(",")
        return [name.strip() for name in names if name.strip()]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data
