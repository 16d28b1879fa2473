"""Probabilistic linkage with Splink 5 (Fellegi-Sunter): dedupe one file, link two files.

Why these choices:

* Names are compared on their Latin forms (Jaro-Winkler) and then on arrays of keys
  (``names.name_keys`` variants: transliterations, Double Metaphone, consonant skeletons),
  so ``محمد`` and ``Mohammed`` reach a level with a real Bayes factor instead of "different".
* Birth dates are often estimated for children on the move: an exact date, a one-character
  typo, then the same birth year, then +/-1 and +/-2 years; a record with only an estimated
  year still compares by year.
* Blocking only ever joins on keys (name skeletons, phonetic codes, birth year, identifiers),
  never on a bare cartesian product, so the number of comparisons stays bounded.
* Training needs no labels: lambda from strict deterministic rules, u by random sampling,
  m by expectation maximisation in two sessions (blocked on names, then on birth year) so
  that every comparison gets estimated once.
* DuckDB runs in-process by default; ``backend="spark"`` uses Spark for national scale
  (see docs/linkage/engine.md).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from safepath.linkage.engine import features
from safepath.linkage.engine.errors import CanonicalError

logger = logging.getLogger(__name__)
BACKENDS = ("duckdb", "spark")
_SEED = 20260601
_U_MAX_PAIRS = 1e6
_EM_MAX_PAIRS = 1e6
_DETERMINISTIC_RECALL = 0.7
Progress = Callable[[str], None]
LinkType = Literal["dedupe_only", "link_only"]


@dataclass(frozen=True)
class FieldEvidence:
    """One field's contribution to a pair's score, for a reviewer and for a chart."""

    field: str
    level: str
    bayes_factor: float
    log2_bayes_factor: float
    sentence: str


@dataclass
class LinkResult:
    """Predicted matches, clusters, and a per-pair explanation of the score.

    ``pairs`` holds one row per predicted match (``id_1, id_2`` for dedupe, ``left_id,
    right_id`` for link) with ``match_probability``; ``clusters`` maps ``record_id`` to a
    ``cluster_id`` (connected components at the threshold; singletons included). Clusters
    are computed on first access: the CLI writes pairs only, and at a million records
    clustering costs several seconds.
    """

    pairs: pd.DataFrame
    threshold: float
    _explainer: Callable[[str, str], list[FieldEvidence]] = field(repr=False)
    _clusterer: Callable[[], pd.DataFrame] = field(repr=False)
    prior_log2_bayes_factor: float = 0.0
    _clusters: pd.DataFrame | None = field(default=None, repr=False)
    _modeller: Callable[[], dict[str, Any]] | None = field(default=None, repr=False)

    def model(self) -> dict[str, Any]:
        """The trained parameters (JSON-ready): pass them as ``model=`` to predict elsewhere.

        Train once on one machine (DuckDB), predict on Spark with the same numbers: the
        backends then agree pair for pair (safepath/linkage/tests/spark/).
        """
        if self._modeller is None:
            raise ValueError("this result has no model")
        return self._modeller()

    @property
    def clusters(self) -> pd.DataFrame:
        """``record_id, cluster_id`` for every input record (computed once, when asked)."""
        if self._clusters is None:
            self._clusters = self._clusterer()
        return self._clusters

    def explain(self, id_1: str, id_2: str) -> list[FieldEvidence]:
        """Per-field Bayes factors in words, in the order of the waterfall chart."""
        return self._explainer(str(id_1), str(id_2))

    def chart_data(self, id_1: str, id_2: str) -> list[dict[str, Any]]:
        """Waterfall bars (prior first, then one per field) as plain dicts for a chart."""
        bars: list[dict[str, Any]] = [
            {"field": "prior", "log2_bayes_factor": self.prior_log2_bayes_factor}
        ]
        for item in self.explain(id_1, id_2):
            bars.append(
                {
                    "field": item.field,
                    "level": item.level,
                    "log2_bayes_factor": item.log2_bayes_factor,
                }
            )
        running = 0.0
        for bar in bars:
            running += float(bar["log2_bayes_factor"])
            bar["cumulative_log2"] = running
        return bars


# --------------------------------------------------------------------------- comparisons


def _name_comparison(field_name: str, *, tf: bool) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    latin = f"{field_name}_latin"
    keys = f"{field_name}_keys"
    exact: Any = cll.ExactMatchLevel(latin)
    if tf:
        exact = exact.configure(tf_adjustment_column=latin, tf_adjustment_weight=1.0)
    swapped: list[Any] = []
    if field_name == "given_name":
        swapped.append(
            cll.CustomLevel(
                '"given_name_latin_l" = "family_name_latin_r" '
                'AND "family_name_latin_l" = "given_name_latin_r"',
                label_for_charts="given and family names swapped",
                # Written in DuckDB's SQL ("..." quotes a column); Splink translates it for
                # Spark, where "..." would be a string literal and the level never match.
                base_dialect_str="duckdb",
            )
        )
    return cl.CustomComparison(
        output_column_name=field_name,
        comparison_levels=[
            cll.NullLevel(latin),
            exact,
            cll.JaroWinklerLevel(latin, 0.92),
            *swapped,
            cll.JaroWinklerLevel(latin, 0.80),
            cll.ArrayIntersectLevel(keys, min_intersection=2),
            cll.ArrayIntersectLevel(keys, min_intersection=1),
            cll.ElseLevel(),
        ],
        comparison_description=f"{field_name} across scripts",
    )


def _parent_comparison(field_name: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    latin = f"{field_name}_latin"
    return cl.CustomComparison(
        output_column_name=field_name,
        comparison_levels=[
            cll.NullLevel(latin),
            cll.JaroWinklerLevel(latin, 0.92),
            cll.ArrayIntersectLevel(f"{field_name}_keys", min_intersection=1),
            cll.ElseLevel(),
        ],
    )


def _birth_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    both_dates = '"date_of_birth_l" IS NOT NULL AND "date_of_birth_r" IS NOT NULL'
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("date_of_birth"),
            cll.And(
                cll.CustomLevel(both_dates, base_dialect_str="duckdb"),
                cll.DamerauLevenshteinLevel("date_of_birth", 1),
            ),
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 1),
            cll.AbsoluteDifferenceLevel("birth_year", 2),
            cll.ElseLevel(),
        ],
        comparison_description="date of birth, or estimated birth year",
    )


def _text_comparison(field_name: str) -> Any:
    import splink.comparison_library as cl

    return cl.JaroWinklerAtThresholds(field_name, [0.95, 0.85])


def _code_comparison(field_name: str) -> Any:
    import splink.comparison_library as cl

    if field_name in ("identifier", "postcode"):
        return cl.DamerauLevenshteinAtThresholds(field_name, [1, 2])
    return cl.ExactMatch(field_name)


# Blocking on one field alone, as plain Splink is configured for people data: it finds the pairs
# whose names were both changed (a new family name, a typo in each) or are missing, which the
# name-keyed rules below never compare. One field alone makes blocks that grow with the square
# of a register, so each is used only while its comparisons stay within the budget.
RECALL_RULES: tuple[tuple[str, ...], ...] = (
    ("date_of_birth",),
    ("location", "birth_year"),
    ("given_name_block", "birth_year"),
    ("family_name_block", "birth_year"),
)
# Measured (docs/benchmarks.md): rules without a date (place and an initial, a name alone) found
# no more true pairs on the held-out cross-script registers and compared siblings instead.
RECALL_BUDGET_PER_RECORD = 20  # comparisons a recall rule may add, per record


def comparisons_for(frames: Sequence[pd.DataFrame], columns: tuple[str, ...]) -> int:
    """How many pairs blocking on exactly ``columns`` compares (missing values never join)."""

    def sizes(frame: pd.DataFrame) -> pd.Series:
        keys = frame[list(columns)].replace("", pd.NA).dropna()
        return keys.groupby(list(columns), observed=True).size()

    if len(frames) == 1:
        counts = sizes(frames[0])
        return int((counts * (counts - 1) // 2).sum())
    left, right = sizes(frames[0]), sizes(frames[1])
    joined = left.to_frame("l").join(right.to_frame("r"), how="inner")
    return int((joined["l"] * joined["r"]).sum())


def affordable_recall_rules(
    frames: Sequence[pd.DataFrame], present: set[str]
) -> list[tuple[str, ...]]:
    """The recall rules whose columns these records carry and whose pairs fit the budget."""
    budget = RECALL_BUDGET_PER_RECORD * sum(len(frame) for frame in frames)
    return [
        columns
        for columns in RECALL_RULES
        if set(columns) <= present and comparisons_for(frames, columns) <= budget
    ]


def build_settings(
    present: set[str],
    *,
    link_type: LinkType,
    recall_rules: Sequence[tuple[str, ...]] = (),
) -> dict[str, Any]:
    """Splink settings for the columns that carry data; kept bounded by key-only blocking, and
    by the budget of ``recall_rules`` (``affordable_recall_rules``)."""
    from splink import SettingsCreator, block_on

    comparisons: list[Any] = []
    for name in features.NAME_FIELDS:
        if f"{name}_latin" in present:
            comparisons.append(_name_comparison(name, tf=True))
    if "birth_year" in present:
        comparisons.append(_birth_comparison())
    for name in features.PARENT_FIELDS:
        if f"{name}_latin" in present:
            comparisons.append(_parent_comparison(name))
    for name in features.TEXT_FIELDS:
        if name in present:
            comparisons.append(_text_comparison(name))
    for name in features.EXACT_FIELDS:
        if name in present:
            comparisons.append(_code_comparison(name))

    # Each rule joins on keys fine enough that blocks stay small at a million records
    # (measured: docs/linkage/benchmarks.md); coarse keys (skeletons) are only ever
    # combined with another key.
    rules: list[Any] = [
        block_on("given_name_broad", "family_name_broad"),
        block_on("given_name_dm", "family_name_dm"),
        # A misspelt name (in any script): the other name's skeleton, the year, and the
        # first consonant of the misspelt one (skeleton + year alone is too coarse at 1M).
        block_on("family_name_broad", "birth_band_even", "given_name_ends"),
        block_on("family_name_broad", "birth_band_odd", "given_name_ends"),
        block_on("given_name_broad", "birth_band_even", "family_name_ends"),
        block_on("given_name_broad", "birth_band_odd", "family_name_ends"),
        # Given and family names swapped between registers.
        "l.given_name_block = r.family_name_block AND l.family_name_block = r.given_name_block",
    ]
    if "identifier" in present:
        rules.append(block_on("identifier"))
    # A child's name misspelt in another script still meets through a parent's name.
    if "mother_given_name_block" in present:
        rules.append(block_on("family_name_block", "mother_given_name_block", "given_name_block1"))
    if "father_given_name_block" in present:
        rules.append(block_on("given_name_block", "father_given_name_block", "family_name_block1"))
    if "location" in present:
        rules.append(block_on("location", "given_name_block", "family_name_block1"))
        rules.append(block_on("location", "family_name_block", "given_name_block1"))
    if "postcode" in present:
        rules.append(block_on("postcode", "given_name_block"))
        rules.append(block_on("postcode", "family_name_block"))
        rules.append(block_on("postcode", "birth_year"))
        if "location" in present:
            rules.append(block_on("postcode", "location"))
    if "date_of_birth" in present:
        rules.append(block_on("date_of_birth", "family_name_initial"))
    rules.extend(block_on(*columns) for columns in recall_rules)
    settings = SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )
    return {"settings": settings, "present": present}


# ------------------------------------------------------------------------------ running


def _db_api(backend: str) -> Any:
    if backend == "duckdb":
        from splink.backends.duckdb import DuckDBAPI

        return DuckDBAPI()
    if backend == "spark":
        from splink.backends.spark import SparkAPI

        from safepath.core import spark

        session = spark.session()
        # Splink breaks long query plans by writing parquet to the checkpoint directory (a
        # cluster sets one on shared storage); without one, by keeping results in memory.
        lineage = "parquet" if spark.checkpoint_dir(session) else "persist"
        return SparkAPI(  # type: ignore[no-untyped-call, unused-ignore]
            spark_session=session, break_lineage_method=lineage
        )
    raise CanonicalError([f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}"])


MODEL_FORMAT = "safepath-linkage-model/1"


def model_parameters(linker: Any) -> dict[str, Any]:
    """The trained parameters only (no SQL), so that any backend can predict with them."""
    saved = linker.misc.save_model_to_json()
    return {
        "format": MODEL_FORMAT,
        "probability_two_random_records_match": saved["probability_two_random_records_match"],
        "comparisons": [
            {
                "output_column_name": comparison["output_column_name"],
                "levels": [
                    {
                        "label": level.get("label_for_charts", ""),
                        "m_probability": level.get("m_probability"),
                        "u_probability": level.get("u_probability"),
                    }
                    for level in comparison["comparison_levels"]
                ],
            }
            for comparison in saved["comparisons"]
        ],
    }


def _with_model(model: dict[str, Any], settings: Any, dialect: str) -> dict[str, Any]:
    """These records' settings for ``dialect`` with a saved model's parameters filled in.

    The model must compare the same columns with the same levels as a model built for these
    records would (it was trained on records with the same columns); else CanonicalError.
    The SQL is always this backend's own; only the numbers travel.
    """
    if model.get("format") != MODEL_FORMAT:
        raise CanonicalError([f"the model is not a {MODEL_FORMAT} file"])
    target: dict[str, Any] = settings.create_settings_dict(dialect)
    names = [c.get("output_column_name") for c in model.get("comparisons", [])]
    expected = [c["output_column_name"] for c in target["comparisons"]]
    if names != expected:
        raise CanonicalError(
            [
                f"the model compares {', '.join(map(str, names))}; these records need "
                f"{', '.join(expected)} (train it on records with the same columns)"
            ]
        )
    for saved, comparison in zip(model["comparisons"], target["comparisons"], strict=True):
        levels = comparison["comparison_levels"]
        labels = [level.get("label_for_charts", "") for level in levels]
        if [level.get("label") for level in saved["levels"]] != labels:
            raise CanonicalError(
                [f"the model's levels for {saved['output_column_name']} differ from this version's"]
            )
        for level, values in zip(levels, saved["levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if values.get(key) is not None:
                    level[key] = values[key]
    target["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    return target


def _train(linker: Any, present: set[str]) -> None:
    from splink import block_on
    from splink.internals.exceptions import EMTrainingException

    # Keys, not Latin text, so that a pair written in two scripts counts as a sure match
    # too; otherwise lambda is underestimated a hundredfold on multi-script registers.
    deterministic = [block_on("given_name_block", "family_name_block", "birth_year")]
    if "identifier" in present:
        deterministic.append(block_on("identifier"))
    linker.training.estimate_probability_two_random_records_match(
        deterministic, recall=_DETERMINISTIC_RECALL
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=_U_MAX_PAIRS, seed=_SEED)
    # Registers of one community repeat the same few names, so pairs agreeing on names
    # alone are mostly different children and EM blurs the birth-date weights; adding a
    # parent's name (when recorded) keeps the session dominated by true matches.
    parents = [f"{p}_block" for p in features.PARENT_FIELDS if f"{p}_block" in present]
    sessions = [block_on("given_name_block", "family_name_block", *parents[:1])]
    sessions.append(
        block_on("date_of_birth") if "date_of_birth" in present else block_on("birth_year")
    )
    for rule in sessions:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=_EM_MAX_PAIRS
            )
        except (ValueError, ZeroDivisionError, EMTrainingException) as exc:
            # Tiny or degenerate inputs can make one EM session diverge; the other session
            # and Splink's default m values still give a usable (if cruder) model.
            logger.warning("EM session skipped: %s", exc)


def _run(
    prepared_frames: Sequence[pd.DataFrame],
    *,
    link_type: LinkType,
    threshold: float,
    backend: str,
    progress: Progress | None,
    model: dict[str, Any] | None = None,
) -> tuple[Any, Any, Callable[[], pd.DataFrame]]:
    """Train (unless given a trained ``model``) and predict.

    Returns the linker, the predictions and a clustering function.
    """
    from splink import Linker

    if not 0.0 < threshold <= 1.0:
        raise CanonicalError([f"threshold must be in (0, 1], not {threshold}"])
    step = progress or (lambda _label: None)
    present = set.intersection(*(features.present_columns(f) for f in prepared_frames))
    recall_rules = affordable_recall_rules(prepared_frames, present)
    settings: Any = build_settings(present, link_type=link_type, recall_rules=recall_rules)[
        "settings"
    ]
    db_api = _db_api(backend)
    if model is not None:
        settings = _with_model(model, settings, db_api.sql_dialect.sql_dialect_str)
    tables = [
        db_api.register(frame, dataset_display_name=f"records_{i}")
        for i, frame in enumerate(prepared_frames)
    ]
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.ERROR)
    step("training")
    if model is None:
        _train(linker, present)
    step("predicting")
    predictions = linker.inference.predict(threshold_match_probability=threshold)

    def clusterer() -> pd.DataFrame:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        table = clusters.as_pandas_dataframe()  # type: ignore[no-untyped-call]
        frame: pd.DataFrame = table[["unique_id", "cluster_id"]]
        frame = frame.rename(columns={"unique_id": "record_id"})
        frame["record_id"] = frame["record_id"].astype(str)
        frame["cluster_id"] = frame["cluster_id"].astype(str)
        return frame.reset_index(drop=True)

    return linker, predictions, clusterer


def _explainer(linker: Any, predictions: Any, frames: Sequence[pd.DataFrame]) -> Any:
    """Explain from the stored prediction row, or score the pair on demand if not stored."""
    from splink.internals.waterfall_chart import records_to_waterfall_data

    # Built on the first explanation only: at a million records the lookups cost more than
    # the clustering, and the CLI never explains.
    cache: dict[str, Any] = {}

    def lookups() -> tuple[pd.DataFrame, dict[tuple[str, str], int], dict[str, Any]]:
        if not cache:
            table = predictions.as_pandas_dataframe()
            cache["table"] = table
            cache["by_pair"] = {
                (str(a), str(b)): i
                for i, (a, b) in enumerate(
                    zip(table["unique_id_l"], table["unique_id_r"], strict=True)
                )
            }
            cache["records_by_id"] = {
                str(row["unique_id"]): row for frame in frames for row in frame.to_dict("records")
            }
        return cache["table"], cache["by_pair"], cache["records_by_id"]

    def explain(id_1: str, id_2: str) -> list[FieldEvidence]:
        table, by_pair, records_by_id = lookups()
        index = by_pair.get((id_1, id_2), by_pair.get((id_2, id_1)))
        if index is not None:
            record = table.iloc[index].to_dict()
        else:
            if id_1 not in records_by_id or id_2 not in records_by_id:
                raise KeyError(f"unknown record id {id_1 if id_1 not in records_by_id else id_2}")
            scored = linker.inference.score_pair(records_by_id[id_1], records_by_id[id_2])
            record = scored.as_record_list()[0]
        bars = records_to_waterfall_data(  # type: ignore[no-untyped-call]
            [record], linker._settings_obj, hide_details=True
        )
        return _evidence_from_bars(bars)

    return explain


def _evidence_from_bars(bars: list[dict[str, Any]]) -> list[FieldEvidence]:
    merged: dict[str, dict[str, Any]] = {}
    for bar in bars:
        column = str(bar.get("column_name", ""))
        if column in ("Prior", "Final score", "") or bar.get("comparison_vector_value") is None:
            continue
        name = column.removeprefix("tf_") if bar.get("term_frequency_adjustment") else column
        entry = merged.setdefault(name, {"level": "", "log2": 0.0})
        if not bar.get("term_frequency_adjustment"):
            entry["level"] = str(bar.get("label_for_charts", ""))
        log2 = bar.get("log2_bayes_factor")
        entry["log2"] += float(log2) if log2 is not None and not _isnan(log2) else 0.0
    evidence = []
    for name, entry in merged.items():
        log2 = float(entry["log2"])
        factor = 2.0**log2
        evidence.append(
            FieldEvidence(
                field=name,
                level=entry["level"],
                bayes_factor=factor,
                log2_bayes_factor=log2,
                sentence=evidence_sentence(name, entry["level"], factor),
            )
        )
    return evidence


def _isnan(value: Any) -> bool:
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def evidence_sentence(field_name: str, level: str, bayes_factor: float) -> str:
    """'Family name (exact match) makes a match 35.2 times more likely.'"""
    label = field_name.replace("_", " ").capitalize()
    if level.lower().startswith("null") or math.isclose(bayes_factor, 1.0, rel_tol=1e-9):
        return f"{label} is missing on one side or neutral: no evidence either way."
    if bayes_factor >= 1.0:
        return f"{label} ({level}) makes a match {bayes_factor:,.1f} times more likely."
    return f"{label} ({level}) makes a match {1.0 / bayes_factor:,.1f} times less likely."


def dedupe_records(
    records: pd.DataFrame,
    *,
    threshold: float = 0.9,
    backend: str = "duckdb",
    progress: Progress | None = None,
    cross_script: bool = True,
    model: dict[str, Any] | None = None,
) -> LinkResult:
    """Find records of the same person inside one set of canonical records.

    ``cross_script=False`` is the Latin-only baseline of the benchmarks (no name keys).
    """
    prepared = features.prepare(records, cross_script=cross_script)
    linker, predictions, clusterer = _run(
        [prepared],
        link_type="dedupe_only",
        threshold=threshold,
        backend=backend,
        progress=progress,
        model=model,
    )
    table = predictions.as_pandas_dataframe()
    pairs = pd.DataFrame(
        {
            "id_1": table["unique_id_l"].astype(str),
            "id_2": table["unique_id_r"].astype(str),
            "match_probability": table["match_probability"].astype(float),
        }
    )
    return _result(linker, predictions, [prepared], pairs, clusterer, threshold)


def link_records(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    threshold: float = 0.9,
    backend: str = "duckdb",
    progress: Progress | None = None,
    cross_script: bool = True,
    model: dict[str, Any] | None = None,
) -> LinkResult:
    """Pair records of ``left`` with records of ``right`` (no pairs inside one side)."""
    prepared = [
        features.prepare(left, cross_script=cross_script),
        features.prepare(right, cross_script=cross_script),
    ]
    linker, predictions, clusterer = _run(
        prepared,
        link_type="link_only",
        threshold=threshold,
        backend=backend,
        progress=progress,
        model=model,
    )
    table = predictions.as_pandas_dataframe()
    left_first = table["source_dataset_l"].astype(str) == "records_0"
    pairs = pd.DataFrame(
        {
            "left_id": table["unique_id_l"].where(left_first, table["unique_id_r"]).astype(str),
            "right_id": table["unique_id_r"].where(left_first, table["unique_id_l"]).astype(str),
            "match_probability": table["match_probability"].astype(float),
        }
    )
    return _result(linker, predictions, prepared, pairs, clusterer, threshold)


def _result(
    linker: Any,
    predictions: Any,
    frames: Sequence[pd.DataFrame],
    pairs: pd.DataFrame,
    clusterer: Callable[[], pd.DataFrame],
    threshold: float,
) -> LinkResult:
    prior = float(linker._settings_obj._probability_two_random_records_match)
    prior_log2 = math.log2(prior / (1.0 - prior)) if 0.0 < prior < 1.0 else 0.0
    return LinkResult(
        pairs=pairs.sort_values("match_probability", ascending=False).reset_index(drop=True),
        threshold=threshold,
        _explainer=_explainer(linker, predictions, frames),
        _clusterer=clusterer,
        prior_log2_bayes_factor=prior_log2,
        _modeller=lambda: model_parameters(linker),
    )
