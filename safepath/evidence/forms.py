"""Dashboard filters (GET: categories only, never identifying data) and the release forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.evidence.charts import dimension_label, value_label
from safepath.evidence.engine.dimensions import cases_dimensions
from safepath.evidence.engine.store import SourceInfo

# The filters the dashboard offers, in the order they appear.
FILTER_DIMENSIONS = (
    "year_identified",
    "sex",
    "age_group_glotip",
    "exploitation",
    "citizenship",
    "country_of_exploitation",
    "agency_type",
    "disability",
)
DEFAULT_K = 11


def _choices(name: str) -> list[tuple[str, Any]]:
    dimension = {d.name: d for d in cases_dimensions()}[name]
    values = list(dimension.values or ())
    if name == "year_identified":
        values.reverse()  # the latest year first
    labelled = [(value, value_label(name, value)) for value in values]
    if name in {"citizenship", "country_of_exploitation"}:
        labelled.sort(key=lambda pair: pair[1])
    return [("", _("All")), *labelled]


class DashboardFilterForm(forms.Form):
    """One optional category per dimension; an empty choice means no filter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FILTER_DIMENSIONS:
            self.fields[name] = forms.ChoiceField(
                label=dimension_label(name), choices=_choices(name), required=False
            )

    def where(self) -> dict[str, str]:
        """The chosen categories as the engine's ``where`` (valid forms only)."""
        return {name: value for name, value in self.cleaned_data.items() if value}

    def query(self) -> dict[str, str]:
        """The filters to carry into chart links and the release form (same as ``where``)."""
        return self.where()


def _dimension_choices() -> list[tuple[str, str]]:
    return [(d.name, dimension_label(d.name)) for d in cases_dimensions()]


class ReleaseDraftForm(forms.Form):
    """Which table to release from the dashboard's current filters, with which protection."""

    by = forms.MultipleChoiceField(
        label=_("Break the figures down by"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One to three dimensions."),
    )
    k = forms.IntegerField(
        label=_("Smallest published count (k)"),
        initial=DEFAULT_K,
        min_value=2,
        help_text=_(
            "Counts below k are suppressed, with enough others that none can be worked out."
        ),
    )
    epsilon = forms.DecimalField(
        label=_("Privacy budget for this release (epsilon)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "Leave empty for exact counts with suppression only; give a value to add noise."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = _dimension_choices()  # type: ignore[attr-defined]

    def clean_by(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["by"]
        if len(chosen) > 3:
            raise forms.ValidationError(_("Choose at most three dimensions."))
        return chosen


class ReleaseReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve for publication")), ("reject", _("Send back"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when sending back. Do not write any person's details here."),
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("decision") == "reject" and not data.get("comment"):
            self.add_error("comment", _("Say what must change before it can be published."))
        return data


class ImportedSourceForm(forms.Form):
    """One dimension of one imported source (CTDC files), to read beside the country's own."""

    compare = forms.ChoiceField(label=_("Source and dimension"))

    def __init__(self, *args: Any, sources: list[SourceInfo], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grouped: list[tuple[str, Any]] = [("", _("Choose"))]
        for info in sources:
            options = [(f"{info.name}:{dim.name}", dim.label) for dim in info.dimensions]
            grouped.append((info.name, options))
        self.fields["compare"].choices = grouped  # type: ignore[attr-defined]

    def chosen(self) -> tuple[str, str]:
        source, _sep, dimension = self.cleaned_data["compare"].partition(":")
        return source, dimension
