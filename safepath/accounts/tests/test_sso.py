"""Single sign-on against a real OpenID provider (node oidc-provider on 127.0.0.1): the whole
authorization-code flow with PKCE, state and nonce; role and agency from the administrator's
rules; the provider's second factor standing in for SafePath's; every refusal audited, logged
without names, and leaving nothing behind."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from safepath.accounts.models import Agency, SsoClaimRule, SsoIdentity, User
from safepath.accounts.roles import Role
from safepath.audit.models import Action, AuditEvent
from safepath.testing.oidc import OpenIdProvider, running_provider, through_provider

CALLBACK = "http://testserver/accounts/sso/test/callback/"


@pytest.fixture(scope="module")
def provider() -> Iterator[OpenIdProvider]:
    with running_provider([CALLBACK]) as running:
        yield running


@pytest.fixture
def sso(provider: OpenIdProvider, settings: Any) -> OpenIdProvider:
    settings.OIDC_PROVIDERS = provider.settings_for("test")
    return provider


@pytest.fixture
def rules(agency_a: Agency, agency_b: Agency) -> list[SsoClaimRule]:
    return [
        SsoClaimRule.objects.create(
            position=10,
            claim="groups",
            match="includes",
            value="cp-agency-a-caseworkers",
            role=Role.CASEWORKER,
            agency=agency_a,
        ),
        SsoClaimRule.objects.create(
            position=20,
            claim="groups",
            match="includes",
            value="cp-agency-b-supervisors",
            role=Role.SUPERVISOR,
            agency=agency_b,
        ),
    ]


def sign_in(client: Client, sso: OpenIdProvider, login: str, next_url: str = "/cases/") -> Any:
    start = client.get("/accounts/sso/test/", {"next": next_url})
    assert start.status_code == 302, start.content
    authorize = urlsplit(start["Location"])
    query = parse_qs(authorize.query)
    # What the provider was asked for: PKCE with S256, a state and a nonce, the code flow.
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0]
    assert query["nonce"][0]
    assert query["response_type"] == ["code"]
    back = through_provider(start["Location"], login=login, issuer=sso.issuer)
    assert back.startswith(CALLBACK), back
    return client.get(back.removeprefix("http://testserver"))


def test_the_sign_in_page_offers_each_configured_provider(sso: OpenIdProvider) -> None:
    page = Client().get("/accounts/login/")
    assert b"Sign in with Test ID" in page.content
    assert b'href="/accounts/sso/test/?next=%2F"' in page.content


def test_no_provider_configured_no_button(settings: Any, db: None) -> None:
    settings.OIDC_PROVIDERS = {}
    assert b"Sign in with" not in Client().get("/accounts/login/").content
    assert Client().get("/accounts/sso/test/").status_code == 404


@pytest.mark.slow
def test_a_caseworker_signs_in_with_the_role_and_agency_of_the_first_matching_rule(
    sso: OpenIdProvider, rules: list[SsoClaimRule], agency_a: Agency
) -> None:
    client = Client()
    answer = sign_in(client, sso, "cw-a")
    user = User.objects.get(ssoidentity__subject="cw-a")
    assert (user.role, user.agency) == (Role.CASEWORKER, agency_a)
    assert user.username == "tc.alpha@test"
    assert (user.first_name, user.last_name) == ("Testcase", "Worker-Alpha")
    assert not user.has_usable_password()
    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.provider) == (sso.issuer, "test")
    # The provider asserted no second factor (amr ["pwd"]): SafePath asks for its own.
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/two-factor/?next=%2Fcases%2F"
    assert client.get("/cases/")["Location"].startswith("/accounts/two-factor/")
    signed_in = AuditEvent.objects.get(action=Action.LOGIN, object_id=str(user.id))
    assert signed_in.details["via"] == "sso"
    assert signed_in.details["second_factor_by_provider"] is False
    assert signed_in.details["rule"] == str(rules[0].id)
    assert AuditEvent.objects.filter(
        action=Action.ADMIN, object_id=str(user.id), details__change="created"
    ).exists()


@pytest.mark.slow
def test_amr_otp_from_the_provider_is_the_second_factor(
    sso: OpenIdProvider, rules: list[SsoClaimRule]
) -> None:
    client = Client()
    answer = sign_in(client, sso, "cw-a-otp")
    assert answer.status_code == 302
    assert answer["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    event = AuditEvent.objects.get(action=Action.LOGIN, details__via="sso")
    assert event.details["second_factor_by_provider"] is True


@pytest.mark.slow
def test_an_acr_at_the_configured_level_is_the_second_factor_and_otherwise_not(
    sso: OpenIdProvider, rules: list[SsoClaimRule], agency_b: Agency, settings: Any
) -> None:
    client = Client()
    assert sign_in(client, sso, "sup-b-acr")["Location"] == "/cases/"
    user = User.objects.get(ssoidentity__subject="sup-b-acr")
    assert (user.role, user.agency) == (Role.SUPERVISOR, agency_b)
    # The same person, with a provider whose acr is not configured as a second factor.
    settings.OIDC_PROVIDERS = sso.settings_for("test", mfa_acr=[])
    again = Client()
    assert sign_in(again, sso, "sup-b-acr")["Location"].startswith("/accounts/two-factor/")
    assert SsoIdentity.objects.filter(subject="sup-b-acr").count() == 1


@pytest.mark.slow
def test_rules_are_tried_in_order_and_follow_the_provider_at_every_sign_in(
    sso: OpenIdProvider, rules: list[SsoClaimRule], agency_a: Agency, agency_b: Agency
) -> None:
    sign_in(Client(), sso, "both")
    user = User.objects.get(ssoidentity__subject="both")
    assert (user.role, user.agency) == (Role.CASEWORKER, agency_a)  # position 10 wins
    rules[1].position = 5
    rules[1].save()
    sign_in(Client(), sso, "both")
    user.refresh_from_db()
    assert (user.role, user.agency) == (Role.SUPERVISOR, agency_b)
    assert AuditEvent.objects.filter(
        action=Action.ADMIN, object_id=str(user.id), details__change="role from provider"
    ).exists()


@pytest.mark.slow
def test_no_rule_matched_refuses_clearly_and_creates_nothing(
    sso: OpenIdProvider, rules: list[SsoClaimRule], caplog: pytest.LogCaptureFixture
) -> None:
    users = User.objects.count()
    with caplog.at_level(logging.WARNING, logger="safepath.accounts.sso.services"):
        answer = sign_in(Client(), sso, "stranger")
    assert answer.status_code == 403
    assert b"is not given access to SafePath" in answer.content
    assert User.objects.count() == users
    assert not SsoIdentity.objects.exists()
    refused = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert refused.details == {"via": "sso", "provider": "test", "reason": "no_rule"}
    assert "reason=no_rule" in caplog.text
    assert "Nomatch" not in caplog.text
    assert "stranger" not in caplog.text


@pytest.mark.slow
def test_a_user_turned_off_in_safepath_stays_refused(
    sso: OpenIdProvider, rules: list[SsoClaimRule]
) -> None:
    sign_in(Client(), sso, "cw-a-otp")
    user = User.objects.get(ssoidentity__subject="cw-a-otp")
    user.is_active = False
    user.save()
    client = Client()
    answer = sign_in(client, sso, "cw-a-otp")
    assert answer.status_code == 403
    assert b"turned off" in answer.content
    assert "_auth_user_id" not in client.session
    refused = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert refused.details["reason"] == "account_disabled"
    assert refused.object_id == str(user.id)


@pytest.mark.slow
def test_accounts_are_linked_by_issuer_and_subject_never_by_email(
    sso: OpenIdProvider, rules: list[SsoClaimRule], make_user: Any, agency_a: Agency
) -> None:
    local = make_user(Role.SUPERVISOR, agency_a, "tc.alpha@test")
    local.email = "tc.alpha@example.org"  # the provider's e-mail for cw-a
    local.save()
    sign_in(Client(), sso, "cw-a")
    linked = User.objects.get(ssoidentity__subject="cw-a")
    assert linked.pk != local.pk
    assert linked.username.startswith("tc.alpha-")
    assert linked.username.endswith("@test")
    local.refresh_from_db()
    assert local.role == Role.SUPERVISOR  # the local account is untouched
    sign_in(Client(), sso, "cw-a")  # the second sign-in finds the same user
    assert User.objects.filter(ssoidentity__subject="cw-a").get().pk == linked.pk


@pytest.mark.slow
def test_a_replayed_or_forged_callback_is_refused(
    sso: OpenIdProvider, rules: list[SsoClaimRule]
) -> None:
    client = Client()
    start = client.get("/accounts/sso/test/")
    back = through_provider(start["Location"], login="cw-a-otp", issuer=sso.issuer)
    path = back.removeprefix("http://testserver")
    # Another browser (no state in its session) presenting the code: refused.
    assert Client().get(path).status_code == 403
    # The right browser with a tampered state: refused.
    assert client.get(path.replace("state=", "state=x")).status_code == 403
    reasons = list(
        AuditEvent.objects.filter(action=Action.LOGIN_FAILED).values_list(
            "details__reason", flat=True
        )
    )
    assert reasons == ["state_mismatch", "state_mismatch"]
    assert not SsoIdentity.objects.exists()


@pytest.mark.slow
def test_a_wrong_client_secret_fails_the_code_exchange(
    sso: OpenIdProvider, rules: list[SsoClaimRule], settings: Any
) -> None:
    settings.OIDC_PROVIDERS = sso.settings_for("test", client_secret="not-the-secret")
    answer = sign_in(Client(), sso, "cw-a-otp")
    assert answer.status_code == 403
    assert AuditEvent.objects.get(action=Action.LOGIN_FAILED).details["reason"] == (
        "token_exchange_failed"
    )
    assert not User.objects.filter(ssoidentity__isnull=False).exists()


@pytest.mark.slow
def test_the_provider_refusing_the_person_is_shown_and_audited(
    sso: OpenIdProvider, rules: list[SsoClaimRule]
) -> None:
    answer = sign_in(Client(), sso, "nobody-at-the-provider")
    assert answer.status_code == 403
    assert b"did not sign you in" in answer.content
    refused = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert refused.details["reason"] == "provider_denied"
    assert refused.details["error"] == "access_denied"  # the provider's OAuth error code


def test_an_unreachable_provider_is_refused_with_words(settings: Any, db: None) -> None:
    settings.OIDC_PROVIDERS = {
        "down": {
            "issuer": "http://127.0.0.1:9",  # the discard port: nothing answers
            "client_id": "x",
            "client_secret": "y",
            "label": "Down ID",
            "scopes": "openid",
            "mfa_amr": [],
            "mfa_acr": [],
        }
    }
    answer = Client().get("/accounts/sso/down/")
    assert answer.status_code == 403
    assert b"cannot be reached just now" in answer.content
    assert AuditEvent.objects.get(action=Action.LOGIN_FAILED).details["reason"] == (
        "discovery_failed"
    )


def test_local_password_accounts_still_sign_in(sso: OpenIdProvider, caseworker_a: User) -> None:
    caseworker_a.set_password("a-long-local-password")
    caseworker_a.save()
    answer = Client().post(
        "/accounts/login/", {"username": "caseworker.a", "password": "a-long-local-password"}
    )
    assert answer.status_code == 302
