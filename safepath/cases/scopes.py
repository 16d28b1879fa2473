"""What part of a case a reader may see: everything in an owning agency; in an agency the case is
shared with, only the data categories its consents cover (ICAT action 10: share what the
consent covers, and no more).

Default-deny: every key a case read puts out (the API's list, detail and case file, the history,
the case pages) is named below under the category that covers it, and goes through
``key_visible``. A key named nowhere is shown to the owning agency only, never to an agency the
case is shared with, whatever its consent; ``tests/test_category_coverage.py`` fails on such a
key, so a new field gets its category when it is added. The same holds for the case's alerts
(``ALERT_KEYS``: each is shown only with every key it reveals) and for the cases linkage shows
by name (``cases_in_scope``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from safepath.accounts.models import User
from safepath.cases.models import Case, CaseChange, CaseShare
from safepath.cases.vocabulary import DataCategory

ALL_CATEGORIES = frozenset(DataCategory.values)
# Not a consent category either: the owning agency's scope, which holds every key, named or not
# (a partner whose consent lists every category still sees named keys only).
OWNING_AGENCY = "owning_agency"
OWNER_SCOPE = ALL_CATEGORIES | {OWNING_AGENCY}

# Not a consent category: the frame of the record, which every holder of the case needs to act
# on it at all (which case, its stage, who works on it, what needs attention).
EVERY_HOLDER = "every_holder"

# Keys of a case read, by the category that covers them; "child." keys are inside the child
# object. The case file's lists and the case pages' lists use the same names.
CATEGORY_KEYS: dict[str, tuple[str, ...]] = {
    EVERY_HOLDER: (
        "id",
        "reference",
        "status",
        "status_changed_at",
        "owner_agency",
        "identified_on",
        "version",
        "created_at",
        "updated_at",
        "assigned_to",
        "allowed_transitions",
        "alerts",
        "withheld_categories",
        "child.id",
    ),
    DataCategory.IDENTITY: (
        "child.given_name",
        "child.family_name",
        "child.other_names",
        "child.sex",
        "child.date_of_birth",
        "child.date_of_birth_estimated",
        "child.age_at_identification",
        "child.nationality",
        "child.stateless",
        "child.gender_identity",
        "child.languages",
        "child.document_number",
    ),
    DataCategory.CONTACT: (
        "child.address",
        "child.contact",
        "child.care_arrangement",
        "placement_location",
        "family",
        "guardians",
    ),
    DataCategory.CASE_FACTS: (
        "forms_of_exploitation",
        "country_of_exploitation",
        "country_of_origin",
        "countries_of_transit",
        "means_of_control",
        "recruiter_relation",
        "summary",
        "screenings",  # identification screenings linked to the case (screening app)
    ),
    DataCategory.PLAN: (
        "placement",
        "durable_solution",
        "closure_reason",
        "plans",
        "tasks",
        "reviews",
        "assessments",
        "determinations",
        "child_views",
        "transition_plans",
        "information_given",  # what the child was told (participation app), beside their views
    ),
    DataCategory.HEALTH: ("child.disability", "child.disability_details", "age_assessments"),
    DataCategory.JUSTICE: ("justice_contacts",),
    DataCategory.NOTES: ("notes", "documents"),
}
KEY_CATEGORY: dict[str, str] = {
    key: category for category, keys in CATEGORY_KEYS.items() for key in keys
}
# Objects whose own keys are categorised one by one ("child.given_name"), not as a whole.
NESTED = ("child",)

# A record added to a case is logged in its history under a kind, not a field: the kind names
# the list of the case file it belongs to, and so its category.
RECORD_KINDS: dict[str, str] = {
    "plan": "plans",
    "plan_submitted": "plans",
    "plan_approved": "plans",
    "task": "tasks",
    "task_done": "tasks",
    "review": "reviews",
    "assessment": "assessments",
    "determination": "determinations",
    "determination_approved": "determinations",
    "child_views": "child_views",
    "transition_plan": "transition_plans",
    "note": "notes",
    "document": "documents",
    "guardian": "guardians",
    "family_member": "family",
    "age_assessment": "age_assessments",
    "justice_contact": "justice_contacts",
    "justice_contact_resolved": "justice_contacts",
}


# An alert is worked out from records of the case, so it tells what they hold ("this child met
# the justice system"): a reader sees it only when they may read every key it reveals. An alert
# named nowhere here is shown to the owning agency only (default-deny, like a key).
ALERT_KEYS: dict[str, tuple[str, ...]] = {
    "non_punishment": ("justice_contacts",),
    "guardian_overdue": ("child.care_arrangement", "guardians"),
    "transition_plan_due": ("child.date_of_birth", "transition_plans"),
    "aftercare_consent_needed": ("child.date_of_birth", "age_assessments"),
    "tasks_overdue": ("tasks",),
    "review_overdue": ("reviews",),
}


def visible_categories(user: User, case: Case) -> frozenset[str]:
    """The categories ``user`` may read on a case they can see (``OWNER_SCOPE`` in its owner)."""
    return visible_categories_many(user, [case])[case.id]


def visible_categories_many(user: User, cases: Sequence[Case]) -> dict[Any, frozenset[str]]:
    """The categories ``user`` may read on each of ``cases``, in one query for a whole page."""
    shared: dict[Any, set[str]] = {
        case.id: set() for case in cases if case.owner_agency_id != user.agency_id
    }
    if shared:
        shares = CaseShare.objects.active().filter(case__in=list(shared), agency=user.agency_id)
        for case_id, categories in shares.values_list("case_id", "consent__data_categories"):
            shared[case_id].update(categories or ())
    return {
        case.id: frozenset(shared[case.id]) if case.id in shared else OWNER_SCOPE for case in cases
    }


def key_visible(key: str, categories: frozenset[str]) -> bool:
    """May a reader with ``categories`` see ``key``? The owning agency sees every key; anyone
    else only a key named under a category they hold, or under ``EVERY_HOLDER``."""
    if OWNING_AGENCY in categories:
        return True
    category = KEY_CATEGORY.get(key)
    return category is not None and (category == EVERY_HOLDER or category in categories)


def alert_visible(code: str, categories: frozenset[str]) -> bool:
    """May a reader with ``categories`` see the alert ``code``? Only with every key it reveals."""
    if OWNING_AGENCY in categories:
        return True
    keys = ALERT_KEYS.get(code)
    return keys is not None and all(key_visible(key, categories) for key in keys)


def alerts_in_scope(alerts: Iterable[Any], categories: frozenset[str]) -> list[Any]:
    """The alerts (``CaseAlert`` objects or their dicts) a reader with ``categories`` sees."""
    return [
        alert
        for alert in alerts
        if alert_visible(alert["code"] if isinstance(alert, dict) else alert.code, categories)
    ]


def cases_in_scope(user: User, cases: QuerySet[Case], key: str) -> QuerySet[Case]:
    """Of ``cases`` (already in ``user``'s sight), those on which ``user`` may read ``key``: all
    of their own agency's, and a shared one only when a share in force rests on a consent whose
    categories cover the key (linkage reads names only on these)."""
    if key_visible(key, frozenset({EVERY_HOLDER})):
        return cases
    category = KEY_CATEGORY.get(key)
    covered = [
        case_id
        for case_id, categories in CaseShare.objects.active()
        .filter(agency=user.agency_id)
        .values_list("case_id", "consent__data_categories")
        if category is not None and category in (categories or ())
    ]
    return cases.filter(Q(owner_agency=user.agency_id) | Q(pk__in=covered))


def redact(data: dict[str, Any], categories: frozenset[str]) -> dict[str, Any]:
    """``data`` with only the keys ``categories`` cover, and only the alerts they cover; says
    which categories were withheld."""
    if OWNING_AGENCY in categories:
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "alerts" and isinstance(value, list):
            out[key] = alerts_in_scope(value, categories)
        elif key in NESTED and isinstance(value, dict):
            out[key] = {k: v for k, v in value.items() if key_visible(f"{key}.{k}", categories)}
        elif key_visible(key, categories):
            out[key] = value
    out["withheld_categories"] = sorted(ALL_CATEGORIES - categories)
    return out


def history_key(kind: str, field: str) -> str:
    """The read key a history entry's field stands for: a record's list, a child field, or a
    case field."""
    if kind in RECORD_KINDS:
        return RECORD_KINDS[kind]
    nested = f"child.{field}"
    return nested if nested in KEY_CATEGORY else field


@dataclass(frozen=True)
class HistoryEntry:
    """One change as this reader may see it (the shape of ``CaseChange``)."""

    version: int
    kind: str
    fields: list[str]
    before: dict[str, Any]
    after: dict[str, Any]
    changed_by: User
    changed_at: datetime.datetime


HISTORY_FIELDS = ("version", "kind", "fields", "before", "after", "changed_by", "changed_at")


def history_in_scope(
    changes: Iterable[CaseChange], categories: frozenset[str]
) -> list[HistoryEntry]:
    """The changes with only the fields ``categories`` cover; a change with none is left out,
    so a record the reader may not see does not show even as a kind of change."""
    if OWNING_AGENCY in categories:
        return [HistoryEntry(**{f: getattr(c, f) for f in HISTORY_FIELDS}) for c in changes]
    entries = []
    for change in changes:
        shown = [f for f in change.fields if key_visible(history_key(change.kind, f), categories)]
        if not shown:
            continue
        entries.append(
            HistoryEntry(
                version=change.version,
                kind=change.kind,
                fields=shown,
                before={k: v for k, v in change.before.items() if k in shown},
                after={k: v for k, v in change.after.items() if k in shown},
                changed_by=change.changed_by,
                changed_at=change.changed_at,
            )
        )
    return entries
