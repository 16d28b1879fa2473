"""Web forms of the online app. Services validate again; forms only shape the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepath.online.models import (
    AgeGroup,
    Classification,
    ContentType,
    MatchScope,
    RecipientType,
    ReportKind,
)


class PublicReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What did you see?"), choices=ReportKind.choices, widget=forms.RadioSelect
    )
    url = forms.CharField(
        label=_("Web address (URL)"),
        required=False,
        max_length=2048,
        help_text=_("Copy it from the address bar. Do not download or send the content."),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    platform = forms.CharField(
        label=_("App, website or game (if you know it)"), required=False, max_length=100
    )
    description = forms.CharField(
        label=_("Where and what (no names needed)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a chat or a live stream: the platform, the user name, the time."),
    )
    live_abuse = forms.BooleanField(label=_("It is happening now (live)"), required=False)
    child_in_danger = forms.BooleanField(label=_("A child is in danger now"), required=False)
    sextortion = forms.BooleanField(
        label=_("Someone is threatening to share images or asking for money"), required=False
    )
    identified_child = forms.BooleanField(label=_("I know the child"), required=False)
    anonymous = forms.BooleanField(
        label=_("Stay anonymous"),
        required=False,
        initial=True,
        help_text=_("Untick to leave a phone number or e-mail for the hotline to reach you."),
    )
    contact = forms.CharField(label=_("Your phone or e-mail"), required=False, max_length=200)


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=_("Your report reference"),
        max_length=40,
        help_text=_("It looks like HR-XXXX-XXXX-XXXX."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class MediaForm(forms.Form):
    upload = MultipleFileField(
        label=_("Files to hash"),
        help_text=_(
            "Hashed in memory and discarded: SafePath keeps only the hashes and never shows "
            "the picture."
        ),
    )


class MatchForm(MediaForm):
    banks = forms.MultipleChoiceField(
        label=_("Banks"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, bank_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["banks"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = bank_choices


class AssessmentForm(forms.Form):
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Classification.choices, widget=forms.RadioSelect
    )
    content_type = forms.ChoiceField(label=_("Content type"), choices=ContentType.choices)
    age_group = forms.ChoiceField(label=_("Apparent age group"), choices=AgeGroup.choices)
    hosting_country = forms.CharField(
        label=_("Hosting country (ISO code)"), required=False, max_length=2
    )
    hosting_ip = forms.CharField(label=_("Hosting IP address"), required=False, max_length=45)
    hosting_provider = forms.CharField(label=_("Hosting provider"), required=False, max_length=200)
    registrar = forms.CharField(label=_("Domain registrar"), required=False, max_length=200)
    hosting_lookup = forms.CharField(
        label=_("Or paste a WHOIS or RDAP answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The hosting fields left empty are filled from it."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    from_known_hash = forms.BooleanField(
        label=_("Use the earlier classification of these known items (no viewing)"),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NoticeForm(forms.Form):
    recipient_type = forms.ChoiceField(label=_("Send to"), choices=RecipientType.choices)
    recipient_name = forms.CharField(label=_("Recipient (organisation)"), max_length=200)
    recipient_country = forms.CharField(
        label=_("Recipient's country (ISO code)"), required=False, max_length=2
    )


class ReferralForm(forms.Form):
    agency_name = forms.CharField(label=_("Law-enforcement agency"), max_length=200)
    case_number = forms.CharField(label=_("Their case number"), required=False, max_length=100)
    reason = forms.CharField(
        label=_("Why"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandOffForm(forms.Form):
    agency = forms.ChoiceField(label=_("Child-protection agency"))
    note = forms.CharField(
        label=_("What the agency needs to know"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "No content, no images. The agency links the report to its case under consent."
        ),
    )

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = agencies


class BankImportForm(forms.Form):
    file = forms.FileField(label=_("Hash list"))
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            ("", _("Detect")),
            ("signals", _("ThreatExchange / HMA signal file")),
            ("te_csv", _("ThreatExchange dataset CSV")),
            ("md5_list", _("NCMEC-style MD5 list")),
            ("csv", _("CSV with hash_type and hash")),
        ],
    )
    name = forms.SlugField(label=_("Bank name"), max_length=60)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    source = forms.CharField(label=_("Source"), required=False, max_length=300)
    licence = forms.CharField(label=_("Licence or terms"), required=False, max_length=300)
    match_scope = forms.ChoiceField(
        label=_("Who may match"), choices=MatchScope.choices, initial=MatchScope.OWNER
    )
    allowed_agencies = forms.CharField(
        label=_("Agencies that may match (codes)"),
        required=False,
        max_length=500,
        help_text=_("Comma-separated agency codes, when only the agencies listed may match."),
    )
    pdq_threshold = forms.IntegerField(
        label=_("PDQ distance threshold"), min_value=0, max_value=63, initial=31
    )


class AdvertForm(forms.Form):
    text = forms.CharField(
        label=_("Advert or chat text"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("advert", _("Advert")), ("chat", _("Chat excerpt"))]
    )
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    source_ref = forms.CharField(label=_("Your reference"), required=False, max_length=100)


class CaseLinkForm(forms.Form):
    consent = forms.ChoiceField(label=_("Case and consent"))
    decline_reason = forms.CharField(
        label=_("Or decline, saying why"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, consents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consent"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "—"), *consents]
        field.required = False
