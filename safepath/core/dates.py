"""Dates as people read them: one format for a day and one for a moment, per language.

The formats live in ``core/formats/<language>/formats.py`` (Django's FORMAT_MODULE_PATH); every
page shows dates through ``day`` and ``moment`` (templates: ``{% load safepath_dates %}`` then
``{{ value|day }}``, ``{{ value|moment }}``), so that a page never mixes 2026-12-07, 7 December
2026 and 07/12/2026. Machine-readable values (``<time datetime>``, form inputs, exports) stay ISO.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format


def day(value: dt.date | None) -> str:
    """The day of ``value`` (a date or a moment) in the reader's language; "" for none."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, "DATE_FORMAT")


def moment(value: dt.date | None) -> str:
    """A day and a time of day in the reader's language; a bare date is shown as a day."""
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        return day(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "DATETIME_FORMAT")
