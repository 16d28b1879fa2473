"""FinCEN SAR-style field export: the fields a filer copies into BSA E-Filing (form 111)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from safepath.finance.engine.types import Alert
from safepath.finance.reports.narrative import narrative
from safepath.finance.reports.profiles import ReportError, load_profile


def _blocks(text: str, size: int, count: int) -> list[str]:
    clean = " ".join(text.split())
    return [clean[i : i + size].strip() for i in range(0, min(len(clean), size * count), size)]


def render_sar_fields(
    alert: Alert,
    transactions: list[dict[str, Any]],
    customers: list[dict[str, Any]],
    profile: str | Path = "fincen_sar",
    reporting_entity: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A dict keyed by SAR XML element names (FinCEN SAR XML Schema 2.0 User Guide)."""
    prof = load_profile(profile)
    if prof.format != "sar_fields":
        raise ReportError([f"profile {prof.id} is not a SAR field profile"])
    config: dict[str, Any] = prof.data["typologies"]
    evidence = set(alert.evidence_txn_ids)
    rows = [t for t in transactions if str(t.get("txn_id")) in evidence]
    total = sum(
        (Decimal(str(t.get("amount_base", t.get("amount", "0")))) for t in rows), Decimal("0")
    )
    classifications: list[dict[str, Any]] = []
    keywords: list[str] = []
    for typology in alert.typologies:
        entry = config.get(typology)
        if not entry:
            continue
        item = {
            "SuspiciousActivityTypeID": entry["type"],
            "SuspiciousActivitySubtypeID": entry["subtype"],
        }
        if entry.get("other"):
            item["OtherSuspiciousActivityTypeText"] = str(entry["other"])[:50]
        if item not in classifications:
            classifications.append(item)
        if entry["keyword"] not in keywords:
            keywords.append(entry["keyword"])
    if set(prof.data.get("structuring_rules", [])) & {h.rule_id for h in alert.hits}:
        classifications.append({"SuspiciousActivityTypeID": 1, "SuspiciousActivitySubtypeID": 999})
    customer = next((c for c in customers if str(c.get("customer_id")) == alert.customer_id), {})
    entity = reporting_entity or {}
    return {
        "FormTypeCode": "SARX",
        "FilingInstitutionNotetoFinCEN": (keywords[0] if keywords else "")[
            : int(prof.data["note_max_chars"])
        ],
        "SuspiciousActivityFromDateText": alert.period_start.strftime("%Y%m%d"),
        "SuspiciousActivityToDateText": alert.period_end.strftime("%Y%m%d"),
        "TotalSuspiciousAmountText": str(total.quantize(Decimal("1"))),
        "SuspiciousActivityClassification": classifications,
        "ActivityNarrativeText": _blocks(
            narrative(alert, rows),
            int(prof.data["narrative_block_chars"]),
            int(prof.data["narrative_max_blocks"]),
        ),
        "Subject": {
            "ActivityPartyTypeCode": 33,
            "PartyIdentificationNumberText": alert.customer_id,
            "EntityLastName": customer.get("last_name") or customer.get("name"),
            "FirstName": customer.get("first_name"),
            "PartyAccountAssociation": sorted(
                {str(t.get("account_id")) for t in rows if t.get("account_id")}
            ),
        },
        "FilingInstitution": {"ActivityPartyTypeCode": 30, "PartyName": entity.get("name")},
        "EvidenceTransactionIds": [str(t["txn_id"]) for t in rows],
        "AdvisoryKeywords": keywords,
    }
