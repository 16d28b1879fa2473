"""The dashboard's one door to the engine's tables: cells, always through disclosure control."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from safepath.evidence.engine.dimensions import CASES_SOURCE, InputError
from safepath.evidence.engine.store import AnalysisStore, StoreError
from safepath.evidence.engine.tables import build_table


class TableError(ValueError):
    """The engine refused the table (unknown dimension or value); the message says why."""


def dashboard_cells(
    store: AnalysisStore, by: Sequence[str], where: dict[str, str], k: int
) -> list[dict[str, Any]]:
    """The cells of ``cases`` by ``by`` under ``where``, small counts suppressed (k)."""
    try:
        table = build_table(store, CASES_SOURCE, by=list(by), where=where or None, k=k)
    except (InputError, StoreError) as error:
        raise TableError(str(error)) from error
    return [dict(cell) for cell in table.cells]


def source_cells(store: AnalysisStore, source: str, dimension: str, k: int) -> list[dict[str, Any]]:
    """The cells of an imported ``source`` by one ``dimension``, small counts suppressed (k)."""
    try:
        table = build_table(store, source, by=[dimension], k=k)
    except (InputError, StoreError) as error:
        raise TableError(str(error)) from error
    return [dict(cell) for cell in table.cells]
