"""Threshold rule and secondary suppression, with an attacker that solves for suppressed cells.

A table is a dense integer array whose last index on every axis is that axis's total, so each
*fiber* (the cells along one axis with the others fixed, plus their total) is one published
linear equation: members sum to the total.

1. **Primary**: every cell with ``0 < count < k`` is suppressed (CTDC's rule, k = 11 by
   default). Zeros are published: they describe no person, and the engine never suppresses
   one, so an attacker knows every suppressed cell holds at least 1.
2. **Secondary (hypercube method)**: each primary cell that is not yet protected gets a
   *box*: for every axis one other index (another category or the total), and all 2^n corners
   of the box suppressed. Moving the corners by +t/-t with alternating signs keeps every
   published equation true, so the attacker cannot tell the true table from the moved one.
   A box is accepted only if every corner is non-zero and the corners can move by at least
   one person (some integer t != 0 keeps every corner >= 1). Among acceptable boxes the one
   hiding the fewest new cells (then the fewest people) wins. Every suppressed cell is a
   corner of an accepted box, so none is recoverable, by linear programming or otherwise.
   For speed, boxes are chosen for 64 primary cells at a time with 3 candidate indices per
   axis (vectorised); a cell with no acceptable box among them is retried with 6, then 24.
3. **Attacker** (tests and audits): ``interval_bounds`` computes each suppressed cell's
   feasible interval from the published table with ``scipy.optimize.linprog``; a cell whose
   interval holds one integer only is recoverable. Without SciPy it falls back to interval
   propagation over the equations, which is sound but may be wider than the LP bounds.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
_EPS = 1e-6


@dataclass(frozen=True)
class Suppression:
    primary: BoolArray
    secondary: BoolArray
    boxes: int

    @property
    def suppressed(self) -> BoolArray:
        return self.primary | self.secondary


def fibers(shape: tuple[int, ...]) -> list[IntArray]:
    """Per axis, a (fibers, length) array of flat indices; the last column is the total."""
    index = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    return [
        np.moveaxis(index, axis, -1).reshape(-1, shape[axis]).copy() for axis in range(len(shape))
    ]


def with_margins(interior: IntArray) -> IntArray:
    """Add a total at the end of every axis (totals of totals included)."""
    table = interior
    for axis in range(interior.ndim):
        total = table.sum(axis=axis, keepdims=True)
        table = np.concatenate([table, total], axis=axis)
    return table


def _equations(
    published: npt.NDArray[np.float64], mask: BoolArray, all_fibers: list[IntArray]
) -> tuple[IntArray, list[tuple[IntArray, npt.NDArray[np.float64], float]]]:
    """The attacker's view: suppressed cells as variables and one equation per fiber.

    Each equation is (variable numbers, coefficients, right-hand side): members carry +1 and
    the total -1, so ``sum(coef * x) = rhs`` with the published cells moved to the right.
    """
    flat_mask = mask.ravel()
    flat_pub = np.where(flat_mask, 0.0, published.ravel())
    hidden_cells = np.nonzero(flat_mask)[0]
    number = np.full(flat_mask.size, -1, dtype=np.int64)
    number[hidden_cells] = np.arange(hidden_cells.size)
    equations = []
    for fiber in all_fibers:
        hidden = flat_mask[fiber]
        for row in np.nonzero(hidden.any(axis=1))[0]:
            cells = fiber[row]
            coef = np.ones(cells.size)
            coef[-1] = -1.0
            rhs = -float((coef * flat_pub[cells]).sum())
            keep = hidden[row]
            equations.append((number[cells[keep]], coef[keep], rhs))
    return hidden_cells, equations


def _components(
    n: int, equations: list[tuple[IntArray, npt.NDArray[np.float64], float]]
) -> list[list[int]]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for variables, _, _ in equations:
        first = find(int(variables[0]))
        for other in variables[1:]:
            parent[find(int(other))] = first
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _lp_bounds(
    n: int, equations: list[tuple[IntArray, npt.NDArray[np.float64], float]]
) -> npt.NDArray[np.float64]:
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    bounds = np.zeros((n, 2))
    for component in _components(n, equations):
        local = {v: i for i, v in enumerate(component)}
        rows: list[int] = []
        cols: list[int] = []
        data: list[float] = []
        rhs: list[float] = []
        for variables, coef, value in equations:
            if int(variables[0]) not in local:
                continue
            for v, c in zip(variables, coef, strict=True):
                rows.append(len(rhs))
                cols.append(local[int(v)])
                data.append(c)
            rhs.append(value)
        size = len(component)
        a_eq = csr_matrix((data, (rows, cols)), shape=(len(rhs), size))
        for i, variable in enumerate(component):
            objective = np.zeros(size)
            for sign, slot in ((1.0, 0), (-1.0, 1)):
                objective[i] = sign
                result = linprog(objective, A_eq=a_eq, b_eq=rhs, bounds=(1, None), method="highs")
                if result.status == 3:  # unbounded above
                    bounds[variable, slot] = np.inf
                elif result.status == 0:
                    bounds[variable, slot] = sign * result.fun
                else:
                    raise RuntimeError(f"attacker LP failed: {result.message}")
    return bounds


def _propagated_bounds(
    n: int, equations: list[tuple[IntArray, npt.NDArray[np.float64], float]]
) -> npt.NDArray[np.float64]:
    """Interval propagation: each equation bounds a variable by the others' bounds."""
    low = np.ones(n)
    high = np.full(n, np.inf)
    for _ in range(100):
        changed = False
        for variables, coef, rhs in equations:
            for i, v in enumerate(variables):
                others = [j for j in range(len(variables)) if j != i]
                # coef[i] * x_v = rhs - sum(coef_j * x_j)
                lo_sum = sum(
                    coef[j] * (low[variables[j]] if coef[j] > 0 else high[variables[j]])
                    for j in others
                )
                hi_sum = sum(
                    coef[j] * (high[variables[j]] if coef[j] > 0 else low[variables[j]])
                    for j in others
                )
                lo, hi = (rhs - hi_sum, rhs - lo_sum)
                if coef[i] < 0:
                    lo, hi = -hi, -lo
                if lo > low[v] + _EPS:
                    low[v], changed = lo, True
                if hi < high[v] - _EPS:
                    high[v], changed = hi, True
        if not changed:
            break
    return np.stack([low, high], axis=1)


def interval_bounds(
    published: npt.NDArray[np.float64], mask: BoolArray
) -> dict[tuple[int, ...], tuple[float, float]]:
    """What an attacker can prove about each suppressed cell from the published table.

    ``published`` holds the released counts (anything where ``mask`` is True is ignored);
    the result maps each suppressed cell's index to its (lowest, highest) feasible value.
    """
    all_fibers = fibers(published.shape)
    hidden_cells, equations = _equations(published, mask, all_fibers)
    if hidden_cells.size == 0:
        return {}
    try:
        bounds = _lp_bounds(hidden_cells.size, equations)
    except ImportError:
        bounds = _propagated_bounds(hidden_cells.size, equations)
    return {
        tuple(int(i) for i in np.unravel_index(cell, published.shape)): (
            float(bounds[n, 0]),
            float(bounds[n, 1]),
        )
        for n, cell in enumerate(hidden_cells)
    }


def is_recoverable(low: float, high: float) -> bool:
    """True when the feasible interval holds one integer only (the value is disclosed)."""
    return bool(np.floor(high + _EPS) - np.ceil(low - _EPS) < 1)


def recoverable_cells(
    published: npt.NDArray[np.float64], mask: BoolArray
) -> dict[tuple[int, ...], tuple[float, float]]:
    return {
        cell: bound
        for cell, bound in interval_bounds(published, mask).items()
        if is_recoverable(*bound)
    }


def _candidates(
    values: IntArray, mask: BoolArray, cell: tuple[int, ...], axis: int, limit: int
) -> IntArray:
    """Other indices on ``axis`` for a box around ``cell``: already hidden first, then small."""
    line = tuple(slice(None) if a == axis else i for a, i in enumerate(cell))
    neighbours = values[line]
    hidden = mask[line]
    # Sort key: visible cells after hidden ones, then by size; zeros and the cell itself excluded.
    key = np.where(hidden, 0, neighbours.astype(np.float64) + 1.0)
    key[neighbours <= 0] = np.inf
    key[cell[axis]] = np.inf
    order = np.argsort(key, kind="stable")[:limit]
    chosen: IntArray = order[np.isfinite(key[order])].astype(np.int64)
    return chosen


@functools.cache
def _corner_bits(ndim: int) -> BoolArray:
    return np.array(list(itertools.product((0, 1), repeat=ndim)), dtype=bool)


def _best_box(
    values: IntArray, mask: BoolArray, cell: tuple[int, ...], limit: int
) -> IntArray | None:
    """Flat indices of the cheapest acceptable box around ``cell`` (None if there is none)."""
    ndim = values.ndim
    alternatives = [_candidates(values, mask, cell, axis, limit) for axis in range(ndim)]
    if any(options.size == 0 for options in alternatives):
        return None
    grids = np.meshgrid(*alternatives, indexing="ij")
    combos = np.stack([g.ravel() for g in grids], axis=1)  # (B, n): one box per row
    bits = _corner_bits(ndim)  # (C, n): which axes take the box's other index
    origin = np.array(cell, dtype=np.int64)
    coords = np.where(bits[None, :, :], combos[:, None, :], origin[None, None, :])
    flat = np.ravel_multi_index(tuple(np.moveaxis(coords, -1, 0)), values.shape)
    corner_values = values.ravel()[flat]
    totals = np.array(values.shape, dtype=np.int64) - 1
    # Along an axis, two members move in opposite directions; a member and its total together.
    step_sign = np.where((origin != totals)[None, :] & (combos != totals[None, :]), -1, 1)
    sign = np.prod(np.where(bits[None, :, :], step_sign[:, None, :], 1), axis=2)
    slack = (corner_values - 1).astype(np.float64)
    down = np.where(sign > 0, slack, np.inf).min(axis=1)
    up = np.where(sign < 0, slack, np.inf).min(axis=1)
    acceptable = (corner_values > 0).all(axis=1) & (down + up >= 1)
    if not acceptable.any():
        return None
    new = ~mask.ravel()[flat]
    cost = new.sum(axis=1) * float(values.sum() + 1) + (corner_values * new).sum(axis=1)
    cost = np.where(acceptable, cost, np.inf)
    chosen: IntArray = flat[int(cost.argmin())]
    return chosen


def _best_boxes(
    values: IntArray, mask: BoolArray, cells: IntArray, limit: int
) -> tuple[IntArray, BoolArray]:
    """``_best_box`` for many cells at once (same rule, same mask): (boxes (P, C), found (P,))."""
    shape = values.shape
    ndim = values.ndim
    flat_values = values.ravel()
    flat_mask = mask.ravel()
    count = cells.shape[0]
    rows = np.arange(count)
    alternatives = []
    usable = []
    for axis in range(ndim):
        line = np.repeat(cells[:, None, :], shape[axis], axis=1)
        line[:, :, axis] = np.arange(shape[axis])
        flat = np.ravel_multi_index(tuple(np.moveaxis(line, -1, 0)), shape)
        neighbours = flat_values[flat]
        key = np.where(flat_mask[flat], 0.0, neighbours.astype(np.float64) + 1.0)
        key[neighbours <= 0] = np.inf
        key[rows, cells[:, axis]] = np.inf
        order = np.argsort(key, axis=1, kind="stable")[:, : min(limit, shape[axis])]
        alternatives.append(order)
        usable.append(np.isfinite(np.take_along_axis(key, order, axis=1)))
    picks = np.meshgrid(*(np.arange(a.shape[1]) for a in alternatives), indexing="ij")
    picks_flat = [p.ravel() for p in picks]
    combos = np.stack([alternatives[a][:, picks_flat[a]] for a in range(ndim)], axis=2)
    ok = np.all(np.stack([usable[a][:, picks_flat[a]] for a in range(ndim)], axis=2), axis=2)
    bits = _corner_bits(ndim)
    coords = np.where(bits[None, None, :, :], combos[:, :, None, :], cells[:, None, None, :])
    flat = np.ravel_multi_index(tuple(np.moveaxis(coords, -1, 0)), shape)  # (P, B, C)
    corner_values = flat_values[flat]
    totals = np.array(shape, dtype=np.int64) - 1
    step_sign = np.where((cells != totals)[:, None, :] & (combos != totals[None, None, :]), -1, 1)
    sign = np.prod(np.where(bits[None, None, :, :], step_sign[:, :, None, :], 1), axis=3)
    slack = (corner_values - 1).astype(np.float64)
    down = np.where(sign > 0, slack, np.inf).min(axis=2)
    up = np.where(sign < 0, slack, np.inf).min(axis=2)
    acceptable = ok & (corner_values > 0).all(axis=2) & (down + up >= 1)
    new = ~flat_mask[flat]
    cost = new.sum(axis=2) * float(values.sum() + 1) + (corner_values * new).sum(axis=2)
    cost = np.where(acceptable, cost, np.inf)
    best = cost.argmin(axis=1)
    found: BoolArray = acceptable[rows, best]
    boxes: IntArray = flat[rows, best]
    return boxes, found


_BATCH = 64  # boxes chosen together see the same mask; small batches keep reuse of hidden cells


def suppress(values: IntArray, k: int) -> Suppression:
    """Primary + secondary (hypercube) suppression of a table whose last indices are totals."""
    if k < 2:
        raise ValueError("k must be at least 2")
    primary = (values > 0) & (values < k)
    mask = primary.copy()
    if values.ndim == 0:  # a single figure (a layer of a multi-valued dimension): no equations
        return Suppression(primary=primary, secondary=mask & ~primary, boxes=0)
    protected = np.zeros_like(mask)
    boxes = 0
    cells = sorted(
        (tuple(int(i) for i in cell) for cell in np.argwhere(primary)), key=lambda c: values[c]
    )
    for start in range(0, len(cells), _BATCH):
        batch = [cell for cell in cells[start : start + _BATCH] if not protected[cell]]
        if not batch:
            continue
        chosen, found = _best_boxes(values, mask, np.array(batch, dtype=np.int64), 3)
        for cell, box, ok in zip(batch, chosen, found, strict=True):
            if protected[cell]:
                continue
            fallback = None
            if not ok:
                for limit in (6, 24 if values.ndim <= 3 else 10):
                    fallback = _best_box(values, mask, cell, limit)
                    if fallback is not None:
                        break
            if not ok and fallback is None:  # no box protects it: publish no non-zero cell
                mask |= values > 0
                return Suppression(primary=primary, secondary=mask & ~primary, boxes=boxes)
            box_cells = box if ok else fallback
            mask.ravel()[box_cells] = True
            protected.ravel()[box_cells] = True
            boxes += 1
    return Suppression(primary=primary, secondary=mask & ~primary, boxes=boxes)
