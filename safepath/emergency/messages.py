"""The form checks' problem codes in words, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from safepath.emergency.fieldform import Problem


def problem_text(problem: Problem) -> str:
    params = problem.params
    texts = {
        "required": _("This field is required."),
        "unknown_field": _("The form has no such field."),
        "too_long": _("Write at most %(max)s characters."),
        "country": _("%(value)s is not a two-letter ISO country code."),
        "language": _("%(value)s is not a two- or three-letter language code."),
        "integer": _("%(value)s is not a whole number."),
        "range": _("Give a number from %(min)s to %(max)s."),
        "date": _("%(value)s is not a date (YYYY-MM-DD)."),
        "future": _("This date cannot be in the future."),
        "choice": _("%(value)s is not one of the choices."),
        "after_registration": _("This date cannot be after the date of registration."),
    }
    text = texts.get(problem.code, _("This value is not valid."))
    try:
        return text % {k: v for k, v in params.items() if not isinstance(v, tuple)}
    except (KeyError, TypeError):
        return text


def problem_fields(problems: Iterable[Problem]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for problem in problems:
        fields.setdefault(problem.field, []).append(problem_text(problem))
    return fields
