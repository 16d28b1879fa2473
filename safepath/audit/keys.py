"""The audit chain keys as `keys status` and `keys retire` see them: events counted per key.

An audit key is never re-sealed (an event's hash is written once; the table is append-only),
so rotation moves nothing: a new audit key starts a new segment of the chain, and every older
key stays in the keyring as long as any event was hashed with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from safepath.audit.models import AuditEvent
from safepath.core.keyring import Keyring
from safepath.core.rotation import Family, Progress, Sealed

KIND = "audit events"


class AuditEvents:
    kind = KIND
    family: Family = "audit"
    recomputable = False

    def count_under(self, ring: Keyring, key_id: str) -> int:
        return AuditEvent.objects.filter(key_id=key_id).count()

    def count_not_under_active(self, ring: Keyring) -> int:
        return 0  # never moved: older segments keep their keys

    def rotate(self, ring: Keyring, progress: Progress) -> tuple[int, int]:
        return 0, 0


def unkeyed_events() -> int:
    """Events written before the chain was keyed (plain SHA-256)."""
    return AuditEvent.objects.filter(key_id="").count()


def sealed_things() -> Iterable[Sealed]:
    yield AuditEvents()
