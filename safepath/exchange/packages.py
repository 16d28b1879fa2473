"""What a case-transfer package carries: the case read shaped with the keys of
``cases/scopes.py``, then cut to the categories both the consent and the partner's registration
allow (``scopes.redact``: default-deny, a key named under no category never leaves). The
receiver reads it back into a new case with ``import_inputs``."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from safepath.cases import scopes
from safepath.cases.models import Case
from safepath.cases.services import CASE_FIELDS, CHILD_FIELDS, CaseInput, ChildInput
from safepath.cases.vocabulary import DataCategory

FORMAT = "safepath.case-transfer/1"
# The frame every package keeps whatever the categories: which case (the sender's reference
# and id, so the two stay linked) and when the child was identified.
FRAME = ("id", "reference", "identified_on")


def package_categories(consented: list[str], registered: list[str]) -> list[str]:
    """The categories both allow; anything that is not a known category is dropped."""
    return sorted(set(consented) & set(registered) & set(DataCategory.values))


def case_package(case: Case, categories: list[str]) -> dict[str, Any]:
    child = case.child
    read: dict[str, Any] = {
        "id": str(case.id),
        "reference": case.reference,
        "identified_on": case.identified_on.isoformat(),
        "child": {name: _plain(getattr(child, name)) for name in CHILD_FIELDS}
        | {"age_at_identification": child.age_at_identification},
        **{name: _plain(getattr(case, name)) for name in CASE_FIELDS if name != "identified_on"},
        "placement": case.placement,
        "durable_solution": case.durable_solution,
        "family": [
            {
                "relation": member.relation,
                "name": member.name,
                "contact": member.contact,
                "is_caregiver": member.is_caregiver,
                "whereabouts_known": member.whereabouts_known,
                "tracing_requested": member.tracing_requested,
            }
            for member in case.family.order_by("recorded_at")
        ],
        "notes": [
            {"body": note.body, "written_at": note.created_at.isoformat()}
            for note in case.notes.order_by("created_at")
        ],
    }
    kept = scopes.redact(read, frozenset(categories))
    return {
        key: value
        for key, value in kept.items()
        if key in FRAME or key == "child" or scopes.KEY_CATEGORY.get(key) in categories
    } | {"withheld_categories": sorted(set(DataCategory.values) - set(categories))}


def package_digest(package: dict[str, Any]) -> str:
    text = json.dumps(package, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def import_inputs(package: dict[str, Any]) -> tuple[ChildInput, CaseInput]:
    """The new case's inputs from a received package; what was withheld keeps its default."""
    child = package.get("child") or {}
    child_values = {name: child[name] for name in CHILD_FIELDS if name in child}
    if child_values.get("date_of_birth"):
        child_values["date_of_birth"] = datetime.date.fromisoformat(child_values["date_of_birth"])
    child_values.setdefault("given_name", "")
    case_values = {
        name: package[name] for name in CASE_FIELDS if name in package and name != "identified_on"
    }
    return (
        ChildInput(**child_values),
        CaseInput(
            identified_on=datetime.date.fromisoformat(package["identified_on"]), **case_values
        ),
    )
