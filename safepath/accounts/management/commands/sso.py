"""``safepath sso rules``: the single sign-on rules in the order they are tried.
``safepath sso check --provider NAME --claims FILE``: what a sign-in with these ID-token claims
would get (the rule, role, agency, and whether the provider's second factor counts), changing
nothing: for writing rules against a real token's claims."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.accounts.models import SsoClaimRule
from safepath.accounts.sso.providers import configured_providers, provider_named
from safepath.accounts.sso.rules import first_match, second_factor_asserted
from safepath.accounts.sso.services import active_rules
from safepath.core.cli import add_format_argument, emit


def _rule(rule: SsoClaimRule) -> dict[str, Any]:
    return {
        "id": str(rule.id),
        "order": rule.position,
        "provider": rule.provider or None,
        "claim": rule.claim,
        "match": rule.match,
        "value": rule.value,
        "role": rule.role,
        "agency": rule.agency.code if rule.agency else None,
        "active": rule.is_active,
    }


class Command(BaseCommand):
    help = "Single sign-on: list the claim rules, or check what given claims would get."

    def add_arguments(self, parser: ArgumentParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        rules = verbs.add_parser("rules", help="the rules, in the order they are tried")
        add_format_argument(rules)
        check = verbs.add_parser("check", help="what a sign-in with these claims would get")
        check.add_argument("--provider", required=True, help="the provider's short name")
        check.add_argument("--claims", required=True, help="a JSON file of ID-token claims")
        add_format_argument(check)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "rules":
            listed = [_rule(r) for r in SsoClaimRule.objects.select_related("agency")]
            lines = [
                f"{r['order']:>4}  {r['provider'] or '*'}  {r['claim']} {r['match']} "
                f"{r['value']!r} -> {r['role']}, {r['agency'] or '-'}"
                + ("" if r["active"] else "  (inactive)")
                for r in listed
            ]
            emit(self, options, {"rules": listed}, "\n".join(lines) or "No rules.")
            return
        self._check(options)

    def _check(self, options: dict[str, Any]) -> None:
        provider = provider_named(options["provider"])
        if provider is None:
            names = ", ".join(p.key for p in configured_providers()) or "none"
            raise CommandError(
                f"--provider: no provider {options['provider']!r} is configured (configured: "
                f"{names})."
            )
        try:
            claims = json.loads(Path(options["claims"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"--claims: cannot read a JSON object: {error}") from None
        if not isinstance(claims, dict):
            raise CommandError("--claims: the file must hold one JSON object of claims.")
        rule = first_match(active_rules(), provider=provider.key, claims=claims)
        second = second_factor_asserted(
            claims, amr_values=provider.mfa_amr, acr_values=provider.mfa_acr
        )
        data = {
            "provider": provider.key,
            "admitted": rule is not None,
            "rule": _rule(rule) if rule else None,
            "second_factor_by_provider": second,
        }
        if rule is None:
            text = "Refused: no rule matches these claims."
        else:
            text = (
                f"Admitted by rule {rule.position} ({rule.claim} {rule.match} {rule.value!r}): "
                f"{rule.role}, {rule.agency.code if rule.agency else 'no agency'}; second "
                f"factor by the provider: {'yes' if second else 'no'}."
            )
        emit(self, options, data, text)
