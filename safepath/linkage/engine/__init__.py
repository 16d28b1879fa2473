"""SafePath linkage engine: finding the same child across registers, scripts and borders.

Pure Python (no Django). The web app and the CLI call only what is exported here:

* ``dedupe(records, threshold=0.9, backend="duckdb") -> LinkResult`` and
  ``link(left, right, ...) -> LinkResult``: Splink 5 probabilistic linkage on canonical
  records (see ``canonical.CANONICAL_COLUMNS``); ``LinkResult.pairs``, ``.clusters``,
  ``.explain(id_1, id_2) -> list[FieldEvidence]``.
* ``names.name_keys(text) -> NameKeys``: cross-script name keys.
* ``clk.encode(records, schema, secret) -> list[str]`` (base64 CLKs) and
  ``pprl.match(left, right, threshold=...) -> list[(left_id, right_id, score)]``.
* ``CanonicalError`` / ``EncodingMismatchError``: both carry ``.problems`` (list of str).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from safepath.linkage.engine.canonical import (
    CANONICAL_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    load_mapping,
    read_records,
    to_canonical,
)
from safepath.linkage.engine.errors import (
    CanonicalError,
    EncodingMismatchError,
    LinkageError,
    SchemaError,
)
from safepath.linkage.engine.names import NameKeys, name_keys

if TYPE_CHECKING:
    from safepath.linkage.engine.splink_model import FieldEvidence, LinkResult, Progress

__all__ = [
    "CANONICAL_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "CanonicalError",
    "EncodingMismatchError",
    "FieldEvidence",
    "LinkResult",
    "LinkageError",
    "NameKeys",
    "SchemaError",
    "dedupe",
    "link",
    "load_mapping",
    "name_keys",
    "read_records",
    "to_canonical",
]


def dedupe(
    records: pd.DataFrame,
    *,
    threshold: float = 0.9,
    backend: str = "duckdb",
    progress: Progress | None = None,
    model: dict[str, Any] | None = None,
) -> LinkResult:
    """Pairs of records (``id_1, id_2, match_probability``) that describe the same child.

    ``records`` may be raw (it is validated with ``to_canonical``) or already canonical.
    ``model``: parameters saved by ``LinkResult.model()``; training is then skipped.
    Splink is imported lazily: importing the engine stays cheap for the web app.
    """
    from safepath.linkage.engine.splink_model import dedupe_records

    return dedupe_records(
        _canonical(records, "records"),
        threshold=threshold,
        backend=backend,
        progress=progress,
        model=model,
    )


def link(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    threshold: float = 0.9,
    backend: str = "duckdb",
    progress: Progress | None = None,
    model: dict[str, Any] | None = None,
) -> LinkResult:
    """Pairs across two sets (``left_id, right_id, match_probability``)."""
    from safepath.linkage.engine.splink_model import link_records

    return link_records(
        _canonical(left, "left"),
        _canonical(right, "right"),
        threshold=threshold,
        backend=backend,
        progress=progress,
        model=model,
    )


def _canonical(records: pd.DataFrame, label: str) -> pd.DataFrame:
    if records.attrs.get("safepath_canonical"):
        return records
    frame = to_canonical(records, label=label)
    frame.attrs["safepath_canonical"] = True
    return frame


def __getattr__(name: str) -> object:
    """Lazy access to the Splink-backed result types without importing Splink eagerly."""
    if name in ("FieldEvidence", "LinkResult"):
        from safepath.linkage.engine import splink_model

        return getattr(splink_model, name)
    raise AttributeError(name)
