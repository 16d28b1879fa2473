"""``{{ code|language_name }}`` and ``{{ codes|language_names }}``: languages by name, in the
reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from safepath.core.languages import language_name as _name

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return _name(code) if code else ""


@register.filter
def language_names(codes: Iterable[str]) -> str:
    return ", ".join(_name(code) for code in codes or ())
