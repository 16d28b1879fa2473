"""Web forms of the emergency app's coordinator pages. Meaning is checked in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepath.emergency.models import Hazard


class DeclareForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("The place and the hazard, for example: Turkana floods, May."),
    )
    hazard = forms.ChoiceField(label=_("Hazard"), choices=Hazard.choices)
    country = forms.CharField(
        label=_("Country (two-letter code)"), max_length=2, min_length=2, initial="KE"
    )
    admin_areas = forms.CharField(
        label=_("Regions"),
        required=False,
        max_length=1000,
        help_text=_("Separate several with a semicolon; leave empty for the whole country."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label=_("Ends on (if known)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def areas(self) -> list[str]:
        raw = self.cleaned_data.get("admin_areas") or ""
        return [part.strip() for part in raw.split(";") if part.strip()]


class EndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Ended on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
