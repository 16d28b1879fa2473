"""``{{ code|language_label }}`` and ``{{ codes|language_labels }}``: languages by name, in the
reader's language (not ``language_name``: Django's ``i18n`` library has a filter of that name,
which gives the English name of Django's own interface languages only)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from safepath.core.languages import language_name as _name

register = template.Library()


@register.filter
def language_label(code: str) -> str:
    return _name(code) if code else ""


@register.filter
def language_labels(codes: Iterable[str]) -> str:
    return ", ".join(_name(code) for code in codes or ())
