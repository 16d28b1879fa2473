from __future__ import annotations

from collections.abc import Callable

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.audit.models import Channel
from safepath.exchange import instance_keys
from safepath.exchange.instance_keys import InstanceKeys
from safepath.exchange.models import Partner
from safepath.exchange.services import partner_register
from safepath.testing.factories import AgencyFactory


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.SYSTEM_ADMIN, None, "admin")


@pytest.fixture
def remote() -> InstanceKeys:
    return instance_keys.generate("sp-remote-tz")


@pytest.fixture
def remote_agency(db: None) -> Agency:
    """Our record of the agency the remote instance speaks for."""
    return AgencyFactory(
        name="Remote child-protection authority",
        code="tz-cpa",
        agency_type=AgencyType.FOREIGN_COUNTERPART,
        country="TZ",
    )


@pytest.fixture
def partner(admin: User, remote: InstanceKeys, remote_agency: Agency) -> Partner:
    return partner_register(
        user=admin,
        instance_id=remote.instance,
        public_keys=remote.public_jwks(),
        name="Remote instance",
        country="TZ",
        purposes=["tracing", "case_transfer"],
        data_categories=["identity", "case_facts", "contact"],
        agencies=[remote_agency],
        url="",
        channel=Channel.API,
    )
