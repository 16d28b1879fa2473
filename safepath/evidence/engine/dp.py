"""Differentially private counts with OpenDP: noise scale and 95% interval for every figure.

The privacy unit is one case. In a table by single-valued dimensions a case adds 1 to exactly
one interior cell, so the interior counts have L1 sensitivity 1; with a multi-valued dimension
(forms of exploitation) a case may add 1 to each of that dimension's public values, so the
sensitivity is the number of those values. OpenDP's discrete Laplace mechanism (``make_laplace``
over integers) adds noise of scale ``sensitivity / epsilon`` to each interior cell; the
measurement's own privacy map is checked to be within epsilon before anything is released.

Totals are sums of noisy interior cells (post-processing: no further privacy cost, and the
table stays additive). Their 95% interval uses the normal approximation to a sum of
independent discrete-Laplace noises; a single cell's interval is OpenDP's exact accuracy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from safepath.evidence.engine.dimensions import InputError

ALPHA = 0.05  # 95% intervals


class BudgetError(InputError):
    """Epsilon is not a positive number (or exceeds what may be spent)."""

    def __init__(self, message: str, *, field_name: str = "epsilon") -> None:
        super().__init__(message, field_name=field_name)


@dataclass(frozen=True)
class NoisyCounts:
    values: npt.NDArray[np.int64]
    scale: float
    accuracy: float  # half-width of the 95% interval of one noisy count
    epsilon: float
    sensitivity: int


def check_epsilon(epsilon: object) -> float:
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float):
        raise BudgetError(f"epsilon must be a number greater than 0 (got {epsilon}).")
    if math.isnan(epsilon) or epsilon <= 0:
        raise BudgetError(f"epsilon must be a number greater than 0 (got {epsilon}).")
    if math.isinf(epsilon):
        raise BudgetError("epsilon must be finite.")
    return float(epsilon)


def noisy_counts(
    counts: npt.NDArray[np.int64], epsilon: float, sensitivity: int = 1
) -> NoisyCounts:
    """Add discrete Laplace noise to integer counts so the release is epsilon-DP."""
    import opendp.prelude as dp

    epsilon = check_epsilon(epsilon)
    dp.enable_features("contrib")
    scale = sensitivity / epsilon
    measurement = dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale
    )
    spent = float(measurement.map(sensitivity))  # type: ignore[no-untyped-call]
    if spent > epsilon * (1 + 1e-9):
        raise BudgetError(f"OpenDP reports epsilon {spent}, above the requested {epsilon}.")
    flat = np.asarray(counts, dtype=np.int64).ravel()
    noisy = np.asarray(measurement(flat.tolist()), dtype=np.int64).reshape(np.shape(counts))
    accuracy = float(dp.discrete_laplacian_scale_to_accuracy(scale, ALPHA))
    return NoisyCounts(
        values=noisy, scale=scale, accuracy=accuracy, epsilon=epsilon, sensitivity=sensitivity
    )


def sum_accuracy(scale: float, cells: int, single: float) -> float:
    """95% half-width of a sum of ``cells`` independent discrete-Laplace noises."""
    if cells <= 1:
        return single
    p = math.exp(-1.0 / scale)
    variance = 2 * p / (1 - p) ** 2
    return 1.959964 * math.sqrt(cells * variance)
