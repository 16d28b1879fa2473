"""``{% load safepath_dates %}``: ``{{ value|day }}`` and ``{{ value|moment }}``, the one way
pages show dates (``core/dates.py``)."""

from __future__ import annotations

from typing import Any

from django import template

from safepath.core import dates

register = template.Library()


@register.filter(name="day")
def day_filter(value: Any) -> str:
    return dates.day(value) if value not in (None, "") else ""


@register.filter(name="moment")
def moment_filter(value: Any) -> str:
    return dates.moment(value) if value not in (None, "") else ""
