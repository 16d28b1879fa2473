from __future__ import annotations

from safepath.audit.chain import Verdict, verify
from safepath.audit.models import AuditEvent


def audit_chain_verify(*, anchor: tuple[int, str] | None = None) -> Verdict:
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=5000)
    return verify(events, anchor=anchor)
