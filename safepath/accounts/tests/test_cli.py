"""`safepath createagency` and `safepath createuser`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safepath.accounts.models import Agency, User
from safepath.audit.models import AuditEvent


@pytest.mark.django_db
def test_create_an_agency_and_a_user(monkeypatch: pytest.MonkeyPatch) -> None:
    call_command(
        "createagency",
        "--name",
        "Labour Inspectorate",
        "--code",
        "labour",
        "--type",
        "labour_inspection",
        "--country",
        "gh",
        stdout=StringIO(),
    )
    agency = Agency.objects.get(code="labour")
    assert (agency.country, agency.agency_type) == ("GH", "labour_inspection")

    monkeypatch.setenv("SAFEPATH_NEW_PASSWORD", "a-long-enough-passphrase")
    out = StringIO()
    call_command(
        "createuser", "inspector.k", "--role", "caseworker", "--agency", "labour", stdout=out
    )
    user = User.objects.get(username="inspector.k")
    assert user.agency == agency
    assert user.check_password("a-long-enough-passphrase")
    assert "a-long-enough-passphrase" not in out.getvalue()
    assert AuditEvent.objects.filter(action="admin").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "X", "--code", "x", "--type", "ngo", "--country", "QQ"], "country"),
    ],
)
def test_bad_agency_input_is_refused(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("createagency", *args, stdout=StringIO())
    assert Agency.objects.count() == 0


@pytest.mark.django_db
def test_bad_user_input_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEPATH_NEW_PASSWORD", "short")
    with pytest.raises(CommandError, match="agency"):
        call_command("createuser", "someone", "--role", "caseworker", stdout=StringIO())
    with pytest.raises(CommandError, match="No agency"):
        call_command(
            "createuser", "someone", "--role", "caseworker", "--agency", "nope", stdout=StringIO()
        )
    with pytest.raises(CommandError, match="password"):
        call_command("createuser", "root2", "--role", "system_admin", stdout=StringIO())
    assert User.objects.count() == 0
