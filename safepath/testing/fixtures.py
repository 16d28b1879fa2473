"""pytest fixtures shared by every app's tests (loaded from the root conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from safepath.accounts.models import Agency, ApiToken, User
from safepath.accounts.roles import AgencyType, Role
from safepath.core import crypto
from safepath.testing.factories import AgencyFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_keyring() -> None:
    """Each test reads the keyring anew (tests that rotate keys must not leak into others)."""
    crypto.reload_keyring()


@pytest.fixture
def agency_a(db: None) -> Agency:
    return AgencyFactory(name="Agency A", code="a", agency_type=AgencyType.CHILD_PROTECTION)


@pytest.fixture
def agency_b(db: None) -> Agency:
    return AgencyFactory(name="Agency B", code="b", agency_type=AgencyType.NGO)


@pytest.fixture
def police_agency(db: None) -> Agency:
    return AgencyFactory(name="Police", code="police", agency_type=AgencyType.POLICE)


@pytest.fixture
def coordination(db: None) -> Agency:
    return AgencyFactory(
        name="Coordination", code="nrm", agency_type=AgencyType.NATIONAL_COORDINATION
    )


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(role: str, agency: Agency | None, username: str | None = None) -> User:
        kwargs = {"username": username} if username else {}
        return UserFactory(role=role, agency=agency, **kwargs)

    return make


@pytest.fixture
def caseworker_a(make_user: Callable[..., User], agency_a: Agency) -> User:
    return make_user(Role.CASEWORKER, agency_a, "caseworker.a")


@pytest.fixture
def supervisor_a(make_user: Callable[..., User], agency_a: Agency) -> User:
    return make_user(Role.SUPERVISOR, agency_a, "supervisor.a")


@pytest.fixture
def caseworker_b(make_user: Callable[..., User], agency_b: Agency) -> User:
    return make_user(Role.CASEWORKER, agency_b, "caseworker.b")


def api_client_for(user: User, *, two_factor: bool = True) -> APIClient:
    """An API client holding a fresh token for ``user`` (as if it had signed in with 2FA)."""
    from datetime import timedelta

    from django.utils import timezone

    raw, digest = ApiToken.new_secret()
    ApiToken.objects.create(
        user=user,
        digest=digest,
        expires_at=timezone.now() + timedelta(hours=1),
        two_factor_verified=two_factor,
        # just used: requests in a test's first minute then write no "last used" update, so
        # counting a request's queries gives the same figure every time
        last_used_at=timezone.now(),
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.fixture
def api_as() -> Callable[..., APIClient]:
    return api_client_for


def web_client_for(user: User) -> Client:
    """A browser-less client signed in with a verified second factor, as after the real
    two-step sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def call_cli(*args: str) -> tuple[int, str, str]:
    """Run a `safepath` verb in-process: (exit code, stdout, stderr)."""
    from io import StringIO

    from django.core.management import call_command

    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()
