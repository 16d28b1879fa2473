"""Case data and tracing requests as canonical linkage records (decrypted in memory only),
and the fixed-weight comparison that ranks children for a tracing request.

The engine compares records with the columns in ``CANONICAL_COLUMNS``. The values here are
decrypted from the database for the length of one run; they are never written to disk, logged,
or stored with the results (which keep case ids, probabilities and field names only).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import pandas as pd
from django.db.models import Prefetch, QuerySet

from safepath.cases.models import Case, FamilyMember
from safepath.linkage.engine.canonical import CANONICAL_COLUMNS, to_canonical
from safepath.linkage.engine.names import name_keys
from safepath.linkage.models import TracingRequest

COLUMNS = (*CANONICAL_COLUMNS, "identifier")

# FamilyMember.relation is free text: these words (lower-cased) name a parent.
MOTHER_WORDS = frozenset({"mother", "mom", "mum", "mere", "mère", "madre", "أم"})
FATHER_WORDS = frozenset({"father", "dad", "pere", "père", "padre", "أب"})


def _first_word(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else ""


def _parents(case: Case) -> tuple[str, str]:
    mother = father = ""
    for member in case.family.all():
        relation = member.relation.strip().casefold()
        if relation in MOTHER_WORDS and not mother:
            mother = _first_word(member.name)
        elif relation in FATHER_WORDS and not father:
            father = _first_word(member.name)
    return mother, father


def _birth_year_estimate(case: Case) -> int | None:
    """The year of birth, or an estimate from the age when identified (children on the move
    often have no birth date on record; the engine compares years with a tolerance)."""
    child = case.child
    if child.date_of_birth is not None:
        return int(child.date_of_birth.year)
    if child.age_at_identification is not None:
        return int(case.identified_on.year - child.age_at_identification)
    return None


def case_record(case: Case) -> dict[str, Any]:
    """One case's child as a canonical record; ``record_id`` is the case id."""
    child = case.child
    mother, father = _parents(case)
    exact_date = child.date_of_birth is not None and not child.date_of_birth_estimated
    return {
        "record_id": str(case.id),
        "given_name": child.given_name or "",
        "family_name": child.family_name or "",
        "other_names": " ".join(child.other_names or []),
        "sex": child.sex if child.sex in ("female", "male") else "",
        "date_of_birth": child.date_of_birth.isoformat() if exact_date else "",
        "birth_year_estimate": _birth_year_estimate(case),
        "place_of_birth": "",
        "nationality": child.nationality or "",
        "mother_given_name": mother,
        "father_given_name": father,
        "location": case.country_of_exploitation or "",
        "source": case.owner_agency.code,
        "identifier": child.document_number or "",
    }


def cases_for_records(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The queries ``case_records`` needs: two round trips per chunk of cases."""
    return cases.select_related("child", "owner_agency").prefetch_related(
        Prefetch("family", queryset=FamilyMember.objects.only("case_id", "relation", "name"))
    )


def frame(rows: Iterable[dict[str, Any]], *, label: str) -> pd.DataFrame:
    """Canonical records through the engine's own checks (blanks become missing, and so on).

    An empty input gives an empty frame with the canonical columns: no run has nothing to do.
    """
    table = pd.DataFrame(list(rows), columns=list(COLUMNS))
    if table.empty:
        return table
    text = table.astype({"birth_year_estimate": "string"}).fillna("")
    return to_canonical(text.astype(str), label=label)


READ_CHUNK = 2000  # cases per round trip (and per prefetch IN list) on a national run


def case_records(cases: QuerySet[Case]) -> pd.DataFrame:
    rows = cases_for_records(cases).order_by("pk").iterator(chunk_size=READ_CHUNK)
    return frame((case_record(case) for case in rows), label="cases")


def tracing_record(request: TracingRequest) -> dict[str, Any]:
    """The child a family is looking for, as a canonical record (``record_id`` = request id)."""
    year = request.sought_birth_year
    if request.sought_date_of_birth and year is None:
        year = datetime.date.fromisoformat(request.sought_date_of_birth).year
    return {
        "record_id": str(request.id),
        "given_name": request.sought_given_name or "",
        "family_name": request.sought_family_name or "",
        "other_names": " ".join(request.sought_other_names or []),
        "sex": request.sought_sex if request.sought_sex in ("female", "male") else "",
        "date_of_birth": request.sought_date_of_birth or "",
        "birth_year_estimate": year,
        "place_of_birth": request.sought_place_of_birth or "",
        "nationality": request.sought_nationality or "",
        "mother_given_name": _first_word(request.mother_given_name or ""),
        "father_given_name": _first_word(request.father_given_name or ""),
        "location": request.last_seen_place or "",
        "source": "tracing",
        "identifier": "",
    }


# --- tracing scores --------------------------------------------------------------------------
# A tracing request is one record against a few hundred consenting children: too few to train a
# model on, so the weights are fixed. They follow the Fellegi-Sunter form (log2 Bayes factors,
# summed with a prior of one chance in 256, the pool being already narrowed to consenting
# children), and their relative sizes follow Primero's
# family-tracing boosts (names 15, sex 10, age 10, relatives' names 10; primeroIMS/primero,
# cited in shared/research/record_linkage_anchors.md). A ranking for a person to verify, not a
# calibrated probability.
TRACING_PRIOR_LOG2 = -8.0
NAME_WEIGHTS = {"exact": 6.0, "variant": 4.0, "different": -3.0}
FAMILY_WEIGHTS = {"exact": 5.0, "variant": 3.0, "different": -2.0}
PARENT_WEIGHTS = {"exact": 3.0, "variant": 2.5, "different": -1.0}
PLACE_WEIGHTS = {"exact": 1.5, "variant": 1.0, "different": 0.0}
YEAR_WEIGHTS = {
    "same date": 8.0,
    "same year": 3.0,
    "within 1 year": 2.0,
    "within 2 years": 0.5,
    "more than 2 years apart": -4.0,
}
SEX_WEIGHTS = {"same": 1.0, "different": -4.0}
NATIONALITY_WEIGHTS = {"same": 1.0, "different": -1.0}


def _present(value: Any) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and value != value)
        and str(value).strip() not in ("", "<NA>", "nan")
    )


def _name_level(left: str, right: str) -> str:
    keys_l, keys_r = name_keys(left), name_keys(right)
    if keys_l.normalised == keys_r.normalised:
        return "exact"
    if set(keys_l.variants) & set(keys_r.variants):
        return "variant"
    return "different"


def _year_level(left: dict[str, Any], right: dict[str, Any]) -> str | None:
    dates = (left["date_of_birth"], right["date_of_birth"])
    if all(_present(date) for date in dates) and str(dates[0]) == str(dates[1]):
        return "same date"
    years = [r["birth_year_estimate"] for r in (left, right)]
    if not all(_present(year) for year in years):
        return None
    gap = abs(int(years[0]) - int(years[1]))
    if gap == 0:
        return "same year"
    return (
        "within 1 year"
        if gap == 1
        else "within 2 years"
        if gap == 2
        else ("more than 2 years apart")
    )


def _evidence(field: str, level: str, weights: dict[str, float]) -> dict[str, Any]:
    weight = weights[level]
    return {
        "field": field,
        "level": level,
        "bayes_factor": 2.0**weight,
        "log2_bayes_factor": weight,
    }


def tracing_compare(
    left: dict[str, Any], right: dict[str, Any]
) -> tuple[float, list[dict[str, Any]]]:
    """Probability and field-by-field evidence that two canonical records are one child."""
    evidence = []
    left_names = " ".join(str(left[f]) for f in ("given_name", "other_names") if _present(left[f]))
    right_names = " ".join(
        str(right[f]) for f in ("given_name", "other_names") if _present(right[f])
    )
    pairs: list[tuple[str, Any, Any, dict[str, float]]] = [
        ("given_name", left_names, right_names, NAME_WEIGHTS),
        ("family_name", left["family_name"], right["family_name"], FAMILY_WEIGHTS),
        (
            "mother_given_name",
            left["mother_given_name"],
            right["mother_given_name"],
            PARENT_WEIGHTS,
        ),
        (
            "father_given_name",
            left["father_given_name"],
            right["father_given_name"],
            PARENT_WEIGHTS,
        ),
        ("place_of_birth", left["place_of_birth"], right["place_of_birth"], PLACE_WEIGHTS),
    ]
    for field, one, other, weights in pairs:
        if _present(one) and _present(other):
            evidence.append(_evidence(field, _name_level(str(one), str(other)), weights))
    year = _year_level(left, right)
    if year is not None:
        evidence.append(_evidence("date_of_birth", year, YEAR_WEIGHTS))
    for field, weights in (("sex", SEX_WEIGHTS), ("nationality", NATIONALITY_WEIGHTS)):
        if _present(left[field]) and _present(right[field]):
            same = str(left[field]).casefold() == str(right[field]).casefold()
            evidence.append(_evidence(field, "same" if same else "different", weights))
    total = TRACING_PRIOR_LOG2 + sum(item["log2_bayes_factor"] for item in evidence)
    return 1.0 / (1.0 + 2.0 ** (-total)), evidence


def tracing_scores(sought: dict[str, Any], pool: Any) -> list[tuple[str, float, list[Any]]]:
    """Each pooled child's probability of being the one sought, best first."""
    left = {str(k): v for k, v in frame([sought], label="tracing request").iloc[0].items()}
    scored = []
    for row in pool.to_dict(orient="records"):
        right = {str(k): v for k, v in row.items()}
        probability, evidence = tracing_compare(left, right)
        scored.append((str(right["record_id"]), probability, evidence))
    return sorted(scored, key=lambda row: (-row[1], row[0]))
