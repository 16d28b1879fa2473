"""audit_deferred: long work builds its events without the chain's lock and chains them at the
end of its block, in order, after whatever others appended meanwhile; nothing if it fails."""

from __future__ import annotations

import pytest
from django.db import transaction

from safepath.audit.models import AuditEvent
from safepath.audit.selectors import audit_chain_verify
from safepath.audit.services import Actor, audit_deferred, audit_record

pytestmark = pytest.mark.django_db


def _record(object_id: str) -> AuditEvent:
    return audit_record(actor=Actor.system(), action="create", object_type="t", object_id=object_id)


def test_deferred_events_are_chained_at_the_end_of_the_block_in_order() -> None:
    _record("before")
    with transaction.atomic(), audit_deferred():
        first, second = _record("one"), _record("two")
        assert AuditEvent.objects.filter(object_type="t").count() == 1, "nothing chained yet"
        assert first.seq is None
        with audit_deferred():  # nested: the outer block chains
            third = _record("three")
        assert third.seq is None
    assert [first.seq, second.seq, third.seq] == [2, 3, 4]
    assert list(AuditEvent.objects.values_list("object_id", flat=True)) == [
        "before", "one", "two", "three",
    ]  # fmt: skip
    assert audit_chain_verify().intact


def test_a_failed_block_chains_nothing() -> None:
    def fail_inside() -> None:
        with transaction.atomic(), audit_deferred():
            _record("lost")
            raise ValueError("bad row")

    with pytest.raises(ValueError, match="bad row"):
        fail_inside()
    with transaction.atomic(), audit_deferred():
        _record("also lost")
        transaction.set_rollback(True)
    assert not AuditEvent.objects.exists()
    assert _record("next").seq == 1
