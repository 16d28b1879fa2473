"""Pull and files: the two ways a message travels when no push can reach the partner.

The instance behind a firewall signs a pull request; its partner answers with every message
waiting for it. For air-gapped exchange the same messages go into a file (one sealed message a
line), carried by hand, and read at the other end with the same checks as a push."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import requests
from django.utils import timezone

from safepath.audit.models import Channel
from safepath.exchange.envelope import MessageRefusedError, open_pull_request, sign_pull_request
from safepath.exchange.models import Partner
from safepath.exchange.services.keys import current_keys
from safepath.exchange.services.receiving import (
    ExchangeRefusedError,
    message_receive,
    partner_jwks,
)
from safepath.exchange.services.sending import (
    TIMEOUT_SECONDS,
    messages_handed_over,
    messages_waiting_for,
)

OUTBOX_PATH = "/api/v1/exchange/outbox/"


def outbox_for(authorization: str) -> tuple[Partner, list[str]]:
    """The partner that signed this pull, and the sealed messages waiting for it."""
    try:
        instance = open_pull_request(
            authorization,
            me=current_keys().instance,
            partner_jwks=partner_jwks,
            now=timezone.now(),
        )
    except MessageRefusedError as refusal:
        raise ExchangeRefusedError(refusal.code, refusal.detail) from None
    partner = Partner.objects.get(instance_id=instance)
    waiting = messages_waiting_for(partner)
    messages_handed_over(waiting, via="pull")
    return partner, [message.token for message in waiting]


@dataclass
class ImportRun:
    received: list[str] = field(default_factory=list)
    already: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, code)

    def as_dict(self) -> dict[str, object]:
        return {
            "received": len(self.received),
            "already_received": self.already,
            "refused": [{"line": line, "code": code} for line, code in self.refused],
        }


def messages_import(tokens: Iterable[str], *, via: str, channel: str = Channel.CLI) -> ImportRun:
    """Receive each sealed message (one a line); a replay counts as already received."""
    run = ImportRun()
    for line, token in enumerate(tokens, start=1):
        if not token.strip():
            continue
        try:
            run.received.append(
                str(message_receive(token=token, channel=channel, via=via).message.id)
            )
        except ExchangeRefusedError as refusal:
            if refusal.code == "replayed":
                run.already += 1
            else:
                run.refused.append((line, refusal.code))
    return run


def messages_pull(partner: Partner) -> ImportRun:
    """Ask ``partner`` for what waits for us, and receive it."""
    authorization = sign_pull_request(
        keys=current_keys(), partner=partner.instance_id, now=timezone.now()
    )
    response = requests.get(
        partner.url + OUTBOX_PATH,
        headers={"Authorization": authorization},
        timeout=TIMEOUT_SECONDS,
    )
    response.raise_for_status()
    tokens = response.json().get("messages", [])
    return messages_import([str(t) for t in tokens], via="pull", channel=Channel.SYSTEM)


def messages_export(partner: Partner) -> list[str]:
    """The sealed messages waiting for ``partner``, for a file carried by hand."""
    waiting = messages_waiting_for(partner)
    messages_handed_over(waiting, via="file")
    return [message.token for message in waiting]
