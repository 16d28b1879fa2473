"""Deadlines of the rapid-registration steps as data (``deadlines.json``), and the arithmetic on
them. No Django here.

Two profiles: ``normal`` and ``emergency``. A registration tagged with a declared emergency runs
on the emergency profile's (tighter) hours; any other on the normal one. A profile that would
give *more* time in an emergency than in normal times is refused when the file is loaded.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

DEADLINES_FILE = Path(__file__).with_name("deadlines.json")
SCHEMA_FILE = Path(__file__).with_name("deadlines_schema.json")
STEPS = ("assign", "interim_care", "tracing", "follow_up")
RISKS = ("high", "medium", "low")
PROFILES = ("normal", "emergency")


class DeadlineFileError(ValueError):
    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Deadlines:
    version: str
    source: str
    steps: dict[str, str]
    hours: dict[tuple[str, str, str], int]  # (profile, step, risk) -> hours

    def within(self, *, profile: str, step: str, risk: str) -> datetime.timedelta:
        return datetime.timedelta(hours=self.hours[(profile, step, risk)])

    def due(
        self, *, profile: str, step: str, risk: str, start: datetime.datetime
    ) -> datetime.datetime:
        return start + self.within(profile=profile, step=step, risk=risk)

    def overdue(
        self,
        *,
        profile: str,
        step: str,
        risk: str,
        start: datetime.datetime,
        now: datetime.datetime,
    ) -> bool:
        return now > self.due(profile=profile, step=step, risk=risk, start=start)


def parse(raw: object, *, where: str = DEADLINES_FILE.name) -> Deadlines:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(raw), key=lambda e: list(e.path))
    if errors:
        place = "/".join(str(p) for p in errors[0].absolute_path) or "(top)"
        raise DeadlineFileError(f"{where}: {place}", errors[0].message)
    assert isinstance(raw, dict)  # noqa: S101 - the schema says so
    hours = {
        (profile, step, risk): int(raw["profiles"][profile][step][risk])
        for profile in PROFILES
        for step in STEPS
        for risk in RISKS
    }
    for step in STEPS:
        for risk in RISKS:
            if hours[("emergency", step, risk)] > hours[("normal", step, risk)]:
                raise DeadlineFileError(
                    f"{where}: profiles/emergency/{step}/{risk}",
                    "an emergency deadline cannot be longer than the normal one",
                )
    return Deadlines(
        version=str(raw["version"]),
        source=str(raw["source"]),
        steps=dict(raw["steps"]),
        hours=hours,
    )


@cache
def deadlines() -> Deadlines:
    try:
        raw = json.loads(DEADLINES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DeadlineFileError(DEADLINES_FILE.name, str(error)) from None
    return parse(raw)
