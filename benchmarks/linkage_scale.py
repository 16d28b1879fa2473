"""Scale: deduplicate N synthetic person records (default 1,000,000) with the Splink engine.

Run: ``nice -n 5 .venv/bin/python benchmarks/linkage_scale.py --records 1000000``.
Prints wall time per stage (the time to pairs is what ``safepath link dedupe`` waits for;
clustering is lazy and timed separately), predicted pairs, recall/precision against the
generator's truth and peak resident memory. Data: people drawn from Faker's English,
Arabic and Russian name lists (each person in one script), 1 to 3 records each, 30 % of
duplicates with a one-character typo in a name, 20 % with only an estimated birth year
(+/-1), 5 % with no birth information at all; 2,000 locations.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safepath.linkage.engine import (
    features,
    splink_model,
    to_canonical,
)


def names() -> tuple[NDArray[Any], NDArray[Any]]:
    from faker.providers.person.ar_AA import Provider as Arabic
    from faker.providers.person.en_US import Provider as English
    from faker.providers.person.ru_RU import Provider as Russian

    given = list(English.first_names) + list(Arabic.first_names) + list(Russian.first_names_male)
    family = list(English.last_names) + list(Arabic.last_names) + list(Russian.last_names_male)
    return np.array(sorted(set(given))), np.array(sorted(set(family)))


def typo(rng: np.random.Generator, values: NDArray[Any]) -> NDArray[Any]:
    out = values.copy()
    for i, text in enumerate(values):
        if len(text) > 3:
            k = int(rng.integers(1, len(text) - 1))
            out[i] = text[:k] + text[k + 1 :]
    return out


def generate(n_records: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    given, family = names()
    people = int(n_records / 1.6)
    person_given = rng.integers(0, len(given), people)
    person_family = rng.integers(0, len(family), people)
    birth = pd.to_datetime("2004-01-01") + pd.to_timedelta(rng.integers(0, 18 * 365, people), "D")
    location = rng.integers(0, 2000, people)
    copies = rng.choice([1, 2, 3], size=people, p=[0.55, 0.3, 0.15])
    person = np.repeat(np.arange(people), copies)[:n_records]
    first_copy = np.r_[True, person[1:] != person[:-1]]
    g = given[person_given[person]].astype(object)
    f = family[person_family[person]].astype(object)
    noisy = ~first_copy & (rng.random(len(person)) < 0.3)
    which = rng.random(len(person)) < 0.5
    g[noisy & which] = typo(rng, g[noisy & which])
    f[noisy & ~which] = typo(rng, f[noisy & ~which])
    dob = pd.Series(birth[person].strftime("%Y-%m-%d"), dtype=object)
    year = pd.Series(birth[person].year + rng.choice([-1, 0, 0, 1], len(person)), dtype="Int64")
    roll = rng.random(len(person))
    estimated = roll < 0.2
    missing = (roll >= 0.2) & (roll < 0.25)
    dob[estimated | missing] = ""
    year[~estimated] = pd.NA
    return pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(len(person))],
            "person": person,
            "given_name": g,
            "family_name": f,
            "date_of_birth": dob,
            "birth_year_estimate": year,
            "location": [f"loc{v}" for v in location[person]],
            "sex": np.where(person_given[person] % 2 == 0, "f", "m"),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    raw = generate(args.records)
    timings["generate"] = time.perf_counter() - start
    t = time.perf_counter()
    records = to_canonical(raw.drop(columns=["person"]).astype({"birth_year_estimate": "string"}))
    prepared = features.prepare(records)
    timings["canonical_and_name_keys"] = time.perf_counter() - t
    t = time.perf_counter()
    stages: dict[str, float] = {}
    last = [time.perf_counter()]

    def progress(label: str) -> None:
        now = time.perf_counter()
        stages[label] = now
        last[0] = now

    _linker, predictions, clusterer = splink_model._run(
        [prepared],
        link_type="dedupe_only",
        threshold=args.threshold,
        backend="duckdb",
        progress=progress,
    )
    pairs = predictions.as_pandas_dataframe()[["unique_id_l", "unique_id_r"]]
    pairs_ready = time.perf_counter()
    timings["splink_setup"] = stages["training"] - t
    timings["training"] = stages["predicting"] - stages["training"]
    timings["predict"] = pairs_ready - stages["predicting"]
    # Clusters are computed lazily (the CLI writes pairs only); timed here on their own.
    clusterer()
    end = time.perf_counter()
    timings["clustering"] = end - pairs_ready
    person = dict(zip(raw.record_id, raw.person, strict=True))
    tp = int(sum(person[a] == person[b] for a, b in pairs.itertuples(index=False)))
    counts = raw.groupby("person").size()
    truth = int((counts * (counts - 1) // 2).sum())
    total = end - start
    print(
        json.dumps(
            {
                "records": len(raw),
                "seconds_total_excluding_generation": round(total - timings["generate"], 1),
                "seconds_to_pairs_excluding_generation": round(
                    total - timings["generate"] - timings["clustering"], 1
                ),
                "seconds": {k: round(v, 1) for k, v in timings.items()},
                "predicted_pairs": len(pairs),
                "true_pairs": truth,
                "precision": round(tp / max(len(pairs), 1), 4),
                "recall": round(tp / truth, 4),
                "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
