"""The data files and the pathway engine, as pure functions (no database)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepath.referrals import catalogue
from safepath.referrals.catalogue import CatalogueError, Pathway, Step

EXPLOITATIONS = frozenset({"sexual_exploitation", "forced_labour", "begging"})
COUNTRIES = frozenset({"KE", "UG"})
TYPES = frozenset({"shelter", "shelter.emergency", "health.mental", "legal.aid"})


def test_shipped_files_load() -> None:
    taxonomy = catalogue.taxonomy()
    assert taxonomy.source
    assert "health.mental" in taxonomy.codes()
    assert taxonomy.family("health") >= {"health", "health.mental", "health.sexual_reproductive"}
    hours = {u: d.respond_within for u, d in catalogue.deadlines().items()}
    assert hours == {
        "high": datetime.timedelta(hours=24),
        "medium": datetime.timedelta(days=3),
        "low": datetime.timedelta(days=7),
    }


def test_shipped_pathways_load_and_cover_every_form_of_exploitation() -> None:
    from safepath.cases.vocabulary import Exploitation

    loaded = catalogue.load_pathways(
        catalogue.PATHWAYS_DIR,
        exploitations=frozenset(Exploitation.values),
        countries=frozenset({"KE"}),
    )
    defaults = {p.exploitation for p in loaded if p.region == "*"}
    assert defaults == set(Exploitation.values)


def _parse(data: Any) -> list[Pathway]:
    return catalogue.parse_pathways(
        data, Path("x.yaml"), service_types=TYPES, exploitations=EXPLOITATIONS, countries=COUNTRIES
    )


GOOD = {
    "version": "1",
    "source": "test",
    "region": "KE",
    "pathways": [
        {"exploitation": "begging", "steps": [{"service_type": "shelter", "urgency": "high"}]}
    ],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"region": "XX"}, "x.yaml: region"),
        ({"source": ""}, "x.yaml: top level"),
        ({"pathways": [{"exploitation": "piracy", "steps": []}]}, "pathways[0].exploitation"),
        (
            {
                "pathways": [
                    {
                        "exploitation": "begging",
                        "steps": [{"service_type": "spa", "urgency": "high"}],
                    }
                ]
            },
            "pathways[0].steps[0].service_type",
        ),
        (
            {
                "pathways": [
                    {
                        "exploitation": "begging",
                        "steps": [{"service_type": "shelter", "urgency": "now"}],
                    }
                ]
            },
            "pathways[0].steps[0].urgency",
        ),
        ({"pathways": [{"exploitation": "begging", "steps": []}]}, "at least one step"),
        ({"pathways": GOOD["pathways"] * 2}, "listed twice"),
    ],
)
def test_bad_pathway_files_are_refused_with_the_place(change: dict[str, Any], message: str) -> None:
    assert _parse(GOOD)
    with pytest.raises(CatalogueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        _parse({**GOOD, **change})


def test_bad_deadlines_refused() -> None:
    good = {
        "source": "s",
        "urgency": {
            u: {"respond_within_hours": h, "supervisor_after_hours": 1}
            for u, h in (("high", 24), ("medium", 72), ("low", 168))
        },
    }
    assert catalogue.parse_deadlines(good)["low"].respond_within == datetime.timedelta(days=7)
    backwards = {
        **good,
        "urgency": {
            **good["urgency"],
            "high": {"respond_within_hours": 500, "supervisor_after_hours": 1},
        },
    }
    with pytest.raises(CatalogueError, match="longer deadline"):
        catalogue.parse_deadlines(backwards)
    with pytest.raises(CatalogueError, match=r"urgency\.medium"):
        catalogue.parse_deadlines(
            {
                **good,
                "urgency": {
                    **good["urgency"],
                    "medium": {"respond_within_hours": 0, "supervisor_after_hours": 1},
                },
            }
        )


def test_bad_taxonomy_refused() -> None:
    with pytest.raises(CatalogueError, match="parent"):
        catalogue.parse_taxonomy(
            {"version": "1", "source": "s", "types": [{"code": "a.b", "label": "B", "parent": "a"}]}
        )


PATHWAYS = [
    Pathway("*", "forced_labour", (Step("shelter", "high"), Step("legal.aid", "low")), "s"),
    Pathway("*", "begging", (Step("legal.aid", "medium"), Step("health.mental", "medium")), "s"),
    Pathway("KE", "forced_labour", (Step("health.mental", "low"),), "s"),
]


@pytest.mark.parametrize(
    ("exploitations", "region", "expected"),
    [
        (["forced_labour"], "UG", [("shelter", "high"), ("legal.aid", "low")]),
        (["forced_labour"], "KE", [("health.mental", "low")]),
        (
            ["forced_labour", "begging"],
            "UG",
            [("shelter", "high"), ("legal.aid", "medium"), ("health.mental", "medium")],
        ),
        (
            ["begging", "forced_labour"],
            "KE",
            [("legal.aid", "medium"), ("health.mental", "medium")],
        ),
        (["sexual_exploitation"], "UG", []),
        ([], "KE", []),
    ],
)
def test_recommend(exploitations: list[str], region: str, expected: list[tuple[str, str]]) -> None:
    found = catalogue.recommend(PATHWAYS, exploitations=exploitations, region=region)
    assert [(r.service_type, r.urgency) for r in found] == expected


@given(
    exploitations=st.lists(
        st.sampled_from(["forced_labour", "begging", "sexual_exploitation"]), max_size=4
    ),
    region=st.sampled_from(["KE", "UG"]),
)
def test_recommend_never_repeats_a_type_and_only_uses_the_cases_pathways(
    exploitations: list[str], region: str
) -> None:
    found = catalogue.recommend(PATHWAYS, exploitations=exploitations, region=region)
    types = [r.service_type for r in found]
    assert len(types) == len(set(types))
    allowed = {
        step.service_type
        for p in PATHWAYS
        if p.exploitation in exploitations and p.region in (region, "*")
        for step in p.steps
    }
    assert set(types) <= allowed
    assert all(r.exploitation in exploitations for r in found)
