"""Template tags that put a case's history in words (``cases/history_words.py``)."""

from __future__ import annotations

from typing import Any

from django import template

from safepath.cases import history_words
from safepath.cases.models import Case

register = template.Library()


@register.simple_tag
def change_title(kind: str) -> str:
    return history_words.change_title(kind)


@register.simple_tag
def field_label(name: str) -> str:
    return history_words.field_label(name)


@register.simple_tag
def value_words(case: Case, kind: str, name: str, value: Any) -> str:
    return history_words.value_words(case, kind, name, value)
