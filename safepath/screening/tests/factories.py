"""Small synthetic instruments for engine tests (the shipped files are tested separately)."""

from __future__ import annotations

from typing import Any

from safepath.screening.instruments import Instrument, parse

OUTCOME = {"urgency": "routine", "pathways": ["child_protection"], "action": "Do the thing."}
OUTCOME_NAMES = (
    "presumed_victim",
    "possible_victim",
    "at_risk",
    "no_indicators",
    "insufficient_information",
)
ALL_OUTCOMES = dict.fromkeys(OUTCOME_NAMES, OUTCOME)
ROLES = {
    "D1": "recruitment",
    "D2": "recruitment",
    "D3": "recruitment",
    "D4": "exploitation",
    "D5": "destination",
    "D6": "destination",
}


def ilo(*, adult: bool, per_strength: int = 4, max_unknown_fraction: float = 0.5) -> Instrument:
    """Six dimensions, each with ``per_strength`` strong, medium and weak indicators."""
    items = [
        {
            "id": f"{dim}.{strength[0]}{n}",
            "text": f"Indicator {dim} {strength} {n}?",
            "dimension": dim,
            "strength": strength,
        }
        for dim in ROLES
        for strength in ("strong", "medium", "weak")
        for n in range(per_strength)
    ]
    data: dict[str, Any] = {
        "id": "test-ilo",
        "version": "1",
        "title": "Test ILO list",
        "kind": "identification",
        "population": {
            "min_age": 18 if adult else 0,
            "max_age": 120 if adult else 17,
            "adults": adult,
            "description": "test",
        },
        "citation": "A test citation, not a real one.",
        "licence": "test only",
        # transcribed, so that the tests of the rule see no unverified-strengths warning
        "grades": {"status": "transcribed", "source": "Made up for the tests."},
        "dimensions": [{"id": d, "title": f"Dimension {d}", "role": r} for d, r in ROLES.items()],
        "items": items,
        "scoring": {
            "rule": "ilo_delphi",
            "combination": "adult" if adult else "child",
            "max_unknown_fraction": max_unknown_fraction,
        },
        "outcomes": ALL_OUTCOMES,
        "validation": [],
    }
    return parse(data, source="test-ilo.json")


def counted(
    threshold: int = 2, items: int = 6, validated: tuple[int, int] | None = None
) -> Instrument:
    data: dict[str, Any] = {
        "id": "test-count",
        "version": "1",
        "title": "Test count",
        "kind": "identification",
        "population": {
            "min_age": 10,
            "max_age": 18,
            "description": "test",
            **(
                {"validated_min_age": validated[0], "validated_max_age": validated[1]}
                if validated
                else {}
            ),
        },
        "citation": "A test citation, not a real one.",
        "licence": "test only",
        "dimensions": [{"id": "all", "title": "All", "role": "indicator"}],
        "items": [
            {"id": f"q{n}", "text": f"Question {n}?", "dimension": "all"} for n in range(items)
        ],
        "scoring": {
            "rule": "count_threshold",
            "threshold": threshold,
            "max_unknown_fraction": 0.34,
        },
        "outcomes": {
            k: ALL_OUTCOMES[k]
            for k in ("possible_victim", "no_indicators", "insufficient_information")
        },
        "validation": [],
    }
    return parse(data, source="test-count.json")
