"""The engine's vocabulary: problems in the input, rules, hits, alerts, and a screening result.

These types are the contract the Django app codes against, so they are frozen dataclasses with
plain values (str, Decimal, date, tuples) that serialize without the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located so a person can fix it."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


class InputError(Exception):
    """The input cannot be screened; ``problems`` lists the first 50 reasons."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Rule:
    """One red-flag rule: a DuckDB query plus the metadata that explains and cites it."""

    id: str
    title: str
    typology: str
    source: str
    required_fields: tuple[str, ...]
    parameters: dict[str, Any]
    weight: int
    sql: str
    family: str = ""
    description: str = ""
    typologies: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "typology": self.typology,
            "typologies": list(self.typologies or (self.typology,)),
            "family": self.family,
            "source": self.source,
            "required_fields": list(self.required_fields),
            "parameters": dict(self.parameters),
            "weight": self.weight,
            "description": self.description,
        }


@dataclass(frozen=True)
class RuleHit:
    """A rule that fired for one customer, with the transactions that made it fire."""

    rule_id: str
    title: str
    typology: str
    weight: int
    evidence_txn_ids: tuple[str, ...]
    parameters: dict[str, Any]
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.rule_id,
            "title": self.title,
            "typology": self.typology,
            "weight": self.weight,
            "evidence_txn_ids": list(self.evidence_txn_ids),
            "parameters": dict(self.parameters),
            "source": self.source,
        }


@dataclass(frozen=True)
class Alert:
    """One customer, one period, a score above the threshold, and why."""

    customer_id: str
    score: int
    band: str
    typologies: tuple[str, ...]
    period_start: date
    period_end: date
    hits: tuple[RuleHit, ...]
    checklist: tuple[str, ...] = ()
    typology_scores: dict[str, int] = field(default_factory=dict)
    total_amount_base: Decimal = Decimal("0")
    base_currency: str = "USD"

    @property
    def alert_id(self) -> str:
        """Stable id: the same customer and period always give the same id."""
        return f"{self.customer_id}:{self.period_start.isoformat()}:{self.period_end.isoformat()}"

    @property
    def evidence_txn_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for hit in self.hits:
            for txn_id in hit.evidence_txn_ids:
                seen.setdefault(txn_id, None)
        return tuple(seen)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of issue 7 (customer_id, score, typologies, rules), plus context."""
        return {
            "customer_id": self.customer_id,
            "score": self.score,
            "typologies": list(self.typologies),
            "rules": [hit.as_dict() for hit in self.hits],
            "alert_id": self.alert_id,
            "band": self.band,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "typology_scores": dict(self.typology_scores),
            "checklist": list(self.checklist),
            "total_amount_base": str(self.total_amount_base),
            "base_currency": self.base_currency,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alert:
        """Read back what ``as_dict`` wrote (the CLI's alerts.json)."""
        return cls(
            customer_id=str(data["customer_id"]),
            score=int(data["score"]),
            band=str(data.get("band", "")),
            typologies=tuple(data.get("typologies", ())),
            period_start=date.fromisoformat(data["period_start"]),
            period_end=date.fromisoformat(data["period_end"]),
            hits=tuple(
                RuleHit(
                    rule_id=r["id"],
                    title=r.get("title", ""),
                    typology=r.get("typology", ""),
                    weight=int(r.get("weight", 0)),
                    evidence_txn_ids=tuple(r.get("evidence_txn_ids", ())),
                    parameters=dict(r.get("parameters", {})),
                    source=r.get("source", ""),
                )
                for r in data.get("rules", ())
            ),
            checklist=tuple(data.get("checklist", ())),
            typology_scores=dict(data.get("typology_scores", {})),
            total_amount_base=Decimal(str(data.get("total_amount_base", "0"))),
            base_currency=str(data.get("base_currency", "USD")),
        )


@dataclass(frozen=True)
class SkippedRule:
    """A rule not run because the input lacks fields it needs (reported, not failed)."""

    id: str
    missing_fields: tuple[str, ...]


@dataclass(frozen=True)
class ScreenResult:
    alerts: list[Alert]
    skipped_rules: list[SkippedRule]
    rules_run: list[str]
    suppressed: list[str] = field(default_factory=list)
    transactions: int = 0
    customers: int = 0
