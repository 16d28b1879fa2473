"""Instrument texts in the worker's language.

An instrument file holds English. ``instruments/translations/<language>/<instrument id>.json``
may give, for that language, any of: ``title``, ``summary``, ``items`` ({item id: {"text",
"help"}}), ``dimensions`` ({id: {"title"}}) and ``outcomes`` ({outcome: {"action"}}). What a
translation lacks falls back to English, and the page says so. A translation that names an item,
dimension or outcome the instrument does not have is refused when loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from safepath.screening.instruments import INSTRUMENT_DIR, Instrument, InstrumentError

TRANSLATION_DIR = INSTRUMENT_DIR / "translations"
SECTIONS = {"title", "summary", "items", "dimensions", "outcomes"}


@dataclass(frozen=True)
class Texts:
    """Everything a page shows of one instrument, in one language."""

    language: str
    title: str
    summary: str
    items: dict[str, tuple[str, str]]  # id -> (question, help)
    dimensions: dict[str, str]
    actions: dict[str, str]
    untranslated: tuple[str, ...] = field(default_factory=tuple)  # item ids still in English

    def question(self, item_id: str) -> str:
        return self.items[item_id][0]

    def help(self, item_id: str) -> str:
        return self.items[item_id][1]


def _check(path: Path, instrument: Instrument, data: Any) -> dict[str, Any]:
    where = f"translations/{path.parent.name}/{path.name}"
    if not isinstance(data, dict):
        raise InstrumentError(where, "a translation file holds one JSON object")
    unknown = set(data) - SECTIONS
    if unknown:
        raise InstrumentError(where, f"unknown section {sorted(unknown)[0]!r}")
    known = {
        "items": {item.id for item in instrument.items},
        "dimensions": {dimension.id for dimension in instrument.dimensions},
        "outcomes": set(instrument.outcomes),
    }
    for section, ids in known.items():
        for key, value in (data.get(section) or {}).items():
            if key not in ids:
                raise InstrumentError(
                    f"{where}, {section[:-1]} {key}", f"{instrument.id} has no such {section[:-1]}"
                )
            if not isinstance(value, dict):
                raise InstrumentError(f"{where}, {section[:-1]} {key}", "must be an object")
    return data


@cache
def _load(language: str, instrument_id: str) -> dict[str, Any]:
    from safepath.screening.instruments import get

    path = TRANSLATION_DIR / language / f"{instrument_id}.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InstrumentError(str(path.name), f"not valid JSON: {error.msg}") from None
    return _check(path, get(instrument_id), data)


def texts(instrument: Instrument, language: str) -> Texts:
    data = _load(language.split("-")[0], instrument.id) if language != "en" else {}
    items_tr = data.get("items") or {}
    items = {}
    untranslated = []
    for item in instrument.items:
        tr = items_tr.get(item.id) or {}
        if "text" not in tr and language != "en":
            untranslated.append(item.id)
        items[item.id] = (tr.get("text", item.text), tr.get("help", item.help))
    return Texts(
        language=language,
        title=data.get("title", instrument.title),
        summary=data.get("summary", instrument.summary),
        items=items,
        dimensions={
            d.id: (data.get("dimensions") or {}).get(d.id, {}).get("title", d.title)
            for d in instrument.dimensions
        },
        actions={
            name: (data.get("outcomes") or {}).get(name, {}).get("action", rec.action)
            for name, rec in instrument.outcomes.items()
        },
        untranslated=tuple(untranslated),
    )


def check_all() -> list[str]:
    """Load every translation file; return 'language/id' for each one found (errors raise)."""
    from safepath.screening.instruments import catalogue

    found = []
    for path in sorted(TRANSLATION_DIR.glob("*/*.json")):
        if path.stem not in catalogue():
            raise InstrumentError(
                f"translations/{path.parent.name}/{path.name}", "no instrument with this id"
            )
        _load(path.parent.name, path.stem)
        found.append(f"{path.parent.name}/{path.stem}")
    return found
