"""The finance screening engine: pure Python + DuckDB, usable without Django.

Contract for the Django app and the CLI::

    screen(transactions, customers, *, rules_dir=None, mapping=None, base_currency="USD",
           rates=None, params=None, period=None, threshold=None, previous_alerts=()) -> ScreenResult
    load_rules(rules_dir=None) -> list[Rule]
    Alert.as_dict() -> {"customer_id", "score", "typologies",
                        "rules": [{"id", "evidence_txn_ids"}], ...}
    InputError(.problems: list[Problem(file, row, field, message)])
"""

from safepath.finance.engine.rules import RuleError, load_rules, render
from safepath.finance.engine.screening import parse_period, screen
from safepath.finance.engine.types import (
    Alert,
    InputError,
    Problem,
    Rule,
    RuleHit,
    ScreenResult,
    SkippedRule,
)

__all__ = [
    "Alert",
    "InputError",
    "Problem",
    "Rule",
    "RuleError",
    "RuleHit",
    "ScreenResult",
    "SkippedRule",
    "load_rules",
    "parse_period",
    "render",
    "screen",
]
