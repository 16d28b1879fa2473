"""Versioned reference lists (MCC groups, merchant names, countries, memo keywords) as tables.

Name and memo lists are matched once per DISTINCT value in the data (not per transaction), so a
substring list stays cheap at 10 M rows: ``merchant_grp(name, grp)``, ``memo_grp(memo, grp)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import yaml

from safepath.finance.engine.schema import country_codes, currency_codes

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
REPORTING_FILE = "reporting_thresholds.yaml"


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


@dataclass(frozen=True)
class ReportingProfile:
    """One jurisdiction's reporting levels, in its own currency (``reporting_thresholds.yaml``).

    ``cash`` / ``wire`` are None where the jurisdiction has no such level; ``cash_statutory`` is
    False where the cash level is a reference, not a statutory report (GB, DE, the EU)."""

    jurisdiction: str
    currency: str
    home_currency: bool
    cash: Decimal | None
    cash_statutory: bool
    wire: Decimal | None
    source: str


def reporting_profiles() -> dict[str, ReportingProfile]:
    """Every profile, validated: a bad file raises ValueError naming the jurisdiction and field."""
    return _profiles(_read(REPORTING_FILE)["jurisdictions"])


def _profiles(raw: Any) -> dict[str, ReportingProfile]:
    if not isinstance(raw, dict) or "default" not in raw:
        raise ValueError(f"{REPORTING_FILE}: jurisdictions must be a mapping with a 'default'")
    profiles: dict[str, ReportingProfile] = {}
    homes: dict[str, str] = {}
    for key, entry in raw.items():
        name = str(key)
        where = f"{REPORTING_FILE}: jurisdictions.{name}"
        if name not in ("default", "EU") and name not in country_codes():
            raise ValueError(f"{where}: not an ISO 3166 alpha-2 code, 'EU' or 'default'")
        currency = str(entry.get("currency", ""))
        if currency not in currency_codes():
            raise ValueError(f"{where}.currency: not an ISO 4217 code: {currency!r}")
        levels: dict[str, Decimal | None] = {}
        for kind in ("cash", "wire"):
            if kind not in entry:
                raise ValueError(f"{where}.{kind}: required (null where there is no level)")
            level = entry[kind]
            if level is None:
                levels[kind] = None
                continue
            if not str(level.get("source", "")).strip():
                raise ValueError(f"{where}.{kind}.source: a level needs its source")
            try:
                amount = Decimal(str(level["amount"]))
            except (KeyError, InvalidOperation) as error:
                raise ValueError(f"{where}.{kind}.amount: a positive number is required") from error
            if amount <= 0:
                raise ValueError(f"{where}.{kind}.amount: a positive number is required")
            levels[kind] = amount
        home = bool(entry.get("home_currency", False))
        if home:
            if currency in homes:
                raise ValueError(f"{where}.home_currency: {currency} already has {homes[currency]}")
            homes[currency] = name
        cash = entry["cash"]
        profiles[name] = ReportingProfile(
            jurisdiction=name,
            currency=currency,
            home_currency=home,
            cash=levels["cash"],
            cash_statutory=bool(cash.get("statutory", False)) if cash else False,
            wire=levels["wire"],
            source="; ".join(str(entry[k]["source"]) for k in ("cash", "wire") if entry[k]),
        )
    return profiles


def checklist() -> dict[str, dict[str, Any]]:
    return dict(_read("checklist.yaml")["items"])


def versions() -> dict[str, str]:
    names = (
        "mcc_groups.yaml",
        "merchants.yaml",
        "countries.yaml",
        "memo_keywords.yaml",
        "rates.yaml",
        REPORTING_FILE,
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
    _install_reporting(con)
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


def _install_reporting(con: duckdb.DuckDBPyConnection) -> None:
    """``ref_reporting``: one row per profile, its levels in its own currency and, for amounts
    in another currency, in the screening's base currency (through ``fx_rate``)."""
    rows = list(reporting_profiles().values())
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ref_reporting_raw AS SELECT "
        "unnest(?::VARCHAR[]) AS jurisdiction, unnest(?::VARCHAR[]) AS currency, "
        "unnest(?::BOOLEAN[]) AS home_currency, unnest(?::DECIMAL(24,2)[]) AS cash_threshold, "
        "unnest(?::BOOLEAN[]) AS cash_statutory, unnest(?::DECIMAL(24,2)[]) AS wire_threshold",
        [
            [p.jurisdiction for p in rows],
            [p.currency for p in rows],
            [p.home_currency for p in rows],
            [p.cash for p in rows],
            [p.cash_statutory for p in rows],
            [p.wire for p in rows],
        ],
    )
    con.execute(
        "CREATE OR REPLACE TABLE ref_reporting AS SELECT p.*, "
        "round(p.cash_threshold * r.rate, 2)::DECIMAL(24,2) AS cash_threshold_base, "
        "round(p.wire_threshold * r.rate, 2)::DECIMAL(24,2) AS wire_threshold_base "
        "FROM ref_reporting_raw p LEFT JOIN fx_rate r ON r.currency = p.currency"
    )
    con.execute("DROP TABLE ref_reporting_raw")
