"""Messages in: every refusal, with nothing written; a good message stored once, acknowledged,
and applied once however often it arrives."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from safepath.audit.models import AuditEvent, Channel
from safepath.exchange import instance_keys
from safepath.exchange.instance_keys import InstanceKeys
from safepath.exchange.models import Message, Partner
from safepath.exchange.services import ExchangeRefusedError, message_receive
from safepath.exchange.tests.helpers import counts, from_remote, opened_by_remote
from safepath.exchange.vocabulary import Direction, MessageStatus

pytestmark = pytest.mark.django_db


def _refused(token: str) -> tuple[str, dict[str, int], list[AuditEvent]]:
    before, last = counts(), AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)
    mark = last.first() or 0
    with pytest.raises(ExchangeRefusedError) as caught:
        message_receive(token=token, channel=Channel.API, via="push")
    assert counts() == before, "a refused message wrote something"
    return caught.value.code, before, list(AuditEvent.objects.filter(seq__gt=mark))


def test_a_message_from_a_partner_is_stored_audited_with_its_hash_and_acknowledged(
    partner: Partner, remote: InstanceKeys
) -> None:
    token = from_remote(remote)
    receipt = message_receive(token=token, channel=Channel.API, via="push")
    message = receipt.message
    assert message.direction == Direction.IN
    assert message.status == MessageStatus.RECEIVED
    assert message.body == {"question": "synthetic"}
    event = AuditEvent.objects.get(object_id=str(message.id), details__event="received")
    assert event.details["digest"] == receipt.digest == message.digest
    ack = Message.objects.get(direction=Direction.OUT, in_reply_to=message.id)
    claims = opened_by_remote(remote, ack)
    assert claims.kind == "acknowledgement"
    assert claims.body == {
        "message": str(message.id),
        "digest": message.digest,
        "outcome": "received",
    }


def test_a_replayed_message_is_refused_and_applied_once(
    partner: Partner, remote: InstanceKeys
) -> None:
    token = from_remote(remote)
    message_receive(token=token, channel=Channel.API, via="push")
    code, _, events = _refused(token)
    assert code == "replayed"
    assert events == []  # a replay leaves no trace in the chain: nobody can fill it that way


def test_a_new_message_reusing_a_seen_sequence_is_a_replay(
    partner: Partner, remote: InstanceKeys
) -> None:
    message_receive(token=from_remote(remote, sequence=7), channel=Channel.API, via="push")
    assert _refused(from_remote(remote, sequence=7))[0] == "replayed"


def test_a_tampered_message_is_refused(partner: Partner, remote: InstanceKeys) -> None:
    token = from_remote(remote)
    parts = token.split(".")
    parts[3] = parts[3][:-4] + ("AAAA" if parts[3][-4:] != "AAAA" else "BBBB")
    code, _, events = _refused(".".join(parts))
    assert code == "undecryptable"
    assert events == []


def test_a_message_signed_by_an_unregistered_key_is_refused(
    partner: Partner, remote: InstanceKeys
) -> None:
    impostor = instance_keys.generate(remote.instance)
    code, _, events = _refused(from_remote(impostor))
    assert code == "bad_signature"
    assert events == []


def test_a_message_from_an_instance_that_is_not_registered_is_refused(db: None) -> None:
    stranger = instance_keys.generate("sp-stranger")
    assert _refused(from_remote(stranger))[0] == "unknown_sender"


def test_a_message_from_a_deactivated_partner_is_refused(
    partner: Partner, remote: InstanceKeys
) -> None:
    Partner.objects.filter(pk=partner.pk).update(is_active=False)
    assert _refused(from_remote(remote))[0] == "unknown_sender"


def test_a_message_for_a_purpose_the_partner_is_not_registered_for_is_refused_and_audited(
    partner: Partner, remote: InstanceKeys
) -> None:
    code, _, events = _refused(from_remote(remote, kind="referral", purpose="referral"))
    assert code == "purpose_not_allowed"
    # the sender proved who it is: the refusal is in the chain, with the message's hash
    assert [e.details["event"] for e in events] == ["refused"]
    assert events[0].details["code"] == "purpose_not_allowed"
    assert len(events[0].details["digest"]) == 64


def test_a_kind_that_does_not_go_with_its_purpose_is_refused(
    partner: Partner, remote: InstanceKeys
) -> None:
    assert _refused(from_remote(remote, kind="case_transfer", purpose="tracing"))[0] == (
        "kind_not_allowed"
    )


def test_a_message_addressed_to_another_instance_is_refused(
    partner: Partner, remote: InstanceKeys
) -> None:
    assert _refused(from_remote(remote, recipient="sp-someone-else"))[0] == "wrong_recipient"


def test_an_expired_message_is_refused(partner: Partner, remote: InstanceKeys) -> None:
    sent = timezone.now() - datetime.timedelta(days=10)
    assert _refused(from_remote(remote, sent_at=sent, days=7))[0] == "expired"


def test_a_message_larger_than_the_limit_is_refused(partner: Partner, remote: InstanceKeys) -> None:
    token = from_remote(remote, body={"padding": "x" * 5000})
    with override_settings(EXCHANGE_MAX_MESSAGE_BYTES=4000):
        assert _refused(token)[0] == "oversize"


def test_an_acknowledgement_of_a_message_we_never_sent_is_refused(
    partner: Partner, remote: InstanceKeys
) -> None:
    body: dict[str, Any] = {
        "message": "6f1c2a34-1111-4222-8333-944455556666",
        "digest": "0" * 64,
        "outcome": "received",
    }
    token = from_remote(remote, kind="acknowledgement", purpose="tracing", body=body)
    assert _refused(token)[0] == "unknown_reference"
