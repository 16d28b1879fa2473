"""Warnings of a saved result in the reader's language, shared by the API and the result page.

The engine writes its warnings in English into the signed result; what a reader sees is the
same warning, by its code, in their language. A saved record is never rewritten: a warning a
record should carry but predates (unverified strengths) is added here, when it is shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from safepath.screening.engine import UNVERIFIED_GRADES
from safepath.screening.models import ScreeningRecord
from safepath.screening.selectors import record_grades_unverified


def unverified_grades_text() -> str:
    return _(
        "Unverified strengths: the indicator strengths of this list are not transcribed from "
        "the published ILO/EC (2009) tables, so this outcome may be wrong in either direction. "
        "Use it to decide what to ask and whom to refer to, never as a finding."
    )


def record_warnings(record: ScreeningRecord) -> list[dict[str, Any]]:
    """The record's warnings as {code, text, source}; unverified strengths first, always."""
    stored = [dict(w) for w in record.result.get("warnings", [])]
    others = [w for w in stored if w.get("code") != UNVERIFIED_GRADES]
    if not record_grades_unverified(record):
        return others
    grades = record.result.get("grades") or {}
    unverified = {
        "code": UNVERIFIED_GRADES,
        "text": unverified_grades_text(),
        "source": grades.get("source", ""),
    }
    return [unverified, *others]
