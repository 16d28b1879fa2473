"""The rapid-registration form as data, and the checks every submitted record goes through.

One definition (``forms/rapid_registration.json``, checked against ``forms/form_schema.json``)
drives the offline web form, the XLSForm export for ODK Collect and KoboToolbox, the import of
their submissions and the sync API, so a field means the same thing everywhere. No Django here:
problems come back as codes with their parameters, and the app puts them into words.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from jsonschema import Draft202012Validator

FORMS_DIR = Path(__file__).with_name("forms")
DEFINITION_FILE = FORMS_DIR / "rapid_registration.json"
SCHEMA_FILE = FORMS_DIR / "form_schema.json"
LANGUAGES = ("en", "fr", "es", "ar")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class FormDefinitionError(ValueError):
    """The form file is broken: ``where`` names the file and the place."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Choice:
    value: str
    label: dict[str, str]


@dataclass(frozen=True)
class Field:
    name: str
    group: str
    type: str
    label: dict[str, str]
    required: bool = False
    hint: dict[str, str] | None = None
    choices: str = ""
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    format: str = ""
    default: str = ""
    relevant_if: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FormDefinition:
    form_id: str
    version: str
    accepted_versions: tuple[str, ...]
    title: dict[str, str]
    source: str
    groups: tuple[tuple[str, dict[str, str]], ...]
    choices: dict[str, tuple[Choice, ...]]
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def data_names(self) -> tuple[str, ...]:
        """The fields a record's values hold (the photo travels apart, as a file)."""
        return tuple(f.name for f in self.fields if f.type != "image")

    def choice_values(self, list_name: str) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices[list_name])

    def fields_of(self, group: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.group == group)


def _check_references(raw: dict[str, Any], where: str) -> None:
    groups = {g["name"] for g in raw["groups"]}
    names: set[str] = set()
    for number, item in enumerate(raw["fields"]):
        place = f"{where}: fields[{number}] ({item['name']})"
        if item["name"] in names:
            raise FormDefinitionError(place, "the name is used twice")
        names.add(item["name"])
        if item["group"] not in groups:
            raise FormDefinitionError(place, f"unknown group {item['group']!r}")
        is_select = item["type"] in ("select_one", "select_multiple")
        if is_select and item.get("choices") not in raw["choices"]:
            raise FormDefinitionError(place, f"unknown choice list {item.get('choices')!r}")
        if not is_select and "choices" in item:
            raise FormDefinitionError(place, "only a select field has choices")
    for number, item in enumerate(raw["fields"]):
        for other in item.get("relevant_if", {}):
            if other not in names:
                raise FormDefinitionError(
                    f"{where}: fields[{number}] ({item['name']})",
                    f"relevant_if names unknown field {other!r}",
                )
    if raw["version"] not in raw["accepted_versions"]:
        raise FormDefinitionError(where, "the current version must be among accepted_versions")


def parse_definition(raw: Any, *, where: str = DEFINITION_FILE.name) -> FormDefinition:
    """A checked definition from its JSON value; FormDefinitionError names what is wrong."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(raw), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        place = "/".join(str(p) for p in first.absolute_path) or "(top)"
        raise FormDefinitionError(f"{where}: {place}", first.message)
    _check_references(raw, where)
    return FormDefinition(
        form_id=raw["form_id"],
        version=raw["version"],
        accepted_versions=tuple(raw["accepted_versions"]),
        title=raw["title"],
        source=raw["source"],
        groups=tuple((g["name"], g["label"]) for g in raw["groups"]),
        choices={
            name: tuple(Choice(c["value"], c["label"]) for c in items)
            for name, items in raw["choices"].items()
        },
        fields=tuple(
            Field(
                name=f["name"],
                group=f["group"],
                type=f["type"],
                label=f["label"],
                required=f.get("required", False),
                hint=f.get("hint"),
                choices=f.get("choices", ""),
                max_length=f.get("max_length"),
                minimum=f.get("minimum"),
                maximum=f.get("maximum"),
                format=f.get("format", ""),
                default=f.get("default", ""),
                relevant_if=dict(f.get("relevant_if", {})),
            )
            for f in raw["fields"]
        ),
    )


@cache
def definition() -> FormDefinition:
    """The deployed rapid-registration form."""
    try:
        raw = json.loads(DEFINITION_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise FormDefinitionError(DEFINITION_FILE.name, str(error)) from None
    return parse_definition(raw)


# --- checking one record ----------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One field's fault: a stable code and what the message needs."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and len(value) == 0)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value).strip()


def _split(value: Any, separator: str) -> list[str]:
    if isinstance(value, list | tuple):
        parts = [_text(v) for v in value]
    else:
        parts = [p.strip() for p in str(value).split(separator)]
    return [p for p in parts if p]


def _check_text(item: Field, value: Any, problems: list[Problem]) -> Any:
    if item.format == "list":
        return _split(value, ";")
    if item.format == "languages":
        codes = [code.lower() for code in _split(value, ";")]
        bad = [code for code in codes if not _LANGUAGE_CODE.match(code)]
        if bad:
            problems.append(Problem(item.name, "language", {"value": bad[0]}))
        return codes
    text = _text(value)
    if item.max_length is not None and len(text) > item.max_length:
        problems.append(Problem(item.name, "too_long", {"max": item.max_length}))
    if item.format == "country":
        text = text.upper()
        if text and pycountry.countries.get(alpha_2=text) is None:
            problems.append(Problem(item.name, "country", {"value": text}))
    return text


def _check_integer(item: Field, value: Any, problems: list[Problem]) -> Any:
    try:
        if isinstance(value, bool):
            raise ValueError
        number = int(value) if not isinstance(value, float) or value.is_integer() else None
        if number is None:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(Problem(item.name, "integer", {"value": str(value)[:20]}))
        return None
    low, high = item.minimum, item.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        problems.append(Problem(item.name, "range", {"min": low, "max": high}))
    return number


def _check_date(item: Field, value: Any, today: datetime.date, problems: list[Problem]) -> Any:
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        try:
            day = datetime.date.fromisoformat(_text(value)[:10])
        except ValueError:
            problems.append(Problem(item.name, "date", {"value": str(value)[:20]}))
            return None
    if day > today:
        problems.append(Problem(item.name, "future", {}))
    return day.isoformat()


def _check_choice(form: FormDefinition, item: Field, value: Any, problems: list[Problem]) -> Any:
    allowed = form.choice_values(item.choices)
    if item.type == "select_one":
        text = _text(value)
        if text not in allowed:
            problems.append(Problem(item.name, "choice", {"value": text[:40], "allowed": allowed}))
        return text
    chosen = sorted(set(_split(value, " ")))
    wrong = [v for v in chosen if v not in allowed]
    if wrong:
        problems.append(Problem(item.name, "choice", {"value": wrong[0][:40], "allowed": allowed}))
    return chosen


def clean_values(
    form: FormDefinition,
    raw: Mapping[str, Any],
    *,
    today: datetime.date,
    partial: bool = False,
) -> tuple[dict[str, Any], list[Problem]]:
    """Typed values (dates as ISO text, lists sorted where order means nothing) and problems.

    ``partial`` checks only the fields given (an update); otherwise a missing required field is
    a problem. Unknown names are problems too: a device never sends a field the form lacks.
    """
    problems: list[Problem] = []
    known = set(form.data_names)
    for name in sorted(set(raw) - known):
        problems.append(Problem(name, "unknown_field", {}))
    clean: dict[str, Any] = {}
    for item in form.fields:
        if item.type == "image" or (partial and item.name not in raw):
            continue
        value = raw.get(item.name)
        if _empty(value) or (isinstance(value, str) and not value.strip()):
            if item.required:
                problems.append(Problem(item.name, "required", {}))
            clean[item.name] = empty_value(item)
            continue
        if item.type == "text":
            clean[item.name] = _check_text(item, value, problems)
        elif item.type == "integer":
            clean[item.name] = _check_integer(item, value, problems)
        elif item.type == "date":
            clean[item.name] = _check_date(item, value, today, problems)
        else:
            clean[item.name] = _check_choice(form, item, value, problems)
    if not partial:
        _check_together(clean, problems)
    return clean, problems


def empty_value(item: Field) -> Any:
    """What an unanswered field holds."""
    if item.type == "select_multiple" or item.format in ("list", "languages"):
        return []
    return None if item.type == "integer" else ""


def _check_together(clean: Mapping[str, Any], problems: list[Problem]) -> None:
    """Rules across fields: the dates must be in order."""
    registered = clean.get("registered_on") or ""
    for name in ("date_of_birth", "separation_date"):
        value = clean.get(name) or ""
        if value and registered and value > registered:
            problems.append(Problem(name, "after_registration", {}))


def photo_allowed(values: Mapping[str, Any]) -> bool:
    """A photograph is kept only with consent (the handbook: optional, and only with consent)."""
    return values.get("photo_consent") == "yes"


def comparable(value: Any) -> Any:
    """One form of a value for comparing a device's copy with the server's."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return sorted(_text(v) for v in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value if isinstance(value, int) and not isinstance(value, bool) else _text(value)


def label(item_label: Mapping[str, str], language: str) -> str:
    return item_label.get(language[:2], item_label["en"])
