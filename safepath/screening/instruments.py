"""Screening instruments as versioned data files, validated when loaded. No Django here.

Each file in ``instruments/`` is one instrument version (see ``instrument_schema.json``). A
file that breaks the schema or the rules below is refused with the file, the item and the
reason, so a broken instrument never reaches a worker.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

INSTRUMENT_DIR = Path(__file__).with_name("instruments")
SCHEMA_FILE = Path(__file__).with_name("instrument_schema.json")
OUTCOMES = (
    "presumed_victim",
    "possible_victim",
    "at_risk",
    "no_indicators",
    "insufficient_information",
)
STRENGTHS = ("strong", "medium", "weak")


class InstrumentError(ValueError):
    """An instrument file is broken: ``where`` names the file and the item or field."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    role: str  # recruitment | exploitation | destination | risk | indicator
    description: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    dimension: str
    help: str = ""
    strength: str | None = None
    weight: int | None = None
    urgent: bool = False
    source_ref: str = ""


@dataclass(frozen=True)
class Band:
    min_score: int
    band: str
    outcome: str
    urgency: str = "routine"


@dataclass(frozen=True)
class Recommendation:
    urgency: str
    pathways: tuple[str, ...]
    action: str


@dataclass(frozen=True)
class Study:
    study: str
    n: int
    population: str = ""
    tp: int | None = None
    fn: int | None = None
    fp: int | None = None
    tn: int | None = None
    sensitivity: float | None = None
    specificity: float | None = None
    ppv: float | None = None
    npv: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Grades:
    """Where an ILO list's strengths come from. ``table`` names a loaded grade table."""

    status: str  # "unverified" or "transcribed"
    source: str
    table: str = ""

    @property
    def verified(self) -> bool:
        return self.status == "transcribed"

    def to_dict(self) -> dict[str, str]:
        return {"status": self.status, "source": self.source, "table": self.table}


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: str
    kind: str
    population: Mapping[str, Any]
    citation: str
    licence: str
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    rule: str
    scoring: Mapping[str, Any]
    outcomes: Mapping[str, Recommendation]
    validation: tuple[Study, ...]
    summary: str = ""
    doi: str = ""
    provenance: str = ""
    child_variant: str = ""
    source: str = ""
    grades: Grades | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def for_adults(self) -> bool:
        return bool(self.population.get("adults", False))

    @property
    def grades_unverified(self) -> bool:
        """True when the strengths are graded but not from the published tables."""
        return self.grades is not None and not self.grades.verified

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    def items_in(self, dimension_id: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.dimension == dimension_id)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def _where(source: str, data: Mapping[str, Any], path: Iterable[Any]) -> str:
    """'file.json, item D1.3, field strength' from a JSON path."""
    parts = list(path)
    label = source
    if len(parts) >= 2 and parts[0] == "items" and isinstance(parts[1], int):
        items = data.get("items", [])
        item_id = items[parts[1]].get("id", f"#{parts[1]}") if parts[1] < len(items) else parts[1]
        label += f", item {item_id}"
        parts = parts[2:]
    if parts:
        label += ", field " + ".".join(str(part) for part in parts)
    return label


def _check_rules(source: str, data: Mapping[str, Any]) -> None:
    """What the schema cannot say: references, uniqueness, rule-specific fields, 2x2 sums."""
    dimension_ids = [d["id"] for d in data["dimensions"]]
    if len(set(dimension_ids)) != len(dimension_ids):
        raise InstrumentError(source, "two dimensions share an id")
    seen: set[str] = set()
    rule = data["scoring"]["rule"]
    for item in data["items"]:
        where = f"{source}, item {item['id']}"
        if item["id"] in seen:
            raise InstrumentError(where, "the item id is used twice")
        seen.add(item["id"])
        if item["dimension"] not in dimension_ids:
            raise InstrumentError(where, f"unknown dimension {item['dimension']!r}")
        if rule == "ilo_delphi" and "strength" not in item:
            raise InstrumentError(where, "an ILO indicator needs a strength")
        if rule == "weighted_sum" and "weight" not in item:
            raise InstrumentError(where, "a weighted item needs a weight")
    if rule == "ilo_delphi" and "grades" not in data:
        raise InstrumentError(
            f"{source}, field grades",
            "an ILO list must say where its strengths come from (status and source)",
        )
    population = data["population"]
    if population["min_age"] > population["max_age"]:
        raise InstrumentError(f"{source}, field population", "min_age is above max_age")
    validated = (population.get("validated_min_age"), population.get("validated_max_age"))
    if None not in validated and not (
        population["min_age"] <= validated[0] <= validated[1] <= population["max_age"]
    ):
        raise InstrumentError(
            f"{source}, field population", "the validated ages must lie within min_age and max_age"
        )
    if rule == "ilo_delphi":
        adults = bool(population.get("adults", False))
        if (data["scoring"]["combination"] == "adult") != adults:
            raise InstrumentError(
                f"{source}, field scoring.combination",
                "the combination must be 'adult' exactly when population.adults",
            )
        roles = {d["role"] for d in data["dimensions"]}
        missing = {"recruitment", "exploitation"} | ({"destination"} if adults else set())
        missing -= roles
        if missing:
            raise InstrumentError(
                f"{source}, field dimensions",
                f"the ILO rule needs {', '.join(sorted(missing))} dimensions",
            )
    if rule == "weighted_sum":
        floors = [band["min_score"] for band in data["scoring"]["bands"]]
        if floors != sorted(floors) or floors[0] != 0:
            raise InstrumentError(
                f"{source}, field scoring.bands", "bands must start at 0 and rise"
            )
    for outcome in _reachable_outcomes(data):
        if outcome not in data["outcomes"]:
            raise InstrumentError(
                f"{source}, field outcomes", f"no recommended action for the outcome {outcome!r}"
            )
    for number, study in enumerate(data["validation"]):
        cells = [study.get(key) for key in ("tp", "fn", "fp", "tn")]
        if all(cell is not None for cell in cells) and sum(cells) != study["n"]:
            raise InstrumentError(
                f"{source}, field validation.{number}",
                f"the 2x2 table sums to {sum(cells)}, not n = {study['n']}",
            )


def _reachable_outcomes(data: Mapping[str, Any]) -> set[str]:
    rule = data["scoring"]["rule"]
    if rule == "weighted_sum":
        return {band["outcome"] for band in data["scoring"]["bands"]} | {"insufficient_information"}
    if rule == "count_threshold":
        return {"possible_victim", "no_indicators", "insufficient_information"}
    return set(OUTCOMES)


def parse(data: Mapping[str, Any], *, source: str) -> Instrument:
    errors = sorted(_validator().iter_errors(data), key=lambda error: list(error.absolute_path))
    if errors:
        first = errors[0]
        raise InstrumentError(_where(source, data, first.absolute_path), first.message)
    _check_rules(source, data)
    scoring = data["scoring"]
    return Instrument(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        kind=data["kind"],
        population=data["population"],
        citation=data["citation"],
        licence=data["licence"],
        dimensions=tuple(Dimension(**d) for d in data["dimensions"]),
        items=tuple(Item(**i) for i in data["items"]),
        rule=scoring["rule"],
        scoring=scoring,
        outcomes={
            name: Recommendation(o["urgency"], tuple(o["pathways"]), o["action"])
            for name, o in data["outcomes"].items()
        },
        validation=tuple(Study(**study) for study in data["validation"]),
        summary=data.get("summary", ""),
        doi=data.get("doi", ""),
        provenance=data.get("provenance", ""),
        child_variant=data.get("child_variant", ""),
        source=source,
        grades=Grades(**data["grades"]) if "grades" in data else None,
        raw=data,
    )


def load_file(path: Path) -> Instrument:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InstrumentError(
            path.name, f"not valid JSON (line {error.lineno}): {error.msg}"
        ) from None
    if not isinstance(data, dict):
        raise InstrumentError(path.name, "the file must hold one JSON object")
    instrument = parse(data, source=path.name)
    if path.stem != instrument.id:
        raise InstrumentError(path.name, f"the file name must be the id ({instrument.id}.json)")
    return instrument


@cache
def catalogue(directory: Path = INSTRUMENT_DIR) -> dict[str, Instrument]:
    """Every shipped instrument by id. Any broken file stops the loading with its reason."""
    instruments = [load_file(path) for path in sorted(directory.glob("*.json"))]
    found = {instrument.id: instrument for instrument in instruments}
    for instrument in instruments:
        variant = found.get(instrument.child_variant) if instrument.child_variant else None
        if instrument.child_variant and (variant is None or variant.for_adults):
            raise InstrumentError(
                instrument.source,
                f"child_variant {instrument.child_variant!r} is not a shipped list for children",
            )
    return found


def get(instrument_id: str) -> Instrument:
    try:
        return catalogue()[instrument_id]
    except KeyError:
        raise InstrumentError(instrument_id, "no such screening instrument") from None
