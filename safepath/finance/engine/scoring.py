"""Rule hits -> typology scores -> at most one alert per customer per period (research s4.1).

A hit adds its rule's weight to every typology the rule belongs to; a customer's score is its
best typology score, capped at 100. Single indicators are weak by design (AUSTRAC's caveat), so
most rules weigh less than the threshold and an alert needs a combination.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from safepath.finance.engine import reference
from safepath.finance.engine.rules import RULES_DIR
from safepath.finance.engine.types import Alert, RuleHit

MAX_SCORE = 100


@dataclass(frozen=True)
class Typologies:
    threshold: int
    bands: tuple[tuple[str, int], ...]  # (name, minimum score), highest first
    titles: dict[str, str]

    def band(self, score: int) -> str:
        for name, minimum in self.bands:
            if score >= minimum:
                return name
        return self.bands[-1][0] if self.bands else ""


def load_typologies(rules_dir: Path | None = None) -> Typologies:
    path = (rules_dir or RULES_DIR) / "typologies.yaml"
    if not path.exists():
        path = RULES_DIR / "typologies.yaml"
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    bands = sorted(((str(b["name"]), int(b["min"])) for b in data["bands"]), key=lambda b: -b[1])
    return Typologies(int(data["alert_threshold"]), tuple(bands), dict(data["typologies"]))


def checklist_for(typologies: Iterable[str]) -> tuple[str, ...]:
    wanted = set(typologies)
    return tuple(
        item["text"]
        for item in reference.checklist().values()
        if "*" in item["typologies"] or wanted & set(item["typologies"])
    )


def typology_scores(
    hits: Iterable[RuleHit], memberships: dict[str, tuple[str, ...]]
) -> dict[str, int]:
    """Scores per typology, best first; a tie goes to the typology more of whose weight comes
    from rules that name it as their PRIMARY typology (so the label is the most specific one)."""
    scores: dict[str, int] = {}
    primary: dict[str, int] = {}
    for hit in hits:
        primary[hit.typology] = primary.get(hit.typology, 0) + hit.weight
        for typology in memberships.get(hit.rule_id, (hit.typology,)):
            scores[typology] = min(MAX_SCORE, scores.get(typology, 0) + hit.weight)
    return dict(sorted(scores.items(), key=lambda kv: (-kv[1], -primary.get(kv[0], 0), kv[0])))


def build_alert(
    *,
    customer_id: str,
    period: tuple[date, date],
    hits: list[RuleHit],
    memberships: dict[str, tuple[str, ...]],
    config: Typologies,
    threshold: int,
    total_amount_base: Decimal,
    base_currency: str,
) -> Alert | None:
    """The alert for one customer and period, or None when the best typology stays below."""
    scores = typology_scores(hits, memberships)
    if not scores:
        return None
    score = max(scores.values())
    if score < threshold:
        return None
    alerting = tuple(t for t, s in scores.items() if s >= threshold)
    return Alert(
        customer_id=customer_id,
        score=score,
        band=config.band(score),
        typologies=alerting,
        period_start=period[0],
        period_end=period[1],
        hits=tuple(sorted(hits, key=lambda h: (-h.weight, h.rule_id))),
        checklist=checklist_for(alerting),
        typology_scores=scores,
        total_amount_base=total_amount_base,
        base_currency=base_currency,
    )


def suppress_repeats(
    alerts: list[Alert], previous: Iterable[Alert]
) -> tuple[list[Alert], list[str]]:
    """Drop an alert when an earlier alert on the customer already covered all its evidence
    with at least the same score: nothing material changed, so no new work for the analyst."""
    earlier: dict[str, list[Alert]] = {}
    for alert in previous:
        earlier.setdefault(alert.customer_id, []).append(alert)
    kept: list[Alert] = []
    dropped: list[str] = []
    for alert in alerts:
        evidence = set(alert.evidence_txn_ids)
        rules = {h.rule_id for h in alert.hits}
        covered = any(
            evidence <= set(old.evidence_txn_ids)
            and rules <= {h.rule_id for h in old.hits}
            and alert.score <= old.score
            for old in earlier.get(alert.customer_id, ())
        )
        if covered:
            dropped.append(alert.alert_id)
        else:
            kept.append(alert)
    return kept, dropped
