"""Scoring: weights add per typology, the threshold decides, repeats are suppressed."""

from __future__ import annotations

from datetime import date

import pytest

from safepath.finance.engine import RuleHit, screen
from safepath.finance.engine.scoring import (
    build_alert,
    load_typologies,
    suppress_repeats,
    typology_scores,
)
from safepath.finance.tests.engine.builders import frames, tx

PERIOD = (date(2025, 1, 1), date(2025, 1, 31))


def _hit(rule_id: str, weight: int, typology: str = "X", ids: tuple[str, ...] = ("T1",)) -> RuleHit:
    return RuleHit(rule_id, rule_id, typology, weight, ids, {"n": 1})


def test_weights_add_per_typology_and_cap_at_100() -> None:
    hits = [_hit("A", 60), _hit("B", 30), _hit("C", 30)]
    member = {"A": ("X", "Y"), "B": ("X",), "C": ("X",)}
    assert typology_scores(hits, member) == {"X": 100, "Y": 60}


@pytest.mark.parametrize(
    ("weights", "expected"),
    [((30, 15), None), ((30, 20), ("medium", 50)), ((50, 30), ("high", 80))],
)
def test_threshold_and_bands(weights: tuple[int, int], expected: tuple[str, int] | None) -> None:
    hits = [_hit("A", weights[0]), _hit("B", weights[1])]
    alert = build_alert(
        customer_id="C1",
        period=PERIOD,
        hits=hits,
        memberships={},
        config=load_typologies(),
        threshold=50,
        total_amount_base=0,
        base_currency="USD",
    )  # type: ignore[arg-type]
    assert (None if alert is None else (alert.band, alert.score)) == expected


def test_alert_explains_rules_evidence_and_parameters() -> None:
    alert = build_alert(
        customer_id="C1",
        period=PERIOD,
        hits=[_hit("A", 60, ids=("T2", "T3"))],
        memberships={},
        config=load_typologies(),
        threshold=50,
        total_amount_base=0,
        base_currency="USD",
    )  # type: ignore[arg-type]
    assert alert is not None
    data = alert.as_dict()
    assert {k: data[k] for k in ("customer_id", "score", "typologies")} == {
        "customer_id": "C1",
        "score": 60,
        "typologies": ["X"],
    }
    assert data["rules"][0]["id"] == "A"
    assert data["rules"][0]["evidence_txn_ids"] == ["T2", "T3"]
    assert data["rules"][0]["parameters"] == {"n": 1}
    assert any("context only" in item for item in data["checklist"])


def test_repeat_with_no_new_evidence_is_suppressed_new_evidence_is_not() -> None:
    def alert(ids: tuple[str, ...]):  # type: ignore[no-untyped-def]
        return build_alert(
            customer_id="C1",
            period=PERIOD,
            hits=[_hit("A", 60, ids=ids)],
            memberships={},
            config=load_typologies(),
            threshold=50,
            total_amount_base=0,
            base_currency="USD",
        )  # type: ignore[arg-type]

    old = alert(("T1", "T2"))
    kept, dropped = suppress_repeats([alert(("T1",)), alert(("T1", "T9"))], [old])
    assert [a.evidence_txn_ids for a in kept] == [("T1", "T9")]
    assert len(dropped) == 1


def test_one_alert_per_customer_per_month() -> None:
    rows = [tx(day=d, channel="prepaid_load", amount=100) for d in (0, 1, 2, 3)]
    rows += [tx(day=d, channel="prepaid_load", amount=100) for d in (40, 41, 42, 43)]
    t, c = frames(rows)
    monthly = screen(t, c, rule_ids=["HT-12"], threshold=1, period="month")
    assert [(a.period_start.isoformat(), len(a.evidence_txn_ids)) for a in monthly.alerts] == [
        ("2025-03-01", 4),
        ("2025-04-01", 4),
    ]
    whole = screen(t, c, rule_ids=["HT-12"], threshold=1)
    assert [len(a.evidence_txn_ids) for a in whole.alerts] == [8]


def test_single_weak_indicator_does_not_alert_at_the_default_threshold() -> None:
    t, c = frames([tx(day=d, channel="prepaid_load", amount=100) for d in range(4)])
    assert screen(t, c).alerts == []
    assert screen(t, c, threshold=15).alerts[0].score == 15


def test_parameter_override_changes_the_outcome_and_is_reported() -> None:
    t, c = frames([tx(day=d, channel="prepaid_load", amount=100) for d in range(3)])
    assert screen(t, c, rule_ids=["HT-12"], threshold=1).alerts == []
    [alert] = screen(
        t, c, rule_ids=["HT-12"], threshold=1, params={"HT-12": {"min_count": 3}}
    ).alerts
    assert alert.hits[0].parameters["min_count"] == 3


def test_spill_file_mode_gives_the_same_alerts_and_cleans_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    t, c = frames([tx(day=d, channel="prepaid_load", amount=100) for d in range(4)])
    in_memory = screen(t, c, threshold=1)
    spilled = screen(t, c, threshold=1, spill_dir=tmp_path, memory_limit="256MB")
    assert [a.as_dict() for a in spilled.alerts] == [a.as_dict() for a in in_memory.alerts]
    assert list(tmp_path.iterdir()) == []
