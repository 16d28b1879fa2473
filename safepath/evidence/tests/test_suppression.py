"""Threshold + secondary suppression: an LP attacker recovers no suppressed cell."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safepath.evidence.engine.suppression import (
    interval_bounds,
    recoverable_cells,
    suppress,
    with_margins,
)


def _published(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return np.where(mask, np.nan, values.astype(float))


def test_attacker_recovers_a_lone_suppressed_cell() -> None:
    values = with_margins(np.array([[3, 20], [30, 40]], dtype=np.int64))
    mask = np.zeros(values.shape, dtype=bool)
    mask[0, 0] = True
    assert recoverable_cells(_published(values, mask), mask) == {(0, 0): (3.0, 3.0)}


def test_attacker_uses_the_lower_bound_of_one() -> None:
    values = with_margins(np.array([[1, 1], [30, 40]], dtype=np.int64))
    mask = np.zeros(values.shape, dtype=bool)
    mask[0, 0] = mask[0, 1] = mask[1, 0] = mask[1, 1] = False
    mask[0, 0] = mask[0, 1] = True  # hiding a pair whose row total is 2 discloses both
    assert set(recoverable_cells(_published(values, mask), mask)) == {(0, 0), (0, 1)}


def test_primary_cells_are_those_between_one_and_k_minus_one() -> None:
    values = with_margins(np.array([[0, 10, 11], [5, 50, 60], [40, 40, 40]], dtype=np.int64))
    result = suppress(values, 11)
    assert {tuple(map(int, c)) for c in np.argwhere(result.primary)} == {(0, 1), (1, 0)}
    assert not result.suppressed[0, 0], "zeros are published"
    assert not recoverable_cells(_published(values, result.suppressed), result.suppressed)


def test_two_dimensional_table_secondary_pattern_protects() -> None:
    values = with_margins(np.array([[3, 25, 30], [40, 45, 50], [35, 2, 60]], dtype=np.int64))
    result = suppress(values, 11)
    assert result.secondary.any()
    bounds = interval_bounds(_published(values, result.suppressed), result.suppressed)
    assert set(bounds) == {tuple(map(int, c)) for c in np.argwhere(result.suppressed)}
    for low, high in bounds.values():
        assert high - low >= 1


def test_k_below_two_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        suppress(with_margins(np.ones((2, 2), dtype=np.int64)), 1)


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(
    shape=st.sampled_from([(2, 2), (3, 4), (2, 3, 2), (4, 3, 2), (1, 3)]),
    seed=st.integers(0, 10_000),
    k=st.sampled_from([3, 5, 11]),
)
def test_no_suppressed_cell_is_recoverable(shape: tuple[int, ...], seed: int, k: int) -> None:
    """The property the issue asks for, on random tables with many small cells."""
    rng = np.random.default_rng(seed)
    interior = rng.poisson(rng.lognormal(1.5, 1.2, size=shape)).astype(np.int64)
    values = with_margins(interior)
    result = suppress(values, k)
    mask = result.suppressed
    assert (mask >= result.primary).all()
    assert not mask[values == 0].any()
    assert recoverable_cells(_published(values, mask), mask) == {}
