"""The API: who may do what, the inbox as other instances call it (raw ``application/jose``),
the outbox behind a signed pull, and the transfer workflow answered as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.exchange.envelope import sign_pull_request
from safepath.exchange.instance_keys import InstanceKeys
from safepath.exchange.models import Message, Partner
from safepath.exchange.services import current_keys
from safepath.exchange.tests.helpers import counts, from_remote
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db


def test_only_administrators_and_the_dpo_see_partners_and_the_log(
    partner: Partner, admin: User, make_user: Any, agency_a: Agency
) -> None:
    assert api_client_for(admin).get("/api/v1/exchange/partners/").json()[0]["instance_id"] == (
        partner.instance_id
    )
    dpo = make_user(Role.DATA_PROTECTION_OFFICER, agency_a)
    assert api_client_for(dpo).get("/api/v1/exchange/messages/").status_code == 200
    for role in (Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR):
        client = api_client_for(make_user(role, agency_a))
        assert client.get("/api/v1/exchange/partners/").status_code == 403
        assert client.get("/api/v1/exchange/messages/").status_code == 403
    assert (
        api_client_for(dpo).post("/api/v1/exchange/partners/", {}, format="json").status_code == 403
    )


def test_an_administrator_registers_a_partner_through_the_api(
    admin: User, remote: InstanceKeys, remote_agency: Agency
) -> None:
    answer = api_client_for(admin).post(
        "/api/v1/exchange/partners/",
        {
            "instance_id": remote.instance,
            "public_keys": remote.public_jwks(),
            "country": "TZ",
            "purposes": ["case_transfer"],
            "data_categories": ["identity"],
            "agencies": [remote_agency.code],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["agencies"][0]["code"] == remote_agency.code
    bad = api_client_for(admin).post(
        "/api/v1/exchange/partners/",
        {
            "instance_id": "sp-x",
            "public_keys": {},
            "country": "TZ",
            "purposes": ["war"],
            "data_categories": [],
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "purposes.0" in bad.json()["fields"]


def _push(token: str) -> Any:
    return Client().post("/api/v1/exchange/inbox/", data=token, content_type="application/jose")


def test_the_inbox_takes_a_sealed_message_once(partner: Partner, remote: InstanceKeys) -> None:
    token = from_remote(remote)
    first = _push(token)
    assert first.status_code == 202
    assert first.json()["status"] == "received"
    before = counts()
    again = _push(token)
    assert (again.status_code, again.json()["code"]) == (409, "replayed")
    assert counts() == before


def test_the_inbox_refuses_noise_with_a_code_and_writes_nothing(partner: Partner) -> None:
    before = counts()
    answer = _push("not.a.sealed.message.at-all")
    assert (answer.status_code, answer.json()["code"]) == (400, "undecryptable")
    assert counts() == before


def test_the_outbox_answers_a_signed_pull_only(partner: Partner, remote: InstanceKeys) -> None:
    client = Client()
    assert client.get("/api/v1/exchange/outbox/").status_code == 404
    header = sign_pull_request(keys=remote, partner=current_keys().instance, now=timezone.now())
    answer = client.get("/api/v1/exchange/outbox/", HTTP_AUTHORIZATION=header)
    assert answer.status_code == 200
    assert answer.json() == {"messages": []}
    forged = client.get("/api/v1/exchange/outbox/", HTTP_AUTHORIZATION=header[:-6] + "AAAAAA")
    assert forged.status_code == 400


def test_the_identity_is_public_and_carries_no_private_key(db: None) -> None:
    answer = Client().get("/api/v1/exchange/identity/").json()
    assert answer["instance"] == current_keys().instance
    assert all("d" not in key for key in answer["jwks"]["keys"])
    assert len(answer["fingerprint"].split()) == 8


def test_an_incoming_transfer_is_seen_and_answered_by_its_agency_only(
    partner: Partner,
    remote: InstanceKeys,
    agency_a: Agency,
    caseworker_a: User,
    caseworker_b: User,
) -> None:
    body = {
        "package": {
            "id": "x",
            "reference": "SP-ABCD-EFGH",
            "identified_on": "2026-11-01",
            "child": {"given_name": "Neema"},
        },
        "categories": ["identity"],
        "consent": "c",
        "recipient_agency": {"code": agency_a.code, "name": agency_a.name},
    }
    _push(from_remote(remote, kind="case_transfer", purpose="case_transfer", body=body))
    message = Message.objects.get(kind="case_transfer")
    other = api_client_for(caseworker_b)
    assert other.get("/api/v1/exchange/incoming/").json() == []
    assert other.get(f"/api/v1/exchange/incoming/{message.id}/").status_code == 404
    assert other.post(f"/api/v1/exchange/incoming/{message.id}/accept/").status_code == 404
    mine = api_client_for(caseworker_a)
    listed = mine.get("/api/v1/exchange/incoming/").json()
    assert [m["remote_reference"] for m in listed] == ["SP-ABCD-EFGH"]
    detail = mine.get(f"/api/v1/exchange/incoming/{message.id}/").json()
    assert detail["package"]["child"] == {"given_name": "Neema"}
    accepted = mine.post(f"/api/v1/exchange/incoming/{message.id}/accept/")
    assert accepted.status_code == 201
    assert accepted.json()["reference"].startswith("SP-")
