"""An instrument as plain data for the CLI and the API (items with dimension and strength)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from safepath.screening.instruments import Instrument


def describe(instrument: Instrument) -> dict[str, Any]:
    return {
        "id": instrument.id,
        "version": instrument.version,
        "title": instrument.title,
        "summary": instrument.summary,
        "kind": instrument.kind,
        "population": dict(instrument.population),
        "citation": instrument.citation,
        "doi": instrument.doi,
        "licence": instrument.licence,
        "provenance": instrument.provenance,
        "grades": instrument.grades.to_dict() if instrument.grades else None,
        "rule": instrument.rule,
        "scoring": dict(instrument.scoring),
        "dimensions": [asdict(d) for d in instrument.dimensions],
        "items": [
            {key: value for key, value in asdict(item).items() if value not in (None, "", False)}
            for item in instrument.items
        ],
        "outcomes": {name: asdict(rec) for name, rec in instrument.outcomes.items()},
        "validation": [
            {key: value for key, value in asdict(s).items() if value is not None}
            for s in instrument.validation
        ],
    }
