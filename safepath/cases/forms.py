from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.cases.services import CHILD_FIELDS
from safepath.cases.vocabulary import Exploitation, Sex
from safepath.core.countries import country_choices


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
    family_name = forms.CharField(label=_("Family name (exact)"), max_length=200, required=False)
    given_name = forms.CharField(label=_("Given name (exact)"), max_length=200, required=False)
