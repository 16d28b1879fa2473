"""Consultation results as safe aggregates: counts by answer and age band, threshold and secondary
suppression from the evidence engine. No Django here.

For each question a table is built: one row per option (or, for a written question, "answered")
plus one row for "skipped", one column per age band, and totals on both axes. Every cell with
1 to k-1 children is suppressed, then as many other cells as it takes for the hidden ones not to
be worked out from the totals (``evidence.engine.suppression``, the same code as the published
statistics). Zeros are shown (they describe nobody), except in a row or column whose total is
hidden, where a zero would tell what every child of a small group answered. The number who took
part, by age band, goes through the same rules. Who gave which answers is never an output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from safepath.evidence.engine import suppression
from safepath.participation.consultations import FREE_TEXT, Consultation, Question

DEFAULT_K = 11
TOTAL = "_T"  # SDMX's code for a total, as in the evidence tables
SKIPPED = "_skipped"
ANSWERED = "_answered"


@dataclass(frozen=True)
class Response:
    """One child's answers: the age band, then question id -> option id or text (None: skipped).
    A question missing from ``answers`` was not asked (its condition was not met) or not reached."""

    age_band: str
    answers: Mapping[str, str | None]


@dataclass(frozen=True)
class Cell:
    count: int | None  # None when suppressed
    suppressed: bool

    @property
    def shown(self) -> str:
        return "" if self.count is None else str(self.count)


@dataclass
class Table:
    """Rows (option ids, ANSWERED, SKIPPED, TOTAL) by columns (age bands, TOTAL)."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def cell(self, row: str, column: str = TOTAL) -> Cell:
        return self.cells[(row, column)]

    @property
    def total(self) -> Cell:
        return self.cells[(TOTAL, TOTAL)]

    @property
    def suppressed_cells(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.suppressed)


@dataclass
class QuestionResult:
    question: Question
    table: Table


@dataclass
class Results:
    k: int
    bands: list[str]
    taking_part: Table  # one row (TOTAL) by age band
    questions: list[QuestionResult]

    @property
    def suppressed_cells(self) -> int:
        return self.taking_part.suppressed_cells + sum(
            q.table.suppressed_cells for q in self.questions
        )


def protect(
    interior: npt.NDArray[np.int64], k: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """(table with totals, suppressed mask): the evidence engine's threshold and secondary rule,
    then ``hide_small_groups``."""
    values = suppression.with_margins(interior.astype(np.int64))
    return values, hide_small_groups(suppression.suppress(values, k).suppressed)


def hide_small_groups(hidden: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """In a row or column whose total is hidden, hide the zeros too.

    The engine shows zeros (they describe nobody). But beside a hidden total, zeros tell what
    every child of a small group answered: three children of 16 and 17, five zeros and one
    hidden cell, and each of the three is known to have given that answer. Hiding more never
    reveals more, so this runs after the engine, until nothing changes (hiding a row of totals
    may hide a column's total)."""
    hidden = hidden.copy()
    while True:
        before = int(hidden.sum())
        for axis in range(hidden.ndim):
            lines = np.moveaxis(hidden, axis, -1)  # a view: writes go through to ``hidden``
            lines[lines[..., -1]] = True
        if int(hidden.sum()) == before:
            return hidden


def _table(
    rows: Sequence[str], bands: Sequence[str], interior: npt.NDArray[np.int64], k: int
) -> Table:
    """Protect ``interior`` (rows x bands); with one band, the band column is the total column."""
    table = Table(rows=[*rows, TOTAL], columns=[*bands, TOTAL] if len(bands) > 1 else [TOTAL])
    if len(bands) > 1:
        values, hidden = protect(interior, k)
        for i, row in enumerate(table.rows):
            for j, column in enumerate(table.columns):
                table.cells[(row, column)] = _cell(values[i, j], hidden[i, j])
    else:
        values, hidden = protect(interior[:, 0], k)
        for i, row in enumerate(table.rows):
            table.cells[(row, TOTAL)] = _cell(values[i], hidden[i])
    return table


def _cell(value: Any, hidden: Any) -> Cell:
    return Cell(count=None if hidden else int(value), suppressed=bool(hidden))


def _rows(question: Question) -> list[str]:
    if question.type == FREE_TEXT:
        return [ANSWERED, SKIPPED]
    return [*question.option_ids(), SKIPPED]


def _row_of(question: Question, value: str | None) -> str:
    if value is None:
        return SKIPPED
    return ANSWERED if question.type == FREE_TEXT else value


def tabulate(
    consultation: Consultation, responses: Iterable[Response], k: int = DEFAULT_K
) -> Results:
    """Every question's protected table, and how many took part, by age band."""
    if k < 2:
        raise ValueError("k must be at least 2")
    bands = [band.id for band in consultation.age_bands]
    band_index = {band: j for j, band in enumerate(bands)}
    rows = {q.id: _rows(q) for q in consultation.questions}
    counts = {
        q.id: np.zeros((len(rows[q.id]), len(bands)), dtype=np.int64)
        for q in consultation.questions
    }
    taking_part = np.zeros((1, len(bands)), dtype=np.int64)
    for response in responses:
        j = band_index.get(response.age_band)
        if j is None:
            continue  # a band the consultation does not have: never stored by the services
        taking_part[0, j] += 1
        for question in consultation.questions:
            if question.id not in response.answers:
                continue
            row = _row_of(question, response.answers[question.id])
            try:
                i = rows[question.id].index(row)
            except ValueError:
                continue  # an option this version no longer offers: not counted
            counts[question.id][i, j] += 1
    return Results(
        k=k,
        bands=bands,
        taking_part=_taking_part(bands, taking_part, k),
        questions=[
            QuestionResult(q, _table(rows[q.id], bands, counts[q.id], k))
            for q in consultation.questions
        ],
    )


def _taking_part(bands: list[str], counts: npt.NDArray[np.int64], k: int) -> Table:
    """One row: children taking part by band, and the total (a one-way table with its margin)."""
    values, hidden = protect(counts[0], k)
    table = Table(rows=[TOTAL], columns=[*bands, TOTAL] if len(bands) > 1 else [TOTAL])
    if len(bands) > 1:
        for j, column in enumerate(table.columns):
            table.cells[(TOTAL, column)] = _cell(values[j], hidden[j])
    else:
        table.cells[(TOTAL, TOTAL)] = _cell(values[-1], hidden[-1])
    return table


def single_figure(count: int, k: int = DEFAULT_K) -> Cell:
    """One count on its own (no totals to protect it with): zero shown, 1 to k-1 suppressed."""
    hidden = 0 < count < k
    return Cell(count=None if hidden else count, suppressed=hidden)


def recoverable_cells(
    values: npt.NDArray[np.float64], hidden: npt.NDArray[np.bool_]
) -> list[tuple[int, ...]]:
    """The hidden cells an attacker can work out from a published table (tests and audits).

    Like the evidence engine's attacker (``suppression.interval_bounds``), but told that a hidden
    cell may be zero, since ``hide_small_groups`` hides zeros: for each hidden cell, the lowest
    and highest value the published rows and columns allow (linear programming); a cell whose
    interval holds one integer is disclosed. ``values`` may hold anything where ``hidden``."""
    from scipy.optimize import linprog

    cells = [tuple(int(i) for i in cell) for cell in np.argwhere(hidden)]
    if not cells:
        return []
    number = {cell: n for n, cell in enumerate(cells)}
    rows: list[list[float]] = []
    rhs: list[float] = []
    for fiber in suppression.fibers(values.shape):
        for line in fiber:
            members = [tuple(int(i) for i in np.unravel_index(f, values.shape)) for f in line]
            row = [0.0] * len(cells)
            known = 0.0
            for position, cell in enumerate(members):
                sign = -1.0 if position == len(members) - 1 else 1.0  # members minus the total
                if cell in number:
                    row[number[cell]] += sign
                else:
                    known += sign * float(values[cell])
            if any(row):
                rows.append(row)
                rhs.append(-known)
    found = []
    for cell, n in number.items():
        bounds = []
        for sign in (1.0, -1.0):
            objective = [0.0] * len(cells)
            objective[n] = sign
            result = linprog(objective, A_eq=rows, b_eq=rhs, bounds=(0, None), method="highs")
            if result.status not in (0, 3):
                raise RuntimeError(f"attacker LP failed: {result.message}")
            bounds.append(float("inf") if result.status == 3 else sign * float(result.fun))
        if suppression.is_recoverable(bounds[0], bounds[1]):
            found.append(cell)
    return found
