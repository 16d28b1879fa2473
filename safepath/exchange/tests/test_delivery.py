"""Delivery: pushes to a real HTTP server on the loopback address (answers chosen by the test),
retries with backoff, a permanent refusal, a lost answer; pull with a signed request; files for
air-gapped exchange; the worker's task."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent, Channel
from safepath.exchange.envelope import MessageRefusedError, open_pull_request, sign_pull_request
from safepath.exchange.instance_keys import InstanceKeys
from safepath.exchange.models import Message, Partner
from safepath.exchange.services import (
    current_keys,
    message_queue,
    message_retry,
    messages_deliver_due,
    partner_update,
)
from safepath.exchange.services.pulling import messages_export, messages_import, outbox_for
from safepath.exchange.services.sending import BACKOFF
from safepath.exchange.tests.helpers import from_remote
from safepath.exchange.vocabulary import MessageStatus

pytestmark = pytest.mark.django_db


class Inbox(BaseHTTPRequestHandler):
    answers: list[tuple[int, str]] = []
    bodies: list[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        Inbox.bodies.append(self.rfile.read(length))
        status, body = Inbox.answers.pop(0) if Inbox.answers else (202, '{"status": "received"}')
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def inbox() -> Iterator[str]:
    Inbox.answers, Inbox.bodies = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Inbox)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def pushed(admin: User, partner: Partner, inbox: str) -> Partner:
    return partner_update(user=admin, partner=partner, url=inbox, channel=Channel.API)


def _queue(partner: Partner) -> Message:
    return message_queue(
        partner=partner,
        kind="tracing_request",
        purpose="tracing",
        body={"question": "synthetic"},
        channel=Channel.API,
    )


def test_a_push_delivers_the_sealed_token_and_audits_it(pushed: Partner) -> None:
    message = _queue(pushed)
    run = messages_deliver_due()
    assert run.sent == [str(message.id)]
    assert Inbox.bodies == [message.token.encode()]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert AuditEvent.objects.filter(
        object_id=str(message.id), details__event="sent", details__digest=message.digest
    ).exists()


def test_an_unavailable_partner_is_retried_with_backoff(pushed: Partner) -> None:
    message = _queue(pushed)
    Inbox.answers = [(503, "{}"), (503, "{}")]
    now = timezone.now()
    assert messages_deliver_due(now=now).retrying == [str(message.id)]
    message.refresh_from_db()
    assert message.next_attempt_at == now + datetime.timedelta(seconds=BACKOFF[0])
    assert messages_deliver_due(now=now).as_dict() == {"sent": 0, "retrying": 0, "failed": 0}
    later = now + datetime.timedelta(seconds=BACKOFF[0])
    messages_deliver_due(now=later)
    message.refresh_from_db()
    assert message.next_attempt_at == later + datetime.timedelta(seconds=BACKOFF[1])
    assert messages_deliver_due(now=later + datetime.timedelta(seconds=BACKOFF[1])).sent
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 3)


def test_a_refusal_by_the_partner_fails_at_once_and_a_person_can_retry(
    pushed: Partner, admin: User
) -> None:
    message = _queue(pushed)
    Inbox.answers = [(400, '{"code": "purpose_not_allowed"}')]
    assert messages_deliver_due().failed == [str(message.id)]
    message.refresh_from_db()
    assert (message.status, message.last_error) == (
        MessageStatus.FAILED,
        "400 purpose_not_allowed",
    )
    message_retry(user=admin, message=message, channel=Channel.API)
    assert messages_deliver_due().sent == [str(message.id)]


def test_a_lost_answer_then_replayed_counts_as_delivered(pushed: Partner) -> None:
    message = _queue(pushed)
    Inbox.answers = [(409, '{"code": "replayed"}')]
    assert messages_deliver_due().sent == [str(message.id)]


def test_an_expired_message_stops_being_retried(pushed: Partner) -> None:
    message = _queue(pushed)
    Inbox.answers = [(503, "{}")]
    assert messages_deliver_due(now=message.expires_at + datetime.timedelta(seconds=1)).failed


def test_nothing_is_queued_for_a_purpose_the_partner_is_not_registered_for(
    partner: Partner,
) -> None:
    from safepath.exchange.services.sending import NotRegisteredForPurposeError

    with pytest.raises(NotRegisteredForPurposeError):
        message_queue(
            partner=partner,
            kind="referral",
            purpose="referral",
            body={},
            channel=Channel.API,
        )
    assert Message.objects.count() == 0
    partner.refresh_from_db()
    assert partner.next_sequence == 1


def test_a_pull_signed_by_the_partner_gets_what_waits_for_it(
    partner: Partner, remote: InstanceKeys
) -> None:
    message = _queue(partner)  # the partner has no address: it pulls
    header = sign_pull_request(keys=remote, partner=current_keys().instance, now=timezone.now())
    pulled_by, tokens = outbox_for(header)
    assert (pulled_by, tokens) == (partner, [message.token])
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.parametrize("problem", ["stranger", "stale", "other_recipient", "not_signed"])
def test_a_pull_that_does_not_prove_the_partner_gets_nothing(
    partner: Partner, remote: InstanceKeys, problem: str
) -> None:
    from safepath.exchange import instance_keys

    now = timezone.now()
    me = current_keys().instance
    header = {
        "stranger": lambda: sign_pull_request(
            keys=instance_keys.generate(remote.instance), partner=me, now=now
        ),
        "stale": lambda: sign_pull_request(
            keys=remote, partner=me, now=now - datetime.timedelta(hours=1)
        ),
        "other_recipient": lambda: sign_pull_request(keys=remote, partner="sp-other", now=now),
        "not_signed": lambda: "Token abc",
    }[problem]()
    with pytest.raises(MessageRefusedError):
        open_pull_request(
            header,
            me=me,
            partner_jwks=lambda i: remote.public_jwks() if i == remote.instance else None,
            now=now,
        )


def test_files_carry_sealed_messages_and_a_second_import_applies_nothing(
    partner: Partner, remote: InstanceKeys
) -> None:
    queued = _queue(partner)
    assert messages_export(partner) == [queued.token]
    lines = [from_remote(remote), "", from_remote(remote), "not a message"]
    first = messages_import(lines, via="file")
    assert (len(first.received), first.already, first.refused) == (2, 0, [(4, "undecryptable")])
    again = messages_import(lines, via="file")
    assert (len(again.received), again.already) == (0, 2)


def test_the_worker_task_pushes_what_is_due(pushed: Partner) -> None:
    from safepath.exchange.tasks import exchange_deliver

    _queue(pushed)
    result = exchange_deliver.call()
    assert result["sent"] == 1
