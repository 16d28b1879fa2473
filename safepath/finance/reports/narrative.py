"""The report narrative, written only from the evidence: rules, transactions, amounts, dates.

Demographic fields never enter the narrative (research notes s5.7): they are not reasons.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from safepath.finance.engine.types import Alert


def narrative(alert: Alert, transactions: list[dict[str, Any]]) -> str:
    evidence = set(alert.evidence_txn_ids)
    rows = [t for t in transactions if str(t.get("txn_id")) in evidence]
    total = sum(
        (Decimal(str(t.get("amount_base", t.get("amount", "0")))) for t in rows), Decimal("0")
    )
    lines = [
        f"Automated red-flag monitoring raised alert {alert.alert_id} for customer "
        f"{alert.customer_id} covering {alert.period_start.isoformat()} to "
        f"{alert.period_end.isoformat()}, "
        f"score {alert.score} ({alert.band}); typologies: {', '.join(alert.typologies)}.",
        f"{len(rows)} transactions are cited as evidence, totalling {total:.2f} "
        f"{alert.base_currency}.",
        "Indicators that fired:",
    ]
    for hit in alert.hits:
        params = ", ".join(f"{k}={v}" for k, v in sorted(hit.parameters.items()))
        lines.append(
            f"- {hit.rule_id} {hit.title} (weight {hit.weight}; {params}); "
            f"{len(hit.evidence_txn_ids)} transactions; source: {hit.source}."
        )
    lines.append(
        "No single indicator is conclusive; the combination above is reported for the FIU's "
        "assessment. Customer demographics were not used as a reason for this report."
    )
    return "\n".join(lines)
