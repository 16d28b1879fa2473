"""The field app: one page that works with no network once opened (see ``static/emergency/``).

The page holds no child's data: the form, the screening questions and the words the script
shows, in the caseworker's language. Records live in the browser's encrypted store and reach
the server through the sync API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from safepath.accounts.selectors import signed_in_user
from safepath.emergency import fieldform
from safepath.emergency.policies import EmergencyAction, emergency_policy

SCREENING_INSTRUMENT = "child-risk"


@dataclass(frozen=True)
class ShownField:
    name: str
    type: str
    label: str
    hint: str
    required: bool
    choices: tuple[tuple[str, str], ...]
    minimum: int | None
    maximum: int | None
    max_length: int | None
    default: str
    relevant_if: dict[str, str]
    format: str


def shown_groups(language: str) -> list[tuple[str, str, list[ShownField]]]:
    form = fieldform.definition()
    today = timezone.localdate().isoformat()
    groups = []
    for name, label in form.groups:
        fields = [
            ShownField(
                name=item.name,
                type=item.type,
                label=fieldform.label(item.label, language),
                hint=fieldform.label(item.hint, language) if item.hint else "",
                required=item.required,
                choices=tuple(
                    (c.value, fieldform.label(c.label, language))
                    for c in form.choices.get(item.choices, ())
                ),
                minimum=item.minimum,
                maximum=item.maximum,
                max_length=item.max_length,
                default=today if item.default == "today" else "",
                relevant_if=item.relevant_if,
                format=item.format,
            )
            for item in form.fields_of(name)
        ]
        groups.append((name, fieldform.label(label, language), fields))
    return groups


def screening_questions(language: str) -> dict[str, Any]:
    from safepath.screening import instruments
    from safepath.screening.translations import texts

    instrument = instruments.get(SCREENING_INSTRUMENT)
    words = texts(instrument, language)
    return {
        "id": instrument.id,
        "version": instrument.version,
        "title": words.title,
        "items": [
            {"id": item.id, "text": words.question(item.id), "help": words.help(item.id)}
            for item in instrument.items
        ],
    }


@login_required
@require_GET
def field_app_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not emergency_policy.user_has_permission(user, EmergencyAction.REGISTER):
        raise Http404
    language = (get_language() or "en")[:2]
    form = fieldform.definition()
    return render(
        request,
        "emergency/field.html",
        {
            "form": form,
            "form_title": fieldform.label(form.title, language),
            "groups": shown_groups(language),
            "screening": screening_questions(language),
        },
    )
