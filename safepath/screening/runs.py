"""Reading screenings from JSON (the CLI's answers files and the API share these rules).

An answers object: ``{"age": 15, "age_disputed": false, "answers": {"<item id>": "yes" | "no" |
"unknown"}, "context": {"act_recorded": true, "setting": "law_enforcement"}}``. ``age`` must be
present (``null`` when unknown: the presumption of minority then applies).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from safepath.screening.engine import (
    ChildRule,
    ScreeningInput,
    ScreeningInputError,
    ScreeningResult,
    check_input,
    score,
)
from safepath.screening.instruments import Instrument

TOP_LEVEL = {"age", "age_disputed", "answers", "context"}
CONTEXT = {"act_recorded", "setting"}


def parse_input(instrument: Instrument, obj: Any) -> ScreeningInput:
    """One answers object to a checked ScreeningInput; ScreeningInputError names the field."""
    if not isinstance(obj, Mapping):
        raise ScreeningInputError("(object)", "each screening must be a JSON object")
    extra = set(obj) - TOP_LEVEL
    if extra:
        raise ScreeningInputError(sorted(extra)[0], "unknown field")
    if "age" not in obj:
        raise ScreeningInputError("age", "missing; give the age in years, or null if unknown")
    age = obj["age"]
    if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
        raise ScreeningInputError("age", "must be a whole number of years or null")
    answers = obj.get("answers", {})
    if not isinstance(answers, Mapping):
        raise ScreeningInputError("answers", "must be an object of item id to answer")
    context = obj.get("context", {}) or {}
    if not isinstance(context, Mapping):
        raise ScreeningInputError("context", "must be an object")
    unknown_context = set(context) - CONTEXT
    if unknown_context:
        raise ScreeningInputError(f"context.{sorted(unknown_context)[0]}", "unknown field")
    act = context.get("act_recorded")
    if act is not None and not isinstance(act, bool):
        raise ScreeningInputError("context.act_recorded", "must be true, false or null")
    disputed = obj.get("age_disputed", False)
    if not isinstance(disputed, bool):
        raise ScreeningInputError("age_disputed", "must be true or false")
    setting = context.get("setting", "community")
    if not isinstance(setting, str):
        raise ScreeningInputError("context.setting", "must be text")
    given = ScreeningInput(
        answers={str(k): v for k, v in answers.items()},
        age=age,
        age_disputed=disputed,
        act_recorded=act,
        setting=setting,
    )
    check_input(instrument, given)
    return given


def deployment_child_rule() -> ChildRule:
    """The deployment's child rule (settings.SCREENING_CHILD_RULE, checked at start-up)."""
    from django.conf import settings

    return "ilo_strict" if settings.SCREENING_CHILD_RULE == "ilo_strict" else "legal"


def run_one(
    instrument: Instrument, obj: Any, *, child_rule: ChildRule = "legal"
) -> ScreeningResult:
    return score(instrument, parse_input(instrument, obj), child_rule=child_rule)
