"""What an ID token's claims decide, as pure functions: which rule gives the role and agency
(the first that matches, in the administrator's order), and whether the provider's second factor
stands in for SafePath's own. No Django, no database: tested as tables (tests/test_sso_rules.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Protocol, TypeVar

INCLUDES = "includes"
EQUALS = "equals"

# RFC 8176 method references that mean a second factor was used: "mfa" (several factors),
# "otp" (a one-time code) and "hwk" (a hardware key). A provider may configure others.
DEFAULT_MFA_AMR = ("mfa", "otp", "hwk")


class Rule(Protocol):
    provider: str
    claim: str
    match: str
    value: str


R = TypeVar("R", bound=Rule)


def claim_value(claims: Mapping[str, object], path: str) -> object:
    """The claim at ``path``; a dotted path reaches into objects ("realm_access.roles", as
    Keycloak sends realm roles). None when any step is missing. A claim whose own name has a dot
    (some providers use URLs as claim names) is found whole first."""
    if path in claims:
        return claims[path]
    value: object = claims
    for step in path.split("."):
        if not isinstance(value, Mapping) or step not in value:
            return None
        value = value[step]
    return value


def _as_text(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int):
        return str(value)
    return None


def rule_matches(rule: Rule, *, provider: str, claims: Mapping[str, object]) -> bool:
    if rule.provider and rule.provider != provider:
        return False
    value = claim_value(claims, rule.claim)
    if rule.match == INCLUDES:
        items = value if isinstance(value, list) else [value]
        return any(_as_text(item) == rule.value for item in items)
    if rule.match == EQUALS:
        return _as_text(value) == rule.value
    return False  # an unknown kind of match never grants anything


def first_match(rules: Iterable[R], *, provider: str, claims: Mapping[str, object]) -> R | None:
    """The first rule, in the order given, that the claims match; None refuses the sign-in."""
    return next((r for r in rules if rule_matches(r, provider=provider, claims=claims)), None)


def second_factor_asserted(
    claims: Mapping[str, object], *, amr_values: Collection[str], acr_values: Collection[str]
) -> bool:
    """True when the provider says it checked a second factor: an ``amr`` entry among
    ``amr_values``, or an ``acr`` among ``acr_values`` (which level means that is the
    provider's own convention, so it is configured per provider and empty by default)."""
    amr = claims.get("amr")
    if isinstance(amr, list) and any(isinstance(m, str) and m in amr_values for m in amr):
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in acr_values
