"""The claim rules and the second-factor rule as tables (pure functions, no database)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from safepath.accounts.sso.rules import claim_value, first_match, second_factor_asserted


@dataclass(frozen=True)
class R:
    claim: str
    match: str
    value: str
    provider: str = ""
    name: str = ""


KEYCLOAK = {
    "sub": "f1",
    "groups": ["/cp/agency-a/caseworkers", "staff"],
    "realm_access": {"roles": ["cp-supervisor"]},
    "email_verified": True,
    "hd": "agency-a.example.org",
    "https://example.org/claims/unit": "north",
    "level": 3,
}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("groups", ["/cp/agency-a/caseworkers", "staff"]),
        ("realm_access.roles", ["cp-supervisor"]),
        ("realm_access.missing", None),
        ("hd.deeper", None),
        ("https://example.org/claims/unit", "north"),  # a dotted name found whole
        ("absent", None),
    ],
)
def test_claim_value(path: str, value: object) -> None:
    assert claim_value(KEYCLOAK, path) == value


@pytest.mark.parametrize(
    ("rule", "matches"),
    [
        (R("groups", "includes", "/cp/agency-a/caseworkers"), True),
        (R("groups", "includes", "/cp/agency-a"), False),  # whole values, never prefixes
        (R("groups", "equals", "staff"), False),  # a list never equals one value
        (R("realm_access.roles", "includes", "cp-supervisor"), True),
        (R("hd", "equals", "agency-a.example.org"), True),
        (R("hd", "includes", "agency-a.example.org"), True),  # a string is a one-item list
        (R("hd", "equals", "AGENCY-A.example.org"), False),  # case counts
        (R("email_verified", "equals", "true"), True),
        (R("level", "equals", "3"), True),
        (R("absent", "equals", ""), False),
        (R("groups", "startswith", "/cp"), False),  # an unknown kind of match grants nothing
        (R("groups", "includes", "staff", provider="entra"), False),  # another provider's rule
        (R("groups", "includes", "staff", provider="keycloak"), True),
    ],
)
def test_rule_matching(rule: R, matches: bool) -> None:
    assert (first_match([rule], provider="keycloak", claims=KEYCLOAK) is rule) is matches


def test_the_first_matching_rule_wins_in_the_order_given() -> None:
    rules = [
        R("groups", "includes", "nobody", name="first"),
        R("groups", "includes", "staff", name="second"),
        R("realm_access.roles", "includes", "cp-supervisor", name="third"),
    ]
    chosen = first_match(rules, provider="keycloak", claims=KEYCLOAK)
    assert chosen is not None
    assert chosen.name == "second"
    assert first_match(rules[:1], provider="keycloak", claims=KEYCLOAK) is None
    assert first_match([], provider="keycloak", claims=KEYCLOAK) is None


@pytest.mark.parametrize(
    ("claims", "amr", "acr", "asserted"),
    [
        ({"amr": ["pwd", "otp"]}, ("mfa", "otp", "hwk"), (), True),
        ({"amr": ["hwk"]}, ("mfa", "otp", "hwk"), (), True),
        ({"amr": ["pwd", "mfa"]}, ("mfa", "otp", "hwk"), (), True),
        ({"amr": ["pwd"]}, ("mfa", "otp", "hwk"), (), False),
        ({"amr": ["pwd", "sms"]}, ("mfa", "otp", "hwk"), (), False),
        ({"amr": "otp"}, ("mfa", "otp", "hwk"), (), False),  # amr must be a list
        ({}, ("mfa", "otp", "hwk"), (), False),
        ({"acr": "gold"}, (), ("gold",), True),
        ({"acr": "silver"}, (), ("gold",), False),
        ({"acr": "gold"}, (), (), False),  # no acr counts unless configured
        ({"amr": ["pwd"], "acr": "2"}, ("mfa",), ("2",), True),
    ],
)
def test_second_factor_from_the_provider(
    claims: dict[str, object], amr: tuple[str, ...], acr: tuple[str, ...], asserted: bool
) -> None:
    assert second_factor_asserted(claims, amr_values=amr, acr_values=acr) is asserted
