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


@pytest.mark.django_db
def test_sso_rules_and_check(tmp_path, settings, agency_a) -> None:  # type: ignore[no-untyped-def]
    import json as json_

    from safepath.accounts.models import SsoClaimRule
    from safepath.testing.fixtures import call_cli

    settings.OIDC_PROVIDERS = {
        "kc": {
            "issuer": "https://id.example.org/realms/cp",
            "client_id": "safepath",
            "client_secret": "x",
            "label": "KC",
            "scopes": "openid",
            "mfa_amr": ["mfa"],
            "mfa_acr": ["2"],
        }
    }
    SsoClaimRule.objects.create(
        position=5,
        claim="realm_access.roles",
        match="includes",
        value="cp-caseworker",
        role="caseworker",
        agency=agency_a,
    )
    code, out, _ = call_cli("sso", "rules", "--format", "json")
    assert code == 0
    assert json_.loads(out)["rules"][0]["agency"] == agency_a.code
    claims = tmp_path / "claims.json"
    claims.write_text(json_.dumps({"sub": "1", "realm_access": {"roles": ["cp-caseworker"]}}))
    code, out, _ = call_cli(
        "sso", "check", "--provider", "kc", "--claims", str(claims), "--format", "json"
    )
    result = json_.loads(out)
    assert result["admitted"] is True
    assert result["rule"]["role"] == "caseworker"
    assert result["second_factor_by_provider"] is False
    claims.write_text(json_.dumps({"sub": "1", "acr": "2"}))
    _, out, _ = call_cli("sso", "check", "--provider", "kc", "--claims", str(claims))
    assert out.startswith("Refused: no rule matches")
    with pytest.raises(CommandError, match="--provider: no provider 'nope'"):
        call_cli("sso", "check", "--provider", "nope", "--claims", str(claims))
