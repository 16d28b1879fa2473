"""Splink dedupe and link on the shipped three-script fixture (180 synthetic records)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from safepath.linkage.engine import LinkResult, dedupe, link, read_records
from safepath.linkage.engine.splink_model import evidence_sentence

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def children() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "children_3scripts.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def deduped(children: pd.DataFrame) -> LinkResult:
    return dedupe(children.drop(columns=["child"]), threshold=0.5)


def _truth(children: pd.DataFrame) -> set[tuple[str, str]]:
    pairs = set()
    for _, group in children.groupby("child"):
        ids = sorted(group["record_id"])
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return pairs


def test_dedupe_finds_the_same_child_across_scripts(
    children: pd.DataFrame, deduped: LinkResult
) -> None:
    truth = _truth(children)
    predicted = {tuple(sorted(p)) for p in zip(deduped.pairs.id_1, deduped.pairs.id_2, strict=True)}
    true_positives = len(predicted & truth)
    assert list(deduped.pairs.columns) == ["id_1", "id_2", "match_probability"]
    assert deduped.pairs["match_probability"].between(0.5, 1.0).all()
    assert true_positives / len(truth) >= 0.8, (true_positives, len(truth))
    assert true_positives / len(predicted) >= 0.8, (true_positives, len(predicted))
    scripts_bridged = {tuple(sorted((a[:2], b[:2]))) for a, b in predicted & truth}
    assert scripts_bridged == {("ar", "cy"), ("ar", "la"), ("cy", "la")}


def test_clusters_cover_every_record(children: pd.DataFrame, deduped: LinkResult) -> None:
    assert set(deduped.clusters["record_id"]) == set(children["record_id"])
    assert deduped.clusters["cluster_id"].nunique() < len(children)


def test_explanation_of_a_predicted_pair(deduped: LinkResult) -> None:
    id_1, id_2 = deduped.pairs.iloc[0][["id_1", "id_2"]]
    evidence = deduped.explain(id_1, id_2)
    fields = [e.field for e in evidence]
    assert fields[:3] == ["given_name", "family_name", "date_of_birth"]
    for item in evidence:
        assert item.bayes_factor == pytest.approx(2**item.log2_bayes_factor)
        assert item.sentence
    bars = deduped.chart_data(id_1, id_2)
    assert bars[0]["field"] == "prior"
    assert bars[-1]["cumulative_log2"] == pytest.approx(
        deduped.prior_log2_bayes_factor + sum(e.log2_bayes_factor for e in evidence)
    )


def test_explanation_of_a_pair_below_threshold(children: pd.DataFrame, deduped: LinkResult) -> None:
    ids = children["record_id"].tolist()
    listed = set(zip(deduped.pairs.id_1, deduped.pairs.id_2, strict=True))
    pair = next(
        (a, b) for a in ids for b in ids if a < b and (a, b) not in listed and (b, a) not in listed
    )
    assert len(deduped.explain(*pair)) >= 3
    with pytest.raises(KeyError):
        deduped.explain("no-such-id", ids[0])


def test_link_between_two_agencies() -> None:
    left = read_records(FIXTURES / "agency_arabic.csv")
    right = read_records(FIXTURES / "agency_latin.csv")
    result = link(left, right, threshold=0.5)
    assert list(result.pairs.columns) == ["left_id", "right_id", "match_probability"]
    assert result.pairs["left_id"].str.startswith("ar-").all()
    assert result.pairs["right_id"].str.startswith("la-").all()
    correct = (result.pairs["left_id"].str[3:] == result.pairs["right_id"].str[3:]).sum()
    assert correct >= 0.8 * len(left)


@pytest.mark.parametrize(
    ("factor", "expected"),
    [
        (8.0, "Family name (exact) makes a match 8.0 times more likely."),
        (0.25, "Family name (exact) makes a match 4.0 times less likely."),
        (1.0, "Family name is missing on one side or neutral: no evidence either way."),
    ],
)
def test_evidence_sentence(factor: float, expected: str) -> None:
    assert evidence_sentence("family_name", "exact", factor) == expected
