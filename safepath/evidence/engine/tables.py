"""Tables on demand: counts by any dimensions, with disclosure control that nothing bypasses.

``build_table`` is the only way out of the store for counts (``validation_frequencies`` exists
for the CTDC validation script and is never wired to a CLI verb or API). Every table it returns
went through one of two controls:

* ``epsilon`` is None: the threshold rule plus secondary suppression (``suppression.py``);
* ``epsilon`` given: OpenDP noisy counts (``dp.py``) over the dimensions' public categories,
  then the threshold rule applied to the noisy figures (post-processing: no extra privacy
  cost; small noisy counts are too unreliable to print). The caller that spends the epsilon
  must record it in the privacy-budget ledger (``services.py`` does).

Each cell is ``{"<dim>": value, ..., "count": n or None, "suppressed": bool}``; a dimension
value of ``"_T"`` (SDMX's code for a total) marks a total over that dimension, ``None`` a
case where the dimension is not recorded. DP cells add ``noise_scale`` and ``ci95``.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from safepath.evidence.engine import dp, suppression
from safepath.evidence.engine.dimensions import Dimension, DimensionError, InputError, resolve
from safepath.evidence.engine.store import AnalysisStore, CountStore, SourceInfo, table_name

TOTAL = "_T"
DEFAULT_K = 11
MAX_DP_CELLS = 200_000  # OpenDP noises ~40,000 cells a second here; keep a release under 5 s
ENGINE_VERSION = "1"

Where = dict[str, Any]


@dataclass
class Table:
    cells: list[dict[str, Any]]
    metadata: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"metadata": self.metadata, "cells": self.cells}


def check_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise InputError(f"k must be a whole number of at least 2 (got {k}).", field_name="k")
    return k


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _normalise_where(info: SourceInfo, where: Where | None) -> dict[str, list[str | None]]:
    dims = info.dimension_map()
    clean: dict[str, list[str | None]] = {}
    for name, raw in (where or {}).items():
        if name not in dims:
            raise DimensionError(
                f"Unknown dimension '{name}' in the filter; allowed dimensions: {', '.join(dims)}.",
                field_name="where",
            )
        values = raw if isinstance(raw, list | tuple) else [raw]
        values = [None if v is None else str(v) for v in values]
        allowed = dims[name].values
        for value in values:
            if value is not None and allowed is not None and value not in allowed:
                shown = ", ".join(allowed[:40]) + (" ..." if len(allowed) > 40 else "")
                raise DimensionError(
                    f"Filter {name}: value '{value}' is not allowed; allowed values: {shown}.",
                    field_name="where",
                )
        clean[name] = values
    return clean


def _where_sql(
    dims: dict[str, Dimension], where: dict[str, list[str | None]]
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for name, values in where.items():
        column = _quote(name)
        present = [v for v in values if v is not None]
        parts = []
        if dims[name].multi:
            if present:
                parts.append(f"list_has_any(CAST({column} AS VARCHAR[]), CAST(? AS VARCHAR[]))")
                params.append(present)
            if None in values:
                parts.append(f"({column} IS NULL OR array_length({column}) = 0)")
        else:
            if present:
                parts.append(f"CAST({column} AS VARCHAR) IN ({', '.join('?' * len(present))})")
                params.extend(present)
            if None in values:
                parts.append(f"{column} IS NULL")
        clauses.append("(" + " OR ".join(parts) + ")")
    return (" AND ".join(clauses) or "TRUE"), params


def _aggregate(
    store: CountStore,
    info: SourceInfo,
    dims: list[Dimension],
    where: dict[str, list[str | None]],
) -> list[tuple[Any, ...]]:
    """Interior counts: one row per observed combination, multi-valued dimensions unnested."""
    selects = []
    for dim in dims:
        column = _quote(dim.name)
        if dim.multi:
            selects.append(
                f"UNNEST(CASE WHEN {column} IS NULL OR array_length({column}) = 0 "
                f"THEN [NULL::VARCHAR] ELSE CAST({column} AS VARCHAR[]) END) AS {column}"
            )
        else:
            selects.append(f"CAST({column} AS VARCHAR) AS {column}")
    condition, params = _where_sql(info.dimension_map(), where)
    names = ", ".join(_quote(d.name) for d in dims)
    sql = (
        f"SELECT {names}, count(*) AS n FROM (SELECT {', '.join(selects)} "  # noqa: S608 - quoted, declared names
        f'FROM "{table_name(info.name)}" WHERE {condition}) GROUP BY ALL'
    )
    # A filter on a multi-valued dimension in ``by`` keeps the other forms of the chosen cases
    # in the unnested rows; ``build_table`` drops them by restricting that dimension's categories.
    return store.rows(sql, params)


def _categories(
    dim: Dimension, observed: set[str | None], chosen: list[str | None] | None, public: bool
) -> list[str | None]:
    if public:
        if dim.values is None:
            raise DimensionError(
                f"Dimension '{dim.name}' has no public list of values, so it cannot be used "
                "in a differentially private table (its categories would leak).",
            )
        domain: list[str | None] = [*dim.values, None]
    else:
        order = {v: i for i, v in enumerate(dim.values or ())}
        present = sorted(
            (v for v in observed if v is not None), key=lambda v: (order.get(v, 1 << 30), v)
        )
        domain = [*present, *([None] if None in observed else [])]
    if chosen is not None:
        domain = [v for v in domain if v in chosen]
    return domain


def build_table(
    store: CountStore,
    source: str,
    by: Sequence[str],
    where: Where | None = None,
    k: int = DEFAULT_K,
    epsilon: float | None = None,
) -> Table:
    """Counts of ``source`` by ``by`` (filtered by ``where``), safe to publish."""
    k = check_k(k)
    if epsilon is not None:
        epsilon = dp.check_epsilon(epsilon)
    info = store.source(source)
    dims = resolve(info.dimension_map(), list(by))
    multi = [d for d in dims if d.multi]
    if len(multi) > 1:
        raise DimensionError("A table may use one multi-valued dimension at most.")
    filters = _normalise_where(info, where)
    rows = _aggregate(store, info, dims, filters)
    layer_dim = multi[0] if multi else None
    flat_dims = [d for d in dims if not d.multi]
    public = epsilon is not None
    cats = {
        d.name: _categories(d, {row[i] for row in rows}, filters.get(d.name), public)
        for i, d in enumerate(dims)
    }
    if public:
        size = int(np.prod([len(cats[d.name]) for d in dims]))
        if size > MAX_DP_CELLS:
            raise DimensionError(
                f"This table would have {size} cells; a differentially private table is "
                f"limited to {MAX_DP_CELLS}. Use fewer or coarser dimensions, or a filter."
            )
    layers: list[str | None] = cats[layer_dim.name] if layer_dim else [None]
    index = {d.name: {v: i for i, v in enumerate(cats[d.name])} for d in dims}
    shape = tuple(len(cats[d.name]) for d in flat_dims)
    interior = np.zeros((len(layers), *shape), dtype=np.int64)
    positions = [dims.index(d) for d in flat_dims]
    layer_pos = dims.index(layer_dim) if layer_dim else None
    for row in rows:
        try:
            layer = (
                index[layer_dim.name][row[layer_pos]] if layer_dim and layer_pos is not None else 0
            )
            cell = tuple(index[d.name][row[p]] for d, p in zip(flat_dims, positions, strict=True))
        except KeyError:
            continue  # a category outside the public domain or the filter: not tabulated
        interior[(layer, *cell)] += row[-1]
    cells: list[dict[str, Any]] = []
    metadata: dict[str, Any] = {
        "source": info.name,
        "source_schema": info.schema,
        "source_loaded_at": info.loaded_at.isoformat(),
        "by": [d.name for d in dims],
        "labels": {d.name: d.label for d in dims},
        "hxl_tags": {d.name: d.hxl for d in dims if d.hxl},
        "where": filters,
        "k": k,
        "epsilon": epsilon,
        "total_code": TOTAL,
        "generated_at": datetime.datetime.now(tz=datetime.UTC).isoformat(),
        "engine_version": ENGINE_VERSION,
    }
    if epsilon is not None:
        sensitivity = len(layer_dim.values or ()) if layer_dim else 1
        noisy = dp.noisy_counts(interior, epsilon, sensitivity=max(sensitivity, 1))
        metadata.update(
            method="differential_privacy",
            mechanism="OpenDP discrete Laplace (make_laplace), one case = privacy unit",
            noise_scale=noisy.scale,
            sensitivity=noisy.sensitivity,
            ci95_interior=noisy.accuracy,
        )
        _emit_dp(cells, flat_dims, cats, layer_dim, layers, noisy, k)
    else:
        metadata.update(method="threshold_and_secondary_suppression")
        _emit_suppressed(cells, flat_dims, cats, layer_dim, layers, interior, k, metadata)
    metadata["cells"] = len(cells)
    metadata["suppressed_cells"] = sum(1 for c in cells if c["suppressed"])
    metadata["suppressed_by_dimension"] = _suppressed_by_dimension(cells, dims)
    return Table(cells=cells, metadata=metadata)


def _labels(
    flat_dims: list[Dimension], cats: dict[str, list[str | None]], cell: tuple[int, ...]
) -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for dim, i in zip(flat_dims, cell, strict=True):
        values = cats[dim.name]
        labels[dim.name] = TOTAL if i == len(values) else values[i]
    return labels


def _emit_suppressed(
    cells: list[dict[str, Any]],
    flat_dims: list[Dimension],
    cats: dict[str, list[str | None]],
    layer_dim: Dimension | None,
    layers: list[str | None],
    interior: npt.NDArray[np.int64],
    k: int,
    metadata: dict[str, Any],
) -> None:
    primary = secondary = 0
    for layer_number, layer in enumerate(layers):
        values = suppression.with_margins(interior[layer_number])
        result = suppression.suppress(values, k)
        primary += int(result.primary.sum())
        secondary += int(result.secondary.sum())
        hidden = result.suppressed
        for cell in itertools.product(*(range(n) for n in values.shape)):
            record = _labels(flat_dims, cats, cell)
            if layer_dim:
                record = {layer_dim.name: layer, **record}
            is_hidden = bool(hidden[cell])
            record["count"] = None if is_hidden else int(values[cell])
            record["suppressed"] = is_hidden
            cells.append(record)
    metadata["primary_suppressed"] = primary
    metadata["secondary_suppressed"] = secondary


def _emit_dp(
    cells: list[dict[str, Any]],
    flat_dims: list[Dimension],
    cats: dict[str, list[str | None]],
    layer_dim: Dimension | None,
    layers: list[str | None],
    noisy: dp.NoisyCounts,
    k: int,
) -> None:
    for layer_number, layer in enumerate(layers):
        values = suppression.with_margins(noisy.values[layer_number])
        shape = noisy.values[layer_number].shape
        for cell in itertools.product(*(range(n + 1) for n in shape)):
            record = _labels(flat_dims, cats, cell)
            if layer_dim:
                record = {layer_dim.name: layer, **record}
            summed = int(np.prod([n if i == n else 1 for i, n in zip(cell, shape, strict=True)]))
            accuracy = dp.sum_accuracy(noisy.scale, summed, noisy.accuracy)
            count = max(int(values[cell]), 0)
            hidden = count < k
            record["count"] = None if hidden else count
            record["suppressed"] = hidden
            record["noise_scale"] = noisy.scale
            record["ci95"] = (
                None
                if hidden
                else [max(0.0, round(count - accuracy, 1)), round(count + accuracy, 1)]
            )
            cells.append(record)


def _suppressed_by_dimension(
    cells: list[dict[str, Any]], dims: list[Dimension]
) -> dict[str, dict[str, int]]:
    """Per dimension, how many suppressed cells each category lost (for the methodology note)."""
    report: dict[str, dict[str, int]] = {}
    for dim in dims:
        counts: dict[str, int] = {}
        for cell in cells:
            value = cell[dim.name]
            if cell["suppressed"] and value != TOTAL:
                key = "(not recorded)" if value is None else str(value)
                counts[key] = counts.get(key, 0) + 1
        report[dim.name] = dict(sorted(counts.items(), key=lambda item: -item[1]))
    return report


def validation_frequencies(store: AnalysisStore, source: str, field: str) -> dict[str | None, int]:
    """Raw one-way frequencies, UNPROTECTED: only for checking an import against its publisher's
    own published frequencies (benchmarks/evidence_ctdc_tabstat.py). Never expose it."""
    info = store.source(source)
    resolve(info.dimension_map(), [field])
    with store.connect() as con:
        rows = con.execute(
            f"SELECT CAST({_quote(field)} AS VARCHAR), count(*) FROM "  # noqa: S608
            f'"{table_name(info.name)}" GROUP BY ALL'
        ).fetchall()
    return {value: int(n) for value, n in rows}
