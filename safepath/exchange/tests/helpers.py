"""Two instances in one test database: this one (its key file in the test data directory) and
a remote partner whose keys live only in the test (it seals what it sends, opens what we send)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from safepath.exchange.envelope import Claims, open_message, seal
from safepath.exchange.instance_keys import InstanceKeys
from safepath.exchange.models import Message
from safepath.exchange.services import current_keys

COUNTER = {"sequence": 0}


def from_remote(
    remote: InstanceKeys,
    *,
    kind: str = "tracing_request",
    purpose: str = "tracing",
    body: dict[str, Any] | None = None,
    recipient: str | None = None,
    sequence: int | None = None,
    sent_at: datetime.datetime | None = None,
    days: int = 7,
    message_id: str | None = None,
) -> str:
    """A message the remote instance seals to us."""
    COUNTER["sequence"] += 1
    now = sent_at or timezone.now()
    claims = Claims(
        id=message_id or str(uuid.uuid4()),
        kind=kind,
        purpose=purpose,
        sender=remote.instance,
        recipient=recipient or current_keys().instance,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=days),
        sequence=sequence if sequence is not None else COUNTER["sequence"],
        body=body if body is not None else {"question": "synthetic"},
    )
    return seal(claims, keys=remote, recipient_jwks=current_keys().public_jwks())


def opened_by_remote(remote: InstanceKeys, message: Message) -> Claims:
    """What the remote instance reads from a message we sealed to it."""
    return open_message(
        message.token,
        keys=remote,
        partner_jwks=lambda instance: current_keys().public_jwks(),
        now=timezone.now(),
        max_bytes=10**9,
    ).claims


def counts() -> dict[str, int]:
    """Rows of every table a message could write to (the proof that a refusal wrote nothing)."""
    from safepath.cases.models import Case, CaseNote, Child, FamilyMember
    from safepath.exchange.models import CaseLink, Partner, Transfer

    return {
        model.__name__: model.objects.count()
        for model in (Message, CaseLink, Transfer, Case, Child, CaseNote, FamilyMember, Partner)
    }
