"""Web forms of the finance app. Services validate again; forms only shape the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.finance.models import Decision


class RunUploadForm(forms.Form):
    transactions = forms.FileField(
        label=_("Transactions"),
        help_text=_("CSV or Parquet in the canonical layout, or a camt.053 statement (XML)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.parquet,.xml"}),
    )
    customers = forms.FileField(
        label=_("Customers"),
        required=False,
        help_text=_(
            "CSV or Parquet, one row per customer. Optional with a camt.053 statement, whose "
            "account owners are then the customers."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.parquet"}),
    )
    mapping = forms.FileField(
        label=_("Column mapping (optional)"),
        required=False,
        help_text=_(
            "YAML or JSON naming your bank's columns; leave empty for the canonical layout."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )
    base_currency = forms.CharField(
        label=_("Base currency"),
        initial="USD",
        max_length=3,
        min_length=3,
        help_text=_("Amounts are converted to it before the rules compare them."),
    )


class DispositionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept with the decision and shown to whoever reviews this alert."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AlertSearchForm(forms.Form):
    customer_id = forms.CharField(
        label=_("Customer id (exact)"),
        max_length=200,
        help_text=_("Sent with the form, never in the address."),
    )
