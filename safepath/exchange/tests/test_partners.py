"""Registering partners: an administrator's act, each field checked with a message naming it,
nothing stored when refused, every change audited."""

from __future__ import annotations

from typing import Any

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent, Channel
from safepath.core.exceptions import FieldValidationError, PermissionDeniedError
from safepath.exchange import instance_keys
from safepath.exchange.instance_keys import InstanceKeys
from safepath.exchange.models import Partner
from safepath.exchange.services import current_keys, partner_register, partner_update

pytestmark = pytest.mark.django_db


def _register(user: User, remote: InstanceKeys, **changes: Any) -> Partner:
    values: dict[str, Any] = {
        "instance_id": remote.instance,
        "public_keys": remote.public_jwks(),
        "name": "Remote",
        "country": "TZ",
        "purposes": ["tracing"],
        "data_categories": ["identity"],
        "url": "https://safepath.example.org",
    }
    return partner_register(user=user, channel=Channel.API, **(values | changes))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"public_keys": {"keys": []}}, "public_keys"),
        ({"public_keys": "not a key set"}, "public_keys"),
        ({"purposes": ["smuggling"]}, "purposes"),
        ({"data_categories": ["everything"]}, "data_categories"),
        ({"country": "XX"}, "country"),
        ({"url": "http://safepath.example.org"}, "url"),
        ({"url": "ftp://127.0.0.1"}, "url"),
        ({"instance_id": ""}, "instance_id"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_stored(
    admin: User, remote: InstanceKeys, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(FieldValidationError) as caught:
        _register(admin, remote, **changes)
    assert list(caught.value.fields) == [field]
    assert Partner.objects.count() == 0


def test_a_private_key_is_never_registered(admin: User, remote: InstanceKeys) -> None:
    private = {"keys": [remote.keys[remote.signing], remote.keys[remote.encryption]]}
    with pytest.raises(FieldValidationError) as caught:
        _register(admin, remote, public_keys=private)
    assert "private" in caught.value.fields["public_keys"][0]


def test_a_key_set_without_an_encryption_key_is_refused(admin: User, remote: InstanceKeys) -> None:
    signing_only = {"keys": [k for k in remote.public_jwks()["keys"] if k["use"] == "sig"]}
    with pytest.raises(FieldValidationError):
        _register(admin, remote, public_keys=signing_only)


def test_this_instance_is_not_its_own_partner(admin: User) -> None:
    me = current_keys()
    with pytest.raises(FieldValidationError) as caught:
        _register(admin, me)
    assert list(caught.value.fields) == ["instance_id"]


def test_only_an_administrator_registers(
    make_user: Any, agency_a: Agency, remote: InstanceKeys
) -> None:
    for role in (Role.SUPERVISOR, Role.CASEWORKER, Role.DATA_PROTECTION_OFFICER):
        with pytest.raises(PermissionDeniedError):
            _register(make_user(role, agency_a), remote)
    assert Partner.objects.count() == 0


def test_plain_http_is_allowed_to_a_loopback_address_only(
    admin: User, remote: InstanceKeys
) -> None:
    partner = _register(admin, remote, url="http://127.0.0.1:8123/")
    assert partner.url == "http://127.0.0.1:8123"


def test_registration_and_changes_are_audited_with_the_key_ids(
    admin: User, remote: InstanceKeys
) -> None:
    partner = _register(admin, remote)
    rotated = remote.rotated()
    partner_update(
        user=admin,
        partner=partner,
        public_keys={"keys": remote.public_jwks()["keys"] + rotated.public_jwks()["keys"]},
        purposes=["tracing", "case_transfer"],
        channel=Channel.API,
    )
    events = AuditEvent.objects.filter(object_type="exchange_partner", object_id=str(partner.id))
    first, second = list(events.order_by("seq"))
    assert first.details["registered"] is True
    assert sorted(second.details["changed"]) == ["keys", "purposes"]
    assert rotated.signing in second.details["keys"]


def test_a_rotated_partner_key_is_used_once_registered(admin: User, remote: InstanceKeys) -> None:
    from safepath.exchange.services import message_receive
    from safepath.exchange.services.receiving import ExchangeRefusedError
    from safepath.exchange.tests.helpers import from_remote

    partner = _register(admin, remote)
    rotated = remote.rotated()
    token = from_remote(rotated)
    with pytest.raises(ExchangeRefusedError, match="bad_signature"):
        message_receive(token=token, channel=Channel.API, via="push")
    partner_update(
        user=admin, partner=partner, public_keys=rotated.public_jwks(), channel=Channel.API
    )
    assert message_receive(token=token, channel=Channel.API, via="push").message.partner == partner
    assert instance_keys.generate().instance != remote.instance
