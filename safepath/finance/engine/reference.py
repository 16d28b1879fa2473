"""Versioned reference lists (MCC groups, merchant names, countries, memo keywords) as tables.

Name and memo lists are matched once per DISTINCT value in the data (not per transaction), so a
substring list stays cheap at 10 M rows: ``merchant_grp(name, grp)``, ``memo_grp(memo, grp)``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import yaml

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"


@cache
def _read(name: str) -> dict[str, Any]:
    data: Any = yaml.safe_load((REFERENCE_DIR / name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping")
    return data


def mcc_groups() -> dict[str, list[str]]:
    return {g: [str(c) for c in codes] for g, codes in _read("mcc_groups.yaml")["groups"].items()}


def basket() -> list[str]:
    return [str(g) for g in _read("mcc_groups.yaml")["basket"]]


def merchant_groups() -> dict[str, list[str]]:
    return {
        g: [str(n).lower() for n in names] for g, names in _read("merchants.yaml")["groups"].items()
    }


def country_lists() -> dict[str, list[str]]:
    return {
        g: [str(c) for c in v["countries"]] for g, v in _read("countries.yaml")["lists"].items()
    }


def memo_groups() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for group, languages in _read("memo_keywords.yaml")["groups"].items():
        groups[group] = [str(k).lower() for words in languages.values() for k in words]
    return groups


def checklist() -> dict[str, dict[str, Any]]:
    return dict(_read("checklist.yaml")["items"])


def versions() -> dict[str, str]:
    names = (
        "mcc_groups.yaml",
        "merchants.yaml",
        "countries.yaml",
        "memo_keywords.yaml",
        "rates.yaml",
    )
    return {name: str(_read(name).get("version", "")) for name in names}


def _pairs(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: tuple[str, str],
    rows: list[tuple[str, str]],
) -> None:
    con.execute(
        f"CREATE OR REPLACE TABLE {table} AS SELECT unnest(?::VARCHAR[]) AS {columns[0]}, "
        f"unnest(?::VARCHAR[]) AS {columns[1]}",
        [[r[0] for r in rows], [r[1] for r in rows]],
    )


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Create the reference tables the rules join against (after ``txn`` exists)."""
    _pairs(
        con, "ref_mcc", ("grp", "mcc"), [(g, c) for g, codes in mcc_groups().items() for c in codes]
    )
    con.execute(
        "CREATE OR REPLACE TABLE ref_basket AS SELECT unnest(?::VARCHAR[]) AS grp", [basket()]
    )
    _pairs(
        con,
        "ref_country",
        ("grp", "country"),
        [(g, c) for g, cs in country_lists().items() for c in cs],
    )
    _pairs(
        con,
        "ref_merchant",
        ("grp", "pattern"),
        [(g, p) for g, ps in merchant_groups().items() for p in ps],
    )
    _pairs(
        con, "ref_memo", ("grp", "pattern"), [(g, p) for g, ps in memo_groups().items() for p in ps]
    )
    con.execute(
        "CREATE OR REPLACE TABLE merchant_grp AS "
        "WITH names AS (SELECT DISTINCT merchant_name AS name FROM txn WHERE merchant_name IS NOT "
        "NULL "
        "UNION SELECT DISTINCT cp_name FROM txn WHERE cp_name IS NOT NULL) "
        "SELECT DISTINCT n.name, r.grp FROM names n JOIN ref_merchant r ON "
        "contains(strip_accents(lower(n.name)), r.pattern)"
    )
    con.execute(
        "CREATE OR REPLACE TABLE memo_grp AS "
        "WITH memos AS (SELECT DISTINCT memo FROM txn WHERE memo IS NOT NULL) "
        "SELECT DISTINCT m.memo, r.grp FROM memos m JOIN ref_memo r ON "
        "contains(strip_accents(lower(m.memo)), r.pattern)"
    )
