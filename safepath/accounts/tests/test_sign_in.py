"""Signing in: passwords, two-factor, lockout, tokens, sessions."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from safepath.accounts.models import ApiToken, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.testing.factories import PASSWORD


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def device(caseworker_a: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=caseworker_a, name="phone", confirmed=True)


def _sign_in(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_caseworker_needs_the_second_factor_before_any_case_page(
    client: Client, caseworker_a: User, device: TOTPDevice
) -> None:
    response = _sign_in(client, "caseworker.a")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    blocked = client.get("/cases/")
    assert blocked.status_code == 302
    assert blocked["Location"] == "/accounts/two-factor/"

    wrong = client.post(
        "/accounts/two-factor/", {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    throttled = client.post("/accounts/two-factor/", {"code": _code(device)})
    assert throttled.status_code == 400  # after a failure, even the right code waits a moment
    assert "Too many wrong codes. Wait 1 second," in throttled.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post("/accounts/two-factor/", {"code": _code(device), "next": "/cases/"})
    assert right.status_code == 302
    assert right["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    assert AuditEvent.objects.filter(action="login", object_id=str(caseworker_a.id)).count() == 1


@pytest.mark.django_db
def test_a_user_without_an_authenticator_enrols_one(client: Client, caseworker_a: User) -> None:
    _sign_in(client, "caseworker.a")
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    assert b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=caseworker_a, confirmed=False)
    done = client.post("/accounts/two-factor/", {"code": _code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="two_factor").count() == 1


@pytest.mark.django_db
def test_aggregate_roles_do_not_need_a_second_factor(
    client: Client,
    make_user,
    coordination,  # type: ignore[no-untyped-def]
) -> None:
    make_user(Role.COORDINATOR, coordination, "coord")
    response = _sign_in(client, "coord")
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert b"National figures" in home.content


@pytest.mark.django_db
def test_wrong_password_is_refused_and_audited_by_id_only(
    client: Client, caseworker_a: User
) -> None:
    response = _sign_in(client, "caseworker.a", "not-the-password")
    assert response.status_code == 400
    assert b"not right" in response.content
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor_id == caseworker_a.id
    assert "caseworker.a" not in str(event.details)


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(client: Client, caseworker_a: User) -> None:
    for _ in range(5):
        _sign_in(client, "caseworker.a", "wrong-password")
    locked = _sign_in(client, "caseworker.a")  # even the right password
    assert locked.status_code == 429
    assert b"locked" in locked.content
    api = APIClient().post(
        "/api/v1/auth/token/", {"username": "caseworker.a", "password": PASSWORD}, format="json"
    )
    assert api.status_code == 429
    assert api.json()["code"] == "locked_out"
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_needs_otp_for_identifying_roles(caseworker_a: User, device: TOTPDevice) -> None:
    client = APIClient()
    without = client.post(
        "/api/v1/auth/token/", {"username": "caseworker.a", "password": PASSWORD}, format="json"
    )
    assert without.status_code == 400
    assert without.json()["code"] == "two_factor_required"
    wrong = client.post(
        "/api/v1/auth/token/",
        {"username": "caseworker.a", "password": PASSWORD, "otp": "12"},
        format="json",
    )
    assert wrong.json()["code"] == "two_factor_invalid"
    throttled = client.post(
        "/api/v1/auth/token/",
        {"username": "caseworker.a", "password": PASSWORD, "otp": _code(device)},
        format="json",
    )
    assert throttled.status_code == 429
    assert throttled.json()["wait_seconds"] == 1
    device.refresh_from_db()
    device.throttle_reset()
    good = client.post(
        "/api/v1/auth/token/",
        {"username": "caseworker.a", "password": PASSWORD, "otp": _code(device)},
        format="json",
    )
    assert good.status_code == 200
    token = good.json()["token"]
    stored = ApiToken.objects.get()
    assert stored.two_factor_verified
    assert token not in stored.digest  # only the digest is kept
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cases/").status_code == 200


@pytest.mark.django_db
def test_demo_mode_relaxes_two_factor(caseworker_a: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MFA_RELAXED = True
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "caseworker.a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expires_in_hours"}


@pytest.mark.django_db
def test_token_request_validation_names_fields() -> None:
    response = APIClient().post("/api/v1/auth/token/", {"username": "x"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["password"]


@pytest.mark.django_db
def test_sign_out_ends_the_session(client: Client, make_user, coordination) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.COORDINATOR, coordination, "coord")
    _sign_in(client, "coord")
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_sessions_expire_when_idle(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_an_expired_session_is_asked_to_sign_in_again(
    client: Client,
    make_user,
    coordination,  # type: ignore[no-untyped-def]
) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    make_user(Role.COORDINATOR, coordination, "coord")
    _sign_in(client, "coord")
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_token_can_be_revoked(caseworker_a: User) -> None:
    from safepath.testing.fixtures import api_client_for

    client = api_client_for(caseworker_a)
    assert client.post("/api/v1/auth/token/revoke/").status_code == 204
    assert not ApiToken.objects.exists()
    assert client.get("/api/v1/cases/").status_code == 401
    assert AuditEvent.objects.filter(action="logout", object_type="api_token").count() == 1


@pytest.mark.django_db
def test_staff_of_a_closed_agency_lose_access(caseworker_a: User) -> None:
    from safepath.testing.factories import register_case
    from safepath.testing.fixtures import api_client_for

    case = register_case(caseworker_a)
    client = api_client_for(caseworker_a)
    assert client.get(f"/api/v1/cases/{case.id}/").status_code == 200
    caseworker_a.agency.is_active = False
    caseworker_a.agency.save()
    assert client.get(f"/api/v1/cases/{case.id}/").status_code == 404
    assert client.post("/api/v1/cases/", {}, format="json").status_code == 403
