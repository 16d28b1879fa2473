"""Retention rules, as a pure function: which data categories of a closed case are due for
erasure today. The periods are data (the ``SAFEPATH_RETENTION_DAYS`` setting, agreed with the
data-protection authority under national law); ``services/erasure.py`` does the erasing.

A period runs from the day the case was last closed. A case that is open again (follow-up,
urgent protection) has nothing due; a case under a legal hold in force has nothing due; a
category already erased is not due twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from safepath.cases.vocabulary import DataCategory

# What each category's erasure removes (services/erasure.py does it; the README lists it too).
# The structured facts that statistics need (sex, age when identified, nationality, forms of
# exploitation, countries, stages and dates) are not in any category's erasure: they stay.
ERASES: dict[str, str] = {
    DataCategory.IDENTITY: (
        "the child's names, other names, date of birth, gender identity in their words and "
        "document number, and the name search keys"
    ),
    DataCategory.CONTACT: (
        "the child's address and contact, the placement's whereabouts, family members' and "
        "guardians' names and contacts"
    ),
    DataCategory.CASE_FACTS: "the case summary (the structured facts stay for statistics)",
    DataCategory.PLAN: (
        "plan goals, task titles, review findings, best-interests findings, reasons and panel, "
        "the child's views and how they were weighed, transition plans"
    ),
    DataCategory.HEALTH: "disability details",
    DataCategory.JUSTICE: "justice contacts' details",
    DataCategory.NOTES: "case notes, and documents with their files",
}

# Categories about the child rather than one case: erased only when every case of the child
# is due for them (a child may have a second, open case).
CHILD_CATEGORIES = frozenset({DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HEALTH})


class RetentionSettingError(ValueError):
    """The retention setting cannot be read; the message names the part that is wrong."""


def parse_periods(text: str) -> dict[str, int]:
    """``"contact=365, identity=3650"`` as ``{"contact": 365, "identity": 3650}``."""
    periods: dict[str, int] = {}
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        category, equals, days = (piece.strip() for piece in part.partition("="))
        if not equals or category not in ERASES:
            known = ", ".join(ERASES)
            raise RetentionSettingError(
                f"SAFEPATH_RETENTION_DAYS: {part!r} is not category=days (categories: {known})"
            )
        if not days.isdigit() or int(days) < 1:
            raise RetentionSettingError(
                f"SAFEPATH_RETENTION_DAYS: {part!r}: the days must be a whole number above 0"
            )
        if category in periods:
            raise RetentionSettingError(f"SAFEPATH_RETENTION_DAYS: {category!r} is given twice")
        periods[category] = int(days)
    return periods


def categories_due(
    *,
    closed_on: date | None,
    today: date,
    periods: Mapping[str, int],
    erased: Iterable[str] = (),
    held: bool = False,
) -> list[str]:
    """The categories to erase today, in a stable order. ``closed_on`` is None for a case that
    is not closed now."""
    if closed_on is None or held:
        return []
    done = set(erased)
    return [
        category
        for category in ERASES
        if category in periods
        and category not in done
        and today >= closed_on + timedelta(days=periods[category])
    ]
