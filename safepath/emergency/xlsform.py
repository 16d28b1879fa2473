"""The rapid-registration form as an XLSForm (survey, choices, settings), for ODK Collect and
KoboToolbox, built from the same definition as the offline web form. No Django here.

Labels and hints in the four languages (``label::English (en)`` ...), the same constraints as
the server's checks, the photograph only when consent is given, and a calculated
``form_version`` so that every submission says which version of the form made it.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

from safepath.emergency.fieldform import Field, FormDefinition

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية"}
FIELD_TYPES = {"text": "text", "integer": "integer", "date": "date", "image": "image"}
CONSTRAINT_MESSAGES = {
    "en": "Check this answer: it is outside what the form accepts.",
    "fr": "Vérifiez cette réponse : elle sort de ce que le formulaire accepte.",
    "es": "Revise esta respuesta: está fuera de lo que el formulario acepta.",
    "ar": "راجع هذه الإجابة: إنها خارج ما تقبله الاستمارة.",
}


def _column(kind: str, language: str) -> str:
    return f"{kind}::{LANGUAGE_NAMES[language]} ({language})"


def _type(item: Field) -> str:
    if item.type in ("select_one", "select_multiple"):
        return f"{item.type} {item.choices}"
    return FIELD_TYPES[item.type]


def constraint(item: Field) -> str:
    """The XPath constraint matching the server's check of this field (empty: none)."""
    parts = []
    if item.type == "integer":
        if item.minimum is not None:
            parts.append(f". >= {item.minimum}")
        if item.maximum is not None:
            parts.append(f". <= {item.maximum}")
    if item.type == "date":
        parts.append(". <= today()")
    if item.format == "country":
        parts.append("regex(., '^[A-Z]{2}$')")
    elif item.format == "languages":
        parts.append(r"regex(., '^[a-z]{2,3}( *; *[a-z]{2,3})*$')")
    if item.type == "text" and item.max_length is not None and item.format != "country":
        parts.append(f"string-length(.) <= {item.max_length}")
    return " and ".join(parts)


def _relevant(item: Field) -> str:
    return " and ".join(f"${{{name}}} = '{value}'" for name, value in item.relevant_if.items())


def build(form: FormDefinition) -> Workbook:
    book = Workbook()
    survey = book.active
    assert survey is not None  # noqa: S101 - a new workbook has a sheet
    survey.title = "survey"
    languages = list(LANGUAGE_NAMES)
    survey.append(
        [
            "type",
            "name",
            *(_column("label", lang) for lang in languages),
            *(_column("hint", lang) for lang in languages),
            "required",
            "constraint",
            *(_column("constraint_message", lang) for lang in languages),
            "relevant",
            "default",
            "calculation",
            "parameters",
        ]
    )
    blank_texts = [""] * len(languages)
    for group, group_label in form.groups:
        survey.append(
            [
                "begin_group",
                group,
                *(group_label[lang] for lang in languages),
                *blank_texts,
                "",
                "",
                *blank_texts,
                "",
                "",
                "",
            ]
        )
        for item in form.fields_of(group):
            rule = constraint(item)
            survey.append(
                [
                    _type(item),
                    item.name,
                    *(item.label[lang] for lang in languages),
                    *((item.hint or {}).get(lang, "") for lang in languages),
                    "yes" if item.required else "",
                    rule,
                    *((CONSTRAINT_MESSAGES[lang] if rule else "") for lang in languages),
                    _relevant(item),
                    "today()" if item.default == "today" else "",
                    "",
                    "max-pixels=1024" if item.type == "image" else "",
                ]
            )
        survey.append(["end_group", group])
    survey.append(
        [
            "calculate",
            "form_version",
            *blank_texts,
            *blank_texts,
            "",
            "",
            *blank_texts,
            "",
            "",
            f"'{form.version}'",
        ]
    )
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *(_column("label", lang) for lang in languages)])
    for list_name, items in form.choices.items():
        for choice in items:
            choices.append([list_name, choice.value, *(choice.label[lang] for lang in languages)])
    settings = book.create_sheet("settings")
    settings.append(
        ["form_title", "form_id", "version", "default_language", "allow_choice_duplicates"]
    )
    settings.append(
        [form.title["en"], form.form_id, form.version, f"{LANGUAGE_NAMES['en']} (en)", "no"]
    )
    return book


def write(form: FormDefinition, path: Path) -> None:
    build(form).save(path)


def to_bytes(form: FormDefinition) -> bytes:
    buffer = BytesIO()
    build(form).save(buffer)
    return buffer.getvalue()
