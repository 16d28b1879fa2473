"""Signing screening records: a keyed hash over what was asked, answered and concluded.

The key is derived from the keyring's active index key for this one purpose, so it never
decrypts anything. A record whose signature verifies under none of the ring's index keys was
altered after it was written. After a new index key, key rotation re-signs each record that
verifies under an older key (:class:`SealedSignatures`); a record that verifies under no key is
left as it is, so rotation never makes an altered record look sound.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.db import transaction

from safepath.core import crypto
from safepath.core.keyring import Keyring
from safepath.core.rotation import Family, Progress, allow_rekey

PURPOSE = b"safepath-screening-signature-v1"


def _key(ring: Keyring | None = None, key_id: str | None = None) -> bytes:
    ring = ring or crypto.current_keyring()
    index_key = ring.index_keys[key_id or ring.index_active]
    return hmac.new(index_key, PURPOSE, hashlib.sha256).digest()


def signed_content(record: Any) -> dict[str, Any]:
    return {
        "id": str(record.id),
        "instrument": [record.instrument_id, record.instrument_version],
        "agency": str(record.agency_id),
        "screened_by": str(record.screened_by_id),
        "setting": record.setting,
        "age": record.age,
        "age_disputed": record.age_disputed,
        "act_recorded": record.act_recorded,
        "child_rule": record.child_rule,
        "answers": record.answers,
        "result": record.result,
        "outcome": record.outcome,
        "urgency": record.urgency,
        "non_punishment_notice": record.non_punishment_notice,
        "case": str(record.case_id or ""),
        "created_at": record.created_at.isoformat(),
    }


def sign(record: Any, *, ring: Keyring | None = None, key_id: str | None = None) -> str:
    canonical = json.dumps(signed_content(record), sort_keys=True, separators=(",", ":"))
    return hmac.new(_key(ring, key_id), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def key_of(record: Any, ring: Keyring | None = None) -> str | None:
    """The index key whose signature the record carries, or None if none (altered)."""
    ring = ring or crypto.current_keyring()
    for key_id in [ring.index_active, *ring.index_keys]:
        if hmac.compare_digest(sign(record, ring=ring, key_id=key_id), record.signature):
            return key_id
    return None


def verify(record: Any) -> bool:
    return key_of(record) is not None


class SealedSignatures:
    """The screening records' signatures, for ``keys status|rotate|retire`` (core/rotation.py)."""

    kind = "signatures"
    family: Family = "index"
    label = "screening signatures"
    recomputable = True

    def _records(self) -> Any:
        from safepath.screening.models import ScreeningRecord

        return ScreeningRecord.objects.order_by("pk").iterator(chunk_size=500)

    def count_under(self, ring: Keyring, key_id: str) -> int:
        return sum(1 for record in self._records() if key_of(record, ring) == key_id)

    def count_not_under_active(self, ring: Keyring) -> int:
        return sum(
            1 for record in self._records() if key_of(record, ring) not in (ring.index_active, None)
        )

    def rotate(self, ring: Keyring, progress: Progress) -> tuple[int, int]:
        from safepath.screening.models import ScreeningRecord

        moved = skipped = 0
        for record in self._records():
            if key_of(record, ring) in (ring.index_active, None):
                continue
            with transaction.atomic():
                allow_rekey()
                updated = ScreeningRecord.objects.filter(
                    pk=record.pk, signature=record.signature
                ).update(signature=sign(record, ring=ring))
            moved, skipped = moved + updated, skipped + (1 - updated)
            if progress:
                progress(1)
        return moved, skipped


def sealed_things() -> list[SealedSignatures]:
    return [SealedSignatures()]
