"""The participation app's rules as data: the national consent ages and the feedback deadlines.

``consent_rules.json`` gives, by country, the age below which a child takes part in a
consultation only with a parent's, carer's or guardian's agreement too; ``feedback_deadlines.json``
the hours within which feedback is acknowledged and answered, by kind. Both cite their source,
are checked against the JSON Schemas below when loaded, and a broken file names the field.
No Django here.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

HERE = Path(__file__).parent
CONSENT_FILE = HERE / "consent_rules.json"
DEADLINES_FILE = HERE / "feedback_deadlines.json"
FEEDBACK_KINDS = ("compliment", "suggestion", "complaint", "safeguarding")

CONSENT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "source", "default_below_age", "countries"],
    "properties": {
        "version": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 20},
        "default_below_age": {"type": "integer", "minimum": 0, "maximum": 26},
        "countries": {
            "type": "object",
            "additionalProperties": False,
            "patternProperties": {"^[A-Z]{2}$": {"type": "integer", "minimum": 0, "maximum": 26}},
        },
    },
}
_HOURS = {"type": "integer", "minimum": 1, "maximum": 24 * 365}
DEADLINES_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "source", "kinds", "coordinator_after_hours"],
    "properties": {
        "version": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 20},
        "coordinator_after_hours": _HOURS,
        "kinds": {
            "type": "object",
            "additionalProperties": False,
            "required": list(FEEDBACK_KINDS),
            "properties": {
                kind: {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["acknowledge_within_hours", "respond_within_hours"],
                    "properties": {
                        "acknowledge_within_hours": _HOURS,
                        "respond_within_hours": _HOURS,
                    },
                }
                for kind in FEEDBACK_KINDS
            },
        },
    },
}


class RulesError(ValueError):
    """A rules file is broken: ``where`` names the file and the field."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


def _load(path: Path, schema: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RulesError(path.name, f"not valid JSON (line {error.lineno}): {error.msg}") from None
    errors = sorted(
        Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path)
    )
    if errors:
        first = errors[0]
        where = path.name
        if first.absolute_path:
            where += ", field " + ".".join(str(part) for part in first.absolute_path)
        raise RulesError(where, first.message)
    assert isinstance(data, dict)  # noqa: S101 - the schema says it is an object
    return data


@dataclass(frozen=True)
class ConsentRules:
    version: str
    source: str
    default_below_age: int
    countries: dict[str, int]

    def below_age(self, country: str) -> int:
        """The age below which a parent or carer must agree too, in ``country``."""
        return self.countries.get(country.upper(), self.default_below_age)


@dataclass(frozen=True)
class Deadline:
    acknowledge_within: datetime.timedelta
    respond_within: datetime.timedelta


@dataclass(frozen=True)
class Deadlines:
    version: str
    source: str
    kinds: dict[str, Deadline]
    coordinator_after: datetime.timedelta

    def due(
        self, kind: str, received_at: datetime.datetime
    ) -> tuple[datetime.datetime, datetime.datetime]:
        """(acknowledge by, respond by) for feedback of ``kind`` received at ``received_at``."""
        rule = self.kinds[kind]
        return received_at + rule.acknowledge_within, received_at + rule.respond_within


def load_consent_rules(path: Path = CONSENT_FILE) -> ConsentRules:
    data = _load(path, CONSENT_SCHEMA)
    return ConsentRules(
        version=data["version"],
        source=data["source"],
        default_below_age=data["default_below_age"],
        countries=dict(data["countries"]),
    )


def load_deadlines(path: Path = DEADLINES_FILE) -> Deadlines:
    data = _load(path, DEADLINES_SCHEMA)
    kinds = {}
    for kind, rule in data["kinds"].items():
        acknowledge = datetime.timedelta(hours=rule["acknowledge_within_hours"])
        respond = datetime.timedelta(hours=rule["respond_within_hours"])
        if respond < acknowledge:
            raise RulesError(
                f"{path.name}, field kinds.{kind}",
                "the response cannot be due before the acknowledgement",
            )
        kinds[kind] = Deadline(acknowledge, respond)
    return Deadlines(
        version=data["version"],
        source=data["source"],
        kinds=kinds,
        coordinator_after=datetime.timedelta(hours=data["coordinator_after_hours"]),
    )


@cache
def consent_rules() -> ConsentRules:
    return load_consent_rules()


@cache
def deadlines() -> Deadlines:
    return load_deadlines()
