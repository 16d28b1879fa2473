"""The children's name indexes, for key rotation: recomputed from the (encrypted) names."""

from __future__ import annotations

from safepath.cases.models import Child
from safepath.core.rotation import BlindIndexColumn

GIVEN_NAME_PURPOSE = "child.given_name"
FAMILY_NAME_PURPOSE = "child.family_name"


def sealed_things() -> list[BlindIndexColumn]:
    return [
        BlindIndexColumn(Child, "given_name_index", GIVEN_NAME_PURPOSE, lambda c: c.given_name),
        BlindIndexColumn(
            Child, "family_name_index", FAMILY_NAME_PURPOSE, lambda c: c.family_name or ""
        ),
    ]
