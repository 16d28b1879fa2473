from __future__ import annotations

from safepath.audit.chain import Verdict, verify
from safepath.audit.models import AuditEvent
from safepath.core import crypto


def audit_chain_verify(*, anchor: tuple[int, str] | None = None) -> Verdict:
    """The whole chain, each segment checked with its audit key from the keyring."""
    crypto.reload_keyring()  # a key added a moment ago by another process is known
    ring = crypto.current_keyring()
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=5000)
    return verify(events, anchor=anchor, keys=ring.audit_keys, legacy_until=ring.audit_legacy_until)
