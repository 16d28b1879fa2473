"""The risk map's data: INFORM scores joined with case statistics by country, every count
through the evidence app's disclosure control (``evidence.engine.tables.build_table``: the
threshold rule with secondary suppression, k = 11). INFORM describes countries; it never scores
a child."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from safepath.core.countries import country_name
from safepath.emergency.inform import class_of
from safepath.emergency.models import CountryRisk, RiskEdition
from safepath.evidence.engine.tables import DEFAULT_K, TOTAL, build_table

LAYERS = (
    "risk",
    "hazard_exposure",
    "vulnerability",
    "lack_of_coping_capacity",
    "origin",
    "exploitation",
)
CASE_DIMENSIONS = {"origin": "citizenship", "exploitation": "country_of_exploitation"}


@dataclass
class CaseCount:
    count: int | None  # None: suppressed
    suppressed: bool


@dataclass
class RiskRow:
    risk: CountryRisk
    origin: CaseCount | None = None
    exploitation: CaseCount | None = None

    @property
    def name(self) -> str:
        """The country's name in the reader's language (ISO 3166 through pycountry), else
        INFORM's own English name."""
        return country_name(self.risk.iso2) if self.risk.iso2 else self.risk.name

    @property
    def risk_class(self) -> str:
        return str(risk_class_labels().get(self.risk.risk_class, self.risk.risk_class))


@dataclass
class RiskTable:
    edition: RiskEdition | None
    rows: list[RiskRow]
    counts_available: bool
    k: int = DEFAULT_K
    totals: dict[str, CaseCount] = field(default_factory=dict)
    exploitation_filter: str = ""
    problem: str = ""


def latest_edition() -> RiskEdition | None:
    return RiskEdition.objects.order_by("-year", "-imported_at").first()


def _counts(
    store: Any, dimension: str, where: dict[str, Any] | None, k: int
) -> dict[str, CaseCount]:
    table = build_table(store, "cases", by=[dimension], where=where, k=k)
    out = {}
    for cell in table.cells:
        code = cell[dimension]
        if code is None:
            continue
        out[str(code)] = CaseCount(cell["count"], bool(cell["suppressed"]))
    return out


def risk_table(*, exploitation: str = "", k: int = DEFAULT_K) -> RiskTable:
    edition = latest_edition()
    rows = [
        RiskRow(risk=row)
        for row in (
            CountryRisk.objects.filter(edition=edition).order_by("-risk", "iso3") if edition else []
        )
    ]
    result = RiskTable(edition=edition, rows=rows, counts_available=False, k=k)
    try:
        from safepath.evidence.selectors import analysis_store

        store = analysis_store()
        where = {"exploitation": [exploitation]} if exploitation else None
        origin = _counts(store, "citizenship", where, k)
        exploited = _counts(store, "country_of_exploitation", where, k)
    except Exception as error:  # the store is not built yet, or the source is missing
        result.problem = type(error).__name__
        return result
    result.counts_available = True
    result.exploitation_filter = exploitation
    for row in rows:
        code = row.risk.iso2
        row.origin = origin.get(code, CaseCount(0, False)) if code else None
        row.exploitation = exploited.get(code, CaseCount(0, False)) if code else None
    result.totals = {
        "origin": origin.get(TOTAL, CaseCount(None, True)),
        "exploitation": exploited.get(TOTAL, CaseCount(None, True)),
    }
    return result


def layer_value(row: RiskRow, layer: str) -> float | None:
    if layer in CASE_DIMENSIONS:
        count = row.origin if layer == "origin" else row.exploitation
        if count is None or count.count is None:
            return None
        return float(count.count)
    value = getattr(row.risk, layer)
    return None if value is None else float(value)


def layer_class(row: RiskRow, layer: str) -> int | None:
    """Scores use INFORM's bins; case counts use count bins (suppressed: no class)."""
    value = layer_value(row, layer)
    if value is None:
        return None
    if layer in CASE_DIMENSIONS:
        if value == 0:
            return None
        for number, limit in enumerate((20, 50, 100, 500)):
            if value < limit:
                return number
        return 4
    return class_of(value)


def layer_labels() -> dict[str, str]:
    return {
        "risk": _("INFORM Risk"),
        "hazard_exposure": _("Hazard and exposure"),
        "vulnerability": _("Vulnerability"),
        "lack_of_coping_capacity": _("Lack of coping capacity"),
        "origin": _("Identified children by citizenship"),
        "exploitation": _("Identified children by country of exploitation"),
    }


def risk_class_labels() -> dict[str, str]:
    """INFORM's five classes, in the reader's language."""
    return {
        "Very Low": _("Very low"),
        "Low": _("Low"),
        "Medium": _("Medium"),
        "High": _("High"),
        "Very High": _("Very high"),
    }
