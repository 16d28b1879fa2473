"""Web forms for the directory search and the referral workflow (the services validate again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import Agency
from safepath.cases.models import Case, Consent, consent_in_force
from safepath.cases.vocabulary import ConsentPurpose
from safepath.core.countries import country_choices
from safepath.core.dates import day
from safepath.core.languages import language_code
from safepath.referrals import catalogue
from safepath.referrals.models import (
    DeclineCode,
    GenderServed,
    OperatingStatus,
    Outcome,
    Service,
    Urgency,
)


def service_type_choices(blank: str = "—") -> list[tuple[str, str]]:
    taxonomy = catalogue.taxonomy()
    return [("", blank)] + [
        (t.code, f"— {gettext(t.label)}" if t.parent else gettext(t.label)) for t in taxonomy.types
    ]


class ServiceSearchForm(forms.Form):
    service_type = forms.ChoiceField(
        label=_("Service"), choices=service_type_choices, required=False
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, required=False)
    admin_area = forms.CharField(label=_("Region or county"), max_length=100, required=False)
    city = forms.CharField(label=_("City or town"), max_length=100, required=False)
    language = forms.CharField(
        label=_("Language"),
        max_length=60,
        required=False,
        help_text=_("Its name or ISO 639 code, such as Swahili or sw."),
    )

    def clean_language(self) -> str:
        typed = self.cleaned_data["language"].strip()
        if not typed:
            return ""
        code = language_code(typed)
        if code is None:
            raise forms.ValidationError(
                _("%(name)s is not a language we know: give its name or ISO 639 code.")
                % {"name": typed}
            )
        return code

    age = forms.IntegerField(label=_("Child's age"), min_value=0, max_value=30, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", "—"), *GenderServed.choices[1:]],
        required=False,
    )


class ServiceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.provider.name}, {obj.city or obj.admin_area or obj.country})"


class ConsentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("To %(agency)s, given on %(day)s")
            % {"agency": obj.recipient_agency.name, "day": day(obj.given_on)}
        )


def _choice(form: forms.Form, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared just below
    return field


class ReferralForm(forms.Form):
    service = ServiceChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False
    )
    receiving_agency = forms.ModelChoiceField(
        label=_("Or an agency"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("When no listed service fits."),
    )
    service_type = forms.ChoiceField(
        label=_("Service type"), choices=service_type_choices, required=False
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.MEDIUM)
    reason = forms.CharField(label=_("Why the child needs this service"), widget=forms.Textarea)
    consent = ConsentChoiceField(
        label=_("Consent to refer"), queryset=Consent.objects.none(), required=False
    )
    urgent_exception_reason = forms.CharField(
        label=_("No consent yet: urgent-protection reason"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Only for urgent protection; consent must be obtained afterwards."),
    )
    views = forms.CharField(
        label=_("The child's views on the referral, in their words"),
        widget=forms.Textarea,
        required=False,
    )
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
        label=_("The child was informed in a way they understand"), required=False
    )
    weight_given = forms.CharField(
        label=_("How the child's views were weighed"), widget=forms.Textarea
    )
    heard_on = forms.DateField(
        label=_("Date heard"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "service").queryset = (
            Service.objects.filter(is_active=True, provider__agency__is_active=True)
            .exclude(provider__agency=case.owner_agency_id)
            .exclude(operating_status=OperatingStatus.CLOSED)  # a closed service is skipped
            .select_related("provider")
            .order_by("service_type", "name")
        )
        _choice(self, "receiving_agency").queryset = Agency.objects.filter(is_active=True).exclude(
            pk=case.owner_agency_id
        )
        _choice(self, "consent").queryset = (
            Consent.objects.filter(consent_in_force(), case=case, purpose=ConsentPurpose.REFERRAL)
            .select_related("recipient_agency")
            .order_by("-given_on")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        service, agency = data.get("service"), data.get("receiving_agency")
        if service is None and agency is None:
            self.add_error("service", _("Choose a service, or an agency."))
        elif service is not None:
            data["receiving_agency"] = service.provider.agency
        return data


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DeclineForm(VersionForm):
    code = forms.ChoiceField(label=_("Why"), choices=DeclineCode.choices)
    reason = forms.CharField(label=_("Explain in words"), widget=forms.Textarea, required=False)


class OutcomeForm(VersionForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("Choose the outcome")), *Outcome.choices]
    )
    outcome_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)


class WithdrawForm(VersionForm):
    reason = forms.CharField(label=_("Why withdraw"), widget=forms.Textarea, required=False)
