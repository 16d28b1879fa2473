"""What part of a case a reader may see: everything in an owning agency; in an agency the case is
shared with, only the data categories its consents cover (ICAT action 10: share what the
consent covers, and no more)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from safepath.accounts.models import User
from safepath.cases.models import Case, CaseShare
from safepath.cases.vocabulary import DataCategory

ALL_CATEGORIES = frozenset(DataCategory.values)

# Keys of the case API's output, by the category that covers them; "child." keys are inside
# the child object. Anything not listed (reference, stage, alerts) is shown to every holder.
CATEGORY_KEYS: dict[str, tuple[str, ...]] = {
    DataCategory.IDENTITY: (
        "child.given_name",
        "child.family_name",
        "child.other_names",
        "child.date_of_birth",
        "child.nationality",
        "child.stateless",
        "child.gender_identity",
        "child.languages",
        "child.document_number",
    ),
    DataCategory.CONTACT: (
        "child.address",
        "child.contact",
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
    ),
    DataCategory.PLAN: (
        "plans",
        "tasks",
        "reviews",
        "assessments",
        "determinations",
        "child_views",
        "transition_plans",
    ),
    DataCategory.HEALTH: ("child.disability", "child.disability_details", "age_assessments"),
    DataCategory.JUSTICE: ("justice_contacts",),
    DataCategory.NOTES: ("notes", "documents"),
}


def visible_categories(user: User, case: Case) -> frozenset[str]:
    """The categories ``user`` may read on a case they can see."""
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
        case.id: frozenset(shared[case.id]) if case.id in shared else ALL_CATEGORIES
        for case in cases
    }


def redact(data: dict[str, Any], categories: frozenset[str]) -> dict[str, Any]:
    """``data`` without the keys of the categories not covered; says which were withheld."""
    withheld = sorted(ALL_CATEGORIES - categories)
    if not withheld:
        return data
    out = dict(data)
    child = dict(out.get("child") or {})
    for category in withheld:
        for key in CATEGORY_KEYS[category]:
            if key.startswith("child."):
                child.pop(key.removeprefix("child."), None)
            else:
                out.pop(key, None)
    if "child" in out:
        out["child"] = child
    out["withheld_categories"] = withheld
    return out
