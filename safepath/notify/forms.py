from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.notify.models import Frequency


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("Send me e-mails"), required=False)
    frequency = forms.ChoiceField(
        label=_("Notifications that are not urgent"), choices=Frequency.choices
    )
    sms_enabled = forms.BooleanField(label=_("Send urgent ones by SMS too"), required=False)
    phone = forms.CharField(
        label=_("Mobile number for SMS"),
        required=False,
        max_length=20,
        help_text=_("International form, e.g. +254700000000."),
    )
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Nothing but urgent notifications is sent in your quiet hours."),
    )
    time_zone = forms.CharField(label=_("Your time zone"), max_length=64)
