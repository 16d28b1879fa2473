# ruff: noqa: RUF001, RUF003
"""Held-out generator: two children's registers, one in Latin script and one in Arabic (or
Dari) or Cyrillic script, with the truth.

Written blind (see benchmarks/heldout/README.md): the author did not read SafePath's matching
code or its rules. Sources: research/record_linkage_anchors.md sections 4.3, 5.1 and 7.4
(cross-script names, no short vowels in Arabic script, several Latin conventions per name,
estimated ages, siblings) and general knowledge of registration practice (1 January assigned
when a date is unknown, Russian forms of Ukrainian names in Russian registers, Russian surname
endings for girls).

    python benchmarks/heldout/crossscript_children.py --children 3000 --seed 7 --out /tmp/xs

writes `left.csv` (Latin script: a reception agency), `right.csv` (the origin register, in
the child's script), `dedupe.csv` (both files in one, for `safepath link dedupe`),
`truth_pairs.csv` (left_id, right_id of the same child) and `truth_records.csv` (record_id,
child_id, family_id, clan_id, file, population, perturbations), so errors can be told apart:
siblings, cousins, and which corruptions a missed pair carried.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import children_names as names
from translit import (
    arabic_script_variant,
    cyr_to_latin,
    latin_arabic_variant,
    typo,
)

COLUMNS = [
    "record_id",
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "birth_year_estimate",
    "place_of_birth",
    "nationality",
    "mother_given_name",
    "father_given_name",
    "location",
    "source",
]
REFERENCE_DATE = dt.date(2026, 6, 1)


@dataclass(frozen=True)
class Population:
    country: str
    script: str  # "arabic" (also Dari) or "cyrillic"
    boys: list
    girls: list
    families: list
    share: float
    russian_surname: bool = False  # -ов/-ев take -а for girls


POPULATIONS = [
    Population(
        "SY", "arabic", names.ARABIC_BOYS, names.ARABIC_GIRLS, names.ARABIC_FAMILIES_WIDE, 0.24
    ),
    Population(
        "IQ", "arabic", names.ARABIC_BOYS, names.ARABIC_GIRLS, names.ARABIC_FAMILIES_WIDE, 0.14
    ),
    Population(
        "SD", "arabic", names.ARABIC_BOYS, names.ARABIC_GIRLS, names.ARABIC_FAMILIES_WIDE, 0.10
    ),
    Population("AF", "arabic", names.DARI_BOYS, names.DARI_GIRLS, names.DARI_FAMILIES_WIDE, 0.14),
    Population(
        "UA",
        "cyrillic",
        names.UKRAINIAN_BOYS,
        names.UKRAINIAN_GIRLS,
        names.UKRAINIAN_FAMILIES_WIDE,
        0.28,
    ),
    Population(
        "RU",
        "cyrillic",
        names.CHECHEN_BOYS,
        names.CHECHEN_GIRLS,
        names.CHECHEN_FAMILIES_WIDE,
        0.10,
        True,
    ),
]


def zipf_weights(n: int, exponent: float = 1.1, top_boost: float = 1.0) -> np.ndarray:
    """Rank weights 1/rank^s, the first name boosted (a few names are very common)."""
    w = 1.0 / np.arange(1, n + 1) ** exponent
    w[0] *= top_boost
    return w / w.sum()


def pick(rng: np.random.Generator, items: list, weights: np.ndarray | None = None):
    return items[int(rng.choice(len(items), p=weights))]


@dataclass
class Child:
    child_id: int
    family_id: int
    clan_id: int
    pop: Population
    sex: str
    given: tuple
    family: tuple
    father: tuple
    mother: tuple
    dob: dt.date
    place: tuple
    home: tuple  # where the origin register puts the child now


def _girl_surname(entry: tuple, pop: Population) -> tuple:
    if pop.russian_surname and entry[0].endswith(("ов", "ев", "ин")):
        return (entry[0] + "а", entry[1], [v + "a" for v in entry[2]], entry[3])
    return entry


def make_children(rng: np.random.Generator, n_children: int) -> list[Child]:
    shares = np.array([p.share for p in POPULATIONS])
    shares /= shares.sum()
    children: list[Child] = []
    family_id = clan_id = 0
    while len(children) < n_children:
        pop = POPULATIONS[int(rng.choice(len(POPULATIONS), p=shares))]
        boost_boys = 2.5 if pop.script == "arabic" else 1.0
        w_boys = zipf_weights(len(pop.boys), exponent=0.8, top_boost=boost_boys)
        w_girls = zipf_weights(len(pop.girls), exponent=0.8)
        w_fam = zipf_weights(len(pop.families), exponent=0.5)
        clan_id += 1
        surname = pick(rng, pop.families, w_fam)
        places = names.PLACES[pop.country]
        place = pick(rng, places)
        home = place if rng.random() < 0.6 else pick(rng, places)
        for _ in range(int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1]))):  # brothers' families
            family_id += 1
            father = pick(rng, pop.boys, w_boys)
            mother = pick(rng, pop.girls, w_girls)
            n_kids = int(rng.choice([1, 2, 3, 4, 5], p=[0.25, 0.3, 0.25, 0.12, 0.08]))
            born = dt.date(int(rng.integers(2008, 2024)), 1, 1) + dt.timedelta(
                days=int(rng.integers(0, 365))
            )
            used: set[str] = set()
            for k in range(n_kids):
                if k and rng.random() > 0.03:  # 3 % twins: same date of birth
                    born += dt.timedelta(days=int(rng.integers(300, 4 * 365)))
                if born >= REFERENCE_DATE or len(children) >= n_children:
                    break
                sex = "M" if rng.random() < 0.52 else "F"
                pool, w = (pop.boys, w_boys) if sex == "M" else (pop.girls, w_girls)
                for _try in range(20):
                    given = pick(rng, pool, w)
                    if given[0] not in used:
                        break
                used.add(given[0])
                fam = surname if sex == "M" else _girl_surname(surname, pop)
                children.append(
                    Child(
                        len(children) + 1,
                        family_id,
                        clan_id,
                        pop,
                        sex,
                        given,
                        fam,
                        father,
                        mother,
                        born,
                        place,
                        home,
                    )
                )
    return children


# --- rendering ---------------------------------------------------------------------------

_SCHEMES_UA = (
    ["icao", "ua_national", "english", "german", "french", "conventional"],
    np.array([0.3, 0.25, 0.18, 0.1, 0.05, 0.12]),
)
_SCHEMES_RU = (
    ["icao", "english", "german", "french", "conventional"],
    np.array([0.35, 0.3, 0.12, 0.08, 0.15]),
)


def latin_of(
    rng: np.random.Generator, entry: tuple, pop: Population, flags: list[str] | None = None
) -> str:
    """One Latin spelling of a name entry, as a Latin-script clerk would write it."""
    if pop.script == "arabic":
        spellings = entry[1]
        name = pick(rng, spellings, zipf_weights(len(spellings), exponent=1.3))
        if rng.random() < 0.25:
            name = latin_arabic_variant(rng, name)
            if flags is not None:
                flags.append("latin_variant")
        return name
    schemes, weights = _SCHEMES_UA if pop.country == "UA" else _SCHEMES_RU
    scheme = pick(rng, schemes, weights / weights.sum())
    if scheme == "conventional" and entry[2]:
        return pick(rng, entry[2])
    return cyr_to_latin(entry[0], "english" if scheme == "conventional" else scheme)


def native_of(
    rng: np.random.Generator,
    entry: tuple,
    pop: Population,
    russified: bool,
    flags: list[str] | None = None,
) -> str:
    if pop.script == "arabic":
        name = entry[0]
        if rng.random() < 0.3:
            name = arabic_script_variant(rng, name)
            if flags is not None:
                flags.append("script_variant")
        return name
    if russified and entry[1]:
        return entry[1]
    return entry[0]


def render_dob(rng: np.random.Generator, dob: dt.date) -> tuple[str, str, str]:
    """(date_of_birth, birth_year_estimate, what was done) as a register would hold them."""
    mode = rng.choice(
        ["exact", "estimate", "missing", "jan1", "swap", "daytypo", "yearoff"],
        p=[0.55, 0.18, 0.09, 0.08, 0.04, 0.03, 0.03],
    )
    if mode == "estimate":
        return "", str(dob.year + int(rng.choice([-1, 0, 1], p=[0.25, 0.5, 0.25]))), mode
    if mode == "missing":
        return "", "", mode
    if mode == "jan1":
        return f"{dob.year + int(rng.choice([-1, 0, 1], p=[0.2, 0.6, 0.2]))}-01-01", "", mode
    if mode == "swap" and dob.day <= 12 and dob.day != dob.month:
        return dt.date(dob.year, dob.day, dob.month).isoformat(), "", mode
    if mode == "daytypo":
        day = min(28, max(1, dob.day + int(rng.choice([-10, -1, 1, 10]))))
        return dob.replace(day=day).isoformat(), "", mode
    if mode == "yearoff":
        year = dob.year + int(rng.choice([-1, 1]))
        return dob.replace(year=year, day=min(dob.day, 28)).isoformat(), "", mode
    return dob.isoformat(), "", "exact"


def _maybe(rng: np.random.Generator, p_keep: float, value: str) -> str:
    return value if rng.random() < p_keep else ""


def left_record(rng: np.random.Generator, c: Child, record_id: str) -> dict[str, str]:
    pop = c.pop
    flags: list[str] = []
    given = latin_of(rng, c.given, pop, flags)
    family = latin_of(rng, c.family, pop, flags)
    if rng.random() < 0.10:
        given = typo(rng, given, "latin")
        flags.append("typo")
    if rng.random() < 0.10:
        family = typo(rng, family, "latin")
        flags.append("typo")
    if rng.random() < 0.03 and pop.script == "arabic":  # father's name registered as surname
        family = latin_of(rng, c.father, pop)
        flags.append("father_as_surname")
    if rng.random() < 0.06:
        given, family = family, given
        flags.append("swapped")
    other = ""
    if rng.random() < 0.12:
        other = latin_of(rng, c.given, pop)
    dob, year, dob_mode = render_dob(rng, c.dob)
    flags.append(f"dob_{dob_mode}")
    nationality = c.pop.country
    r = rng.random()
    if r < 0.07:
        nationality = ""
    elif r < 0.10:
        nationality = {"SY": "PS", "IQ": "SY", "SD": "SS", "AF": "IR", "UA": "MD", "RU": "GE"}[
            nationality
        ]
    return {
        "record_id": record_id,
        "given_name": given,
        "family_name": family,
        "other_names": other,
        "sex": _maybe(rng, 0.97, c.sex),
        "date_of_birth": dob,
        "birth_year_estimate": year,
        "place_of_birth": _maybe(rng, 0.65, pick(rng, c.place[1])),
        "nationality": nationality,
        "mother_given_name": _maybe(rng, 0.6, latin_of(rng, c.mother, pop)),
        "father_given_name": _maybe(rng, 0.6, latin_of(rng, c.father, pop)),
        "location": pick(rng, names.RECEPTION_SITES),
        "source": "reception_agency",
        "_flags": ";".join(sorted(set(flags))),
    }


def right_record(rng: np.random.Generator, c: Child, record_id: str) -> dict[str, str]:
    pop = c.pop
    script = "arabic" if pop.script == "arabic" else "cyrillic"
    russified = pop.country == "UA" and rng.random() < 0.15
    flags: list[str] = ["russified"] if russified else []
    given = native_of(rng, c.given, pop, russified, flags)
    family = native_of(rng, c.family, pop, russified, flags)
    if rng.random() < 0.08:
        given = typo(rng, given, script)
        flags.append("typo")
    if rng.random() < 0.08:
        family = typo(rng, family, script)
        flags.append("typo")
    if rng.random() < 0.04:
        given, family = family, given
        flags.append("swapped")
    other = ""
    if pop.script == "cyrillic" and c.given[3] and rng.random() < 0.3:
        other = c.given[3]
    dob, year, dob_mode = render_dob(rng, c.dob)
    flags.append(f"dob_{dob_mode}")
    nationality = pop.country
    if russified and rng.random() < 0.5:
        nationality = "RU"
    elif rng.random() < 0.05:
        nationality = ""
    return {
        "record_id": record_id,
        "given_name": given,
        "family_name": family,
        "other_names": other,
        "sex": _maybe(rng, 0.98, c.sex),
        "date_of_birth": dob,
        "birth_year_estimate": year,
        "place_of_birth": _maybe(rng, 0.75, c.place[0]),
        "nationality": nationality,
        "mother_given_name": _maybe(rng, 0.7, native_of(rng, c.mother, pop, russified)),
        "father_given_name": _maybe(rng, 0.7, native_of(rng, c.father, pop, russified)),
        "location": c.home[0],
        "source": "origin_register",
        "_flags": ";".join(sorted(set(flags))),
    }


def generate(n_children: int, seed: int, out: Path) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    children = make_children(rng, n_children)
    presence = rng.choice(["both", "left", "right"], size=len(children), p=[0.62, 0.2, 0.18])
    left_ids = iter(rng.permutation(900_000)[: 3 * len(children)] + 100_000)
    right_ids = iter(rng.permutation(900_000)[: 3 * len(children)] + 100_000)
    left: list[dict[str, str]] = []
    right: list[dict[str, str]] = []
    truth_records: list[tuple[str, int, int, int, str, str, str]] = []
    for c, where in zip(children, presence, strict=True):
        copies = 0
        if where in {"both", "left"}:
            copies = 2 if rng.random() < 0.05 else 1  # re-registered at a second site
        for _ in range(copies):
            rid = f"L{next(left_ids)}"
            row = left_record(rng, c, rid)
            left.append(row)
            truth_records.append(
                (rid, c.child_id, c.family_id, c.clan_id, "left", c.pop.country, row["_flags"])
            )
        if where in {"both", "right"}:
            rid = f"R{next(right_ids)}"
            row = right_record(rng, c, rid)
            right.append(row)
            truth_records.append(
                (rid, c.child_id, c.family_id, c.clan_id, "right", c.pop.country, row["_flags"])
            )
    left = [left[i] for i in rng.permutation(len(left))]
    right = [right[i] for i in rng.permutation(len(right))]

    by_child_left: dict[int, list[str]] = {}
    by_child_right: dict[int, list[str]] = {}
    for rid, child_id, _f, _c, side, _p, _x in truth_records:
        (by_child_left if side == "left" else by_child_right).setdefault(child_id, []).append(rid)
    pairs = [
        (lid, rid)
        for child_id, lids in by_child_left.items()
        for lid in lids
        for rid in by_child_right.get(child_id, [])
    ]

    out.mkdir(parents=True, exist_ok=True)
    _write(out / "left.csv", COLUMNS, [[r[k] for k in COLUMNS] for r in left])
    _write(out / "right.csv", COLUMNS, [[r[k] for k in COLUMNS] for r in right])
    _write(out / "dedupe.csv", COLUMNS, [[r[k] for k in COLUMNS] for r in left + right])
    _write(out / "truth_pairs.csv", ["left_id", "right_id"], sorted(pairs))
    _write(
        out / "truth_records.csv",
        ["record_id", "child_id", "family_id", "clan_id", "file", "population", "perturbations"],
        sorted(truth_records),
    )
    return {
        "children": len(children),
        "left": len(left),
        "right": len(right),
        "true_pairs": len(pairs),
    }


def _write(path: Path, header: list[str], rows: list) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(generate(args.children, args.seed, args.out))


if __name__ == "__main__":
    main()
