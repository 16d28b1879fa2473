"""Single sign-on providers from the environment (config/env.py, oidc_providers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from safepath.config.env import MissingSettingError, oidc_providers


def test_no_provider_named_none_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAFEPATH_OIDC_PROVIDERS", raising=False)
    assert oidc_providers(production=True) == {}


def test_several_providers_each_from_its_own_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "entra-secret"
    secret.write_text("from-a-file\n")
    for name, value in {
        "SAFEPATH_OIDC_PROVIDERS": "keycloak, Entra-ID",
        "SAFEPATH_OIDC_KEYCLOAK_ISSUER": "https://id.example.org/realms/cp/",
        "SAFEPATH_OIDC_KEYCLOAK_CLIENT_ID": "safepath",
        "SAFEPATH_OIDC_KEYCLOAK_CLIENT_SECRET": "kc-secret",
        "SAFEPATH_OIDC_KEYCLOAK_MFA_ACR": "2",
        "SAFEPATH_OIDC_ENTRA_ID_ISSUER": "https://login.example.com/tenant/v2.0",
        "SAFEPATH_OIDC_ENTRA_ID_CLIENT_ID": "app-id",
        "SAFEPATH_OIDC_ENTRA_ID_CLIENT_SECRET_FILE": str(secret),
        "SAFEPATH_OIDC_ENTRA_ID_LABEL": "Ministry account",
    }.items():
        monkeypatch.setenv(name, value)
    providers = oidc_providers(production=True)
    assert list(providers) == ["keycloak", "entra-id"]
    keycloak, entra = providers["keycloak"], providers["entra-id"]
    assert keycloak["issuer"] == "https://id.example.org/realms/cp"  # no trailing slash
    assert (keycloak["label"], keycloak["scopes"]) == ("keycloak", "openid profile email")
    assert (keycloak["mfa_amr"], keycloak["mfa_acr"]) == (["mfa", "otp", "hwk"], ["2"])
    assert entra["client_secret"] == "from-a-file"
    assert entra["label"] == "Ministry account"
    assert entra["mfa_acr"] == []


def test_a_provider_without_its_secret_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEPATH_OIDC_PROVIDERS", "kc")
    monkeypatch.setenv("SAFEPATH_OIDC_KC_ISSUER", "https://id.example.org")
    monkeypatch.setenv("SAFEPATH_OIDC_KC_CLIENT_ID", "safepath")
    monkeypatch.delenv("SAFEPATH_OIDC_KC_CLIENT_SECRET", raising=False)
    with pytest.raises(MissingSettingError, match="SAFEPATH_OIDC_KC_CLIENT_SECRET"):
        oidc_providers(production=False)


def test_production_wants_an_https_issuer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEPATH_OIDC_PROVIDERS", "kc")
    monkeypatch.setenv("SAFEPATH_OIDC_KC_ISSUER", "http://id.example.org")
    monkeypatch.setenv("SAFEPATH_OIDC_KC_CLIENT_ID", "safepath")
    monkeypatch.setenv("SAFEPATH_OIDC_KC_CLIENT_SECRET", "s")
    with pytest.raises(MissingSettingError, match="https:// address in production"):
        oidc_providers(production=True)
    assert oidc_providers(production=False)["kc"]["issuer"] == "http://id.example.org"


def test_a_name_that_is_not_short_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEPATH_OIDC_PROVIDERS", "my provider")
    with pytest.raises(MissingSettingError, match="not a short name"):
        oidc_providers(production=False)
