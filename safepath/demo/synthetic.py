"""Synthetic children and cases whose mix follows CTDC's published frequencies for minors.

Names come from Faker's locales in many scripts (Latin, Arabic, Cyrillic, Devanagari, Bengali,
Thai, Chinese ...), drawn into pools once so that a hundred thousand cases take seconds.
Nothing here is a real person.
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from faker import Faker

from safepath.cases.vocabulary import Exploitation, Sex

FIXTURE = Path(__file__).with_name("ctdc_proportions.json")
POOL = 200  # names drawn per locale and sex


@cache
def proportions() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class SyntheticCase:
    given_name: str
    family_name: str
    sex: str
    date_of_birth: datetime.date
    date_of_birth_estimated: bool
    nationality: str
    identified_on: datetime.date
    forms_of_exploitation: list[str]
    country_of_exploitation: str


class NamePools:
    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._pools: dict[tuple[str, str], tuple[list[str], list[str]]] = {}

    def names(self, locale: str, sex: str) -> tuple[list[str], list[str]]:
        key = (locale, sex)
        if key not in self._pools:
            fake = Faker(locale)
            fake.seed_instance(self._seed + len(self._pools))
            first: Callable[[], str] = {
                Sex.FEMALE.value: fake.first_name_female,
                Sex.MALE.value: fake.first_name_male,
            }.get(sex, fake.first_name)
            self._pools[key] = (
                [first() for _ in range(POOL)],
                [fake.last_name() for _ in range(POOL)],
            )
        return self._pools[key]


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    labels = list(table)
    return rng.choices(labels, weights=[table[label] for label in labels])[0]


def _exploitation(rng: random.Random) -> list[str]:
    kind = _weighted(rng, proportions()["exploitation"])
    return {
        "forced_labour_only": [Exploitation.FORCED_LABOUR.value],
        "sexual_only": [Exploitation.SEXUAL.value],
        "both": [Exploitation.FORCED_LABOUR.value, Exploitation.SEXUAL.value],
    }.get(kind, [Exploitation.NOT_KNOWN.value])


def _age(rng: random.Random) -> int:
    band = _weighted(
        rng, {k: v for k, v in proportions()["age_band_assumption"].items() if k != "note"}
    )
    low, high = (int(part) for part in band.split("-"))
    return rng.randint(low, high)


def generate(
    count: int, *, seed: int = 2026, today: datetime.date | None = None
) -> Iterator[SyntheticCase]:
    rng = random.Random(seed)
    pools = NamePools(seed)
    today = today or datetime.date.today()  # noqa: DTZ011 - a calendar date, no time zone meant
    table = proportions()
    countries = table["countries_by_region"]
    all_places = [place for places in countries.values() for place in places]
    sexes = {"female": Sex.FEMALE.value, "male": Sex.MALE.value, "unknown": Sex.UNKNOWN.value}
    for _ in range(count):
        sex = sexes[_weighted(rng, table["gender"])]
        origin = _weighted(rng, table["region_of_origin"])
        country, locale = rng.choice(countries.get(origin) or all_places)
        exploitation_region = _weighted(rng, table["region_of_exploitation"])
        exploited_in = rng.choice(countries.get(exploitation_region) or all_places)[0]
        first_names, last_names = pools.names(locale, sex)
        identified_on = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
        age = _age(rng)
        birth = identified_on - datetime.timedelta(days=age * 365 + rng.randint(1, 364))
        yield SyntheticCase(
            given_name=rng.choice(first_names),
            family_name=rng.choice(last_names),
            sex=sex,
            date_of_birth=birth,
            date_of_birth_estimated=rng.random() < 0.3,
            nationality=country if origin != "unknown" else "",
            identified_on=identified_on,
            forms_of_exploitation=_exploitation(rng),
            country_of_exploitation=exploited_in if exploitation_region != "unknown" else "",
        )
