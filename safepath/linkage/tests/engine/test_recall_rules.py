"""Recall blocking rules (one field, as plain Splink blocks): counted before use, and used only
while their comparisons fit the budget, so that a national register keeps its speed."""

from __future__ import annotations

import pandas as pd
import pytest

from safepath.linkage.engine.splink_model import (
    RECALL_BUDGET_PER_RECORD,
    affordable_recall_rules,
    comparisons_for,
)


def _frame(dates: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"date_of_birth": dates})


@pytest.mark.parametrize(
    ("frames", "pairs"),
    [
        ([_frame(["2010-01-01"] * 3 + ["2011-05-05"] * 2)], 3 + 1),  # dedupe: n(n-1)/2 a key
        ([_frame(["2010-01-01", "", ""])], 0),  # missing values never join
        ([_frame(["2010-01-01"] * 3), _frame(["2010-01-01"] * 2 + ["1999-09-09"])], 6),  # link
        ([_frame(["2010-01-01"]), _frame(["2011-01-01"])], 0),
    ],
)
def test_comparisons_are_counted_as_the_join_makes_them(
    frames: list[pd.DataFrame], pairs: int
) -> None:
    assert comparisons_for(frames, ("date_of_birth",)) == pairs


def test_a_rule_is_used_only_within_the_budget() -> None:
    present = {"date_of_birth"}
    spread = _frame([f"2010-01-{day:02d}" for day in range(1, 29)] * 2)  # 28 pairs, 56 records
    assert affordable_recall_rules([spread], present) == [("date_of_birth",)]
    # Everyone born the same day: n(n-1)/2 pairs, over the budget of so many per record.
    n = 2 * RECALL_BUDGET_PER_RECORD + 2
    crowded = _frame(["2010-01-01"] * n)
    assert comparisons_for([crowded], ("date_of_birth",)) > RECALL_BUDGET_PER_RECORD * n
    assert affordable_recall_rules([crowded], present) == []
    # A rule whose columns the records do not carry is never used.
    assert affordable_recall_rules([spread], set()) == []
