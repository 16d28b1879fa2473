"""Two-factor recovery codes: only for a user past the second factor, each code once, wrong
codes throttled, new codes void the old, every issue and use audited without the code."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepath.accounts.models import RecoveryCode, RecoveryCodes, User
from safepath.accounts.recovery import (
    RecoveryCodesRefusedError,
    recovery_code_use,
    recovery_codes_issue,
    recovery_codes_remaining,
)
from safepath.accounts.services import TwoFactorThrottledError
from safepath.audit.models import AuditEvent
from safepath.testing.factories import PASSWORD

CODE_SHAPE = re.compile(r"^[a-z2-7]{5}-[a-z2-7]{5}$")


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def device(caseworker_a: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=caseworker_a, name="phone", confirmed=True)


def _codes_on_page(html: str) -> list[str]:
    return re.findall(r"<code>([a-z2-7]{5}-[a-z2-7]{5})</code>", html)


@pytest.mark.django_db
def test_issued_codes_are_ten_distinct_and_only_digests_are_kept(
    caseworker_a: User, device: TOTPDevice
) -> None:
    codes = recovery_codes_issue(user=caseworker_a)
    assert len(codes) == len(set(codes)) == 10
    assert all(CODE_SHAPE.match(code) for code in codes)
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert stored == {RecoveryCodes.digest_of(code) for code in codes}
    assert not stored & set(codes)
    assert recovery_codes_remaining(caseworker_a) == 10
    event = AuditEvent.objects.get(action="two_factor", object_id=str(caseworker_a.id))
    assert event.details == {"change": "recovery codes issued", "count": 10}
    assert not any(code in str(event.details) for code in codes)


@pytest.mark.django_db
def test_no_codes_without_an_authenticator(caseworker_a: User) -> None:
    with pytest.raises(RecoveryCodesRefusedError):
        recovery_codes_issue(user=caseworker_a)
    TOTPDevice.objects.create(user=caseworker_a, name="half-enrolled", confirmed=False)
    with pytest.raises(RecoveryCodesRefusedError):
        recovery_codes_issue(user=caseworker_a)
    assert not RecoveryCodes.objects.exists()
    assert not AuditEvent.objects.filter(action="two_factor").exists()


@pytest.mark.django_db
def test_a_code_signs_in_once_and_is_then_used_up(caseworker_a: User, device: TOTPDevice) -> None:
    codes = recovery_codes_issue(user=caseworker_a)
    # Typed by hand: capitals and spaces in place of the dash are forgiven.
    assert recovery_code_use(user=caseworker_a, code=codes[3].upper().replace("-", " "))
    assert recovery_codes_remaining(caseworker_a) == 9
    used = AuditEvent.objects.filter(action="two_factor").latest("seq")
    assert used.details == {"change": "recovery code used", "remaining": 9}
    RecoveryCodes.objects.filter(user=caseworker_a).update(throttling_failure_count=0)
    assert recovery_code_use(user=caseworker_a, code=codes[3]) is None
    assert recovery_codes_remaining(caseworker_a) == 9


@pytest.mark.django_db
def test_one_users_code_does_not_open_another_users_account(
    caseworker_a: User, caseworker_b: User, device: TOTPDevice
) -> None:
    TOTPDevice.objects.create(user=caseworker_b, name="phone", confirmed=True)
    codes_a = recovery_codes_issue(user=caseworker_a)
    recovery_codes_issue(user=caseworker_b)
    assert recovery_code_use(user=caseworker_b, code=codes_a[0]) is None
    assert recovery_codes_remaining(caseworker_a) == 10


@pytest.mark.django_db
def test_wrong_codes_are_throttled_even_before_a_right_one(
    caseworker_a: User, device: TOTPDevice
) -> None:
    codes = recovery_codes_issue(user=caseworker_a)
    assert recovery_code_use(user=caseworker_a, code="aaaaa-aaaaa") is None
    with pytest.raises(TwoFactorThrottledError):
        recovery_code_use(user=caseworker_a, code=codes[0])
    assert recovery_codes_remaining(caseworker_a) == 10  # the refused right code is not spent


@pytest.mark.django_db
def test_new_codes_void_the_old(caseworker_a: User, device: TOTPDevice) -> None:
    old = recovery_codes_issue(user=caseworker_a)
    new = recovery_codes_issue(user=caseworker_a)
    assert not set(old) & set(new)
    assert RecoveryCodes.objects.filter(user=caseworker_a).count() == 1
    assert recovery_code_use(user=caseworker_a, code=old[0]) is None
    RecoveryCodes.objects.filter(user=caseworker_a).update(throttling_failure_count=0)
    assert recovery_code_use(user=caseworker_a, code=new[0]) is not None


@pytest.mark.django_db
def test_a_password_alone_cannot_make_recovery_codes(
    client: Client, caseworker_a: User, device: TOTPDevice
) -> None:
    client.post("/accounts/login/", {"username": "caseworker.a", "password": PASSWORD})
    page = "/accounts/recovery-codes/"
    for response in (client.get(page), client.post(page)):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/")
    assert not RecoveryCode.objects.exists()


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.post("/accounts/recovery-codes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not RecoveryCode.objects.exists()


@pytest.mark.django_db
def test_enrolment_leads_to_the_recovery_codes_page(client: Client, caseworker_a: User) -> None:
    client.post("/accounts/login/", {"username": "caseworker.a", "password": PASSWORD})
    client.get("/accounts/two-factor/?next=/cases/")
    device = TOTPDevice.objects.get(user=caseworker_a, confirmed=False)
    done = client.post("/accounts/two-factor/", {"code": _code(device), "next": "/cases/"})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/recovery-codes/?next=%2Fcases%2F"
    page = client.get(done["Location"])
    assert page["Cache-Control"] == "no-store"
    made = client.post("/accounts/recovery-codes/", {"next": "/cases/"})
    assert made["Cache-Control"] == "no-store"
    shown = _codes_on_page(made.content.decode())
    assert len(shown) == 10
    assert recovery_codes_remaining(caseworker_a) == 10
    assert 'href="/cases/"' in made.content.decode()


@pytest.mark.django_db
def test_the_sign_in_page_takes_a_recovery_code_once(
    client: Client, caseworker_a: User, device: TOTPDevice
) -> None:
    codes = recovery_codes_issue(user=caseworker_a)
    client.post("/accounts/login/", {"username": "caseworker.a", "password": PASSWORD})
    assert client.get("/cases/").status_code == 302  # the password alone opens nothing
    used = client.post("/accounts/two-factor/", {"recovery_code": codes[0]})
    assert used.status_code == 302
    assert used["Location"] == "/accounts/recovery-codes/"
    assert client.get("/cases/").status_code == 200
    assert AuditEvent.objects.filter(action="login", object_id=str(caseworker_a.id)).count() == 1

    client.post("/accounts/logout/")
    RecoveryCodes.objects.filter(user=caseworker_a).update(throttling_failure_count=0)
    client.post("/accounts/login/", {"username": "caseworker.a", "password": PASSWORD})
    again = client.post("/accounts/two-factor/", {"recovery_code": codes[0]})
    assert again.status_code == 400
    assert "That recovery code is not right, or was used." in again.content.decode()
    assert client.get("/cases/").status_code == 302


@pytest.mark.django_db
def test_a_throttled_recovery_code_is_refused_on_the_page(
    client: Client, caseworker_a: User, device: TOTPDevice
) -> None:
    codes = recovery_codes_issue(user=caseworker_a)
    client.post("/accounts/login/", {"username": "caseworker.a", "password": PASSWORD})
    client.post("/accounts/two-factor/", {"recovery_code": "bbbbb-bbbbb"})
    throttled = client.post("/accounts/two-factor/", {"recovery_code": codes[1]})
    assert throttled.status_code == 400
    assert "Too many wrong codes." in throttled.content.decode()
    assert client.get("/cases/").status_code == 302
    assert recovery_codes_remaining(caseworker_a) == 10
