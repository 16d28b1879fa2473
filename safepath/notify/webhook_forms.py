from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency
from safepath.cases.vocabulary import DataCategory
from safepath.notify.clients import PURPOSES
from safepath.notify.events import EVENTS, WEBHOOK_CATEGORIES


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Name of the receiving system"), max_length=100)
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        help_text=_("HTTPS, on a public address. The worker sends each event there, signed."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Data the payloads may carry beyond references"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=(),
        help_text=_("Never identity, contact, health, justice or notes."),
    )
    agencies = forms.MultipleChoiceField(
        label=_("Agencies whose events it receives"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events: Any = self.fields["events"]
        events.choices = [(e.type, f"{e.type}: {e.title}") for e in EVENTS.values()]
        categories: Any = self.fields["data_categories"]
        categories.choices = [(c.value, c.label) for c in DataCategory if c in WEBHOOK_CATEGORIES]
        agencies: Any = self.fields["agencies"]
        agencies.choices = [(str(a.id), a.name) for a in Agency.objects.order_by("name")]


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name of the system"), max_length=100)
    agencies = forms.MultipleChoiceField(
        label=_("Agencies it may read about"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies: Any = self.fields["agencies"]
        agencies.choices = [(str(a.id), a.name) for a in Agency.objects.order_by("name")]
        purposes: Any = self.fields["purposes"]
        purposes.choices = [(p.code, p.title) for p in PURPOSES.values()]
