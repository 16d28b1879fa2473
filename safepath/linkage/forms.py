"""Web forms of the linkage pages. Validation of meaning lives in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.cases.vocabulary import Sex
from safepath.linkage.models import (
    CandidateStatus,
    FollowUpOutcome,
    VerificationMethod,
    VerificationParty,
)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("confirm", _("Confirm: the same child")),
            ("reject", _("Reject: different children")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you checked. The reason is kept in the child's record history."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RunForm(forms.Form):
    threshold = forms.FloatField(
        label=_("Lowest probability to propose"),
        min_value=0.5,
        max_value=0.99,
        initial=0.9,
        help_text=_("Pairs scoring below this are not proposed."),
    )


class SplitForm(forms.Form):
    children = forms.MultipleChoiceField(
        label=_("Records to split off into a separate person"),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["children"].choices = choices  # type: ignore[attr-defined]


class RevertForm(forms.Form):
    reason = forms.CharField(label=_("Reason for undoing this change"), max_length=2000)


class TracingRequestForm(forms.Form):
    sought_given_name = forms.CharField(label=_("Child's given name"), max_length=200)
    sought_family_name = forms.CharField(
        label=_("Child's family name"), max_length=200, required=False
    )
    sought_sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    sought_date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty when unknown, and give the year below if you can."),
    )
    sought_birth_year = forms.IntegerField(
        label=_("Year of birth (estimate)"), required=False, min_value=1990, max_value=2100
    )
    sought_place_of_birth = forms.CharField(
        label=_("Place of birth"), max_length=200, required=False
    )
    sought_nationality = forms.CharField(
        label=_("Nationality (two-letter code)"), max_length=2, required=False
    )
    last_seen_place = forms.CharField(label=_("Place last seen"), max_length=200, required=False)
    mother_given_name = forms.CharField(
        label=_("Mother's given name"), max_length=200, required=False
    )
    father_given_name = forms.CharField(
        label=_("Father's given name"), max_length=200, required=False
    )
    requester_name = forms.CharField(label=_("Name of the person looking"), max_length=200)
    requester_relation = forms.CharField(label=_("Their relation to the child"), max_length=40)
    requester_contact = forms.CharField(
        label=_("How to reach them"), max_length=200, required=False
    )


class CandidateStepForm(forms.Form):
    status = forms.ChoiceField(label=_("Next step"), choices=CandidateStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
    reunified_on = forms.DateField(label=_("Date reunified"), required=False)
    reunification_place = forms.CharField(
        label=_("Where the child was reunified"), max_length=300, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VerificationForm(forms.Form):
    party = forms.ChoiceField(label=_("Who confirms"), choices=VerificationParty.choices)
    method = forms.ChoiceField(label=_("How"), choices=VerificationMethod.choices)
    relationship_confirmed = forms.BooleanField(
        label=_("Confirms the relationship"), required=False
    )
    consents = forms.BooleanField(label=_("Consents to reunification"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False)


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpOutcome.choices)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False)


class ListingForm(forms.Form):
    reference = forms.CharField(label=_("Case number"), max_length=14)
    region = forms.CharField(
        label=_("Region"),
        max_length=100,
        help_text=_("The region where the child is cared for, not a precise place."),
    )
