"""Signing screening records: a keyed hash over what was asked, answered and concluded.

The key is derived from the keyring's index key for this one purpose, so it never decrypts
anything and changes only if that key does. A record whose signature does not verify was
altered after it was written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from safepath.core import crypto

PURPOSE = b"safepath-screening-signature-v1"


def _key() -> bytes:
    return hmac.new(crypto.current_keyring().index_key, PURPOSE, hashlib.sha256).digest()


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


def sign(record: Any) -> str:
    canonical = json.dumps(signed_content(record), sort_keys=True, separators=(",", ":"))
    return hmac.new(_key(), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def verify(record: Any) -> bool:
    return hmac.compare_digest(sign(record), record.signature)
