"""Synthetic rapid registrations and sync operations for the emergency app's tests."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone


def values(**overrides: Any) -> dict[str, Any]:
    """A complete rapid-registration form, synthetic."""
    base: dict[str, Any] = {
        "given_name": "Nyakim",
        "family_name": "Deng",
        "other_names": "Kim",
        "sex": "female",
        "age_estimate": 9,
        "date_of_birth": "",
        "nationality": "SS",
        "languages": "ar; en",
        "care_status": "unaccompanied",
        "with_whom": "Alone at the reception centre",
        "separation_place": "Lokichoggio road",
        "separation_date": timezone.localdate().isoformat(),
        "separation_cause": "lost_in_movement",
        "family_last_location": "Kakuma, block 4",
        "mother_name": "Achol",
        "father_name": "",
        "urgent_needs": ["food_water", "shelter"],
        "needs_details": "Hungry, slept outside",
        "risk_level": "high",
        "registered_on": timezone.localdate().isoformat(),
        "area_country": "KE",
        "area_admin1": "Turkana",
        "site": "Reception centre gate",
        "photo_consent": "no",
    }
    base.update(overrides)
    return base


def create_op(record_id: uuid.UUID | None = None, **overrides: Any) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "kind": "create",
        "record_id": str(record_id or uuid.uuid4()),
        "form_version": "2026.1",
        "values": values(**overrides),
    }


def update_op(
    record_id: str, base_version: int, changes: dict[str, Any], base: dict[str, Any]
) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "kind": "update",
        "record_id": record_id,
        "base_version": base_version,
        "base": base,
        "changes": changes,
    }


def batch(*ops: dict[str, Any], device: str = "device-1") -> dict[str, Any]:
    return {"device_id": device, "ops": list(ops)}


def clean(raw: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the checks leave them (what the services take)."""
    from safepath.emergency import fieldform

    checked, problems = fieldform.clean_values(
        fieldform.definition(), raw, today=timezone.localdate()
    )
    assert problems == [], problems
    return checked
