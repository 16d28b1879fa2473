"""Single sign-on in a real browser: SafePath's sign-in page, a real OpenID provider's login
page (node oidc-provider on 127.0.0.1), and back, signed in with the role the rules give."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from safepath.accounts.models import Agency, SsoClaimRule, User
from safepath.accounts.roles import Role
from safepath.core.tests.browser.helpers import HOME, TWO_FACTOR, ConsoleLog, shot
from safepath.testing.oidc import OpenIdProvider, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def provider(warm_server: LiveServer, settings: Any, agency_a: Agency) -> Iterator[OpenIdProvider]:
    with running_provider([f"{warm_server.url}/accounts/sso/test/callback/"]) as running:
        settings.OIDC_PROVIDERS = running.settings_for("test")
        SsoClaimRule.objects.create(
            position=10,
            claim="groups",
            match="includes",
            value="cp-agency-a-caseworkers",
            role=Role.CASEWORKER,
            agency=agency_a,
        )
        yield running


def through_the_provider(page: Page, provider: OpenIdProvider, account: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Test ID").click()
    expect(page).to_have_url(re.compile(re.escape(provider.issuer) + "/interaction/"))
    page.get_by_label("Account").fill(account)
    page.get_by_role("button", name="Continue").click()


def test_a_caseworker_signs_in_through_the_provider(
    page: Page, console: ConsoleLog, provider: OpenIdProvider, agency_a: Agency
) -> None:
    through_the_provider(page, provider, "cw-a-otp")  # the provider checked a one-time code
    expect(page).to_have_url(HOME)
    user = User.objects.get(ssoidentity__subject="cw-a-otp")
    assert (user.role, user.agency) == (Role.CASEWORKER, agency_a)
    page.goto("/cases/")
    expect(page).to_have_url(re.compile(r"/cases/$"))  # no second SafePath code asked
    shot(page, "sso-signed-in")
    console.assert_clean()


def test_without_the_providers_second_factor_safepath_asks_for_its_own(
    page: Page, console: ConsoleLog, provider: OpenIdProvider
) -> None:
    through_the_provider(page, provider, "cw-a")
    expect(page).to_have_url(TWO_FACTOR)
    expect(page.get_by_role("img")).to_be_visible()  # enrolment: the authenticator's QR code
    console.assert_clean()


def test_a_person_no_rule_admits_is_told_so(page: Page, provider: OpenIdProvider) -> None:
    through_the_provider(page, provider, "stranger")
    expect(page.get_by_role("alert")).to_contain_text("is not given access to SafePath")
    shot(page, "sso-refused")
    assert not User.objects.filter(ssoidentity__subject="stranger").exists()
