"""A trained model travels: saved as numbers, it predicts the same pairs without training."""

from __future__ import annotations

import json

import pytest

from safepath.linkage.engine import CanonicalError, crossscript, dedupe
from safepath.linkage.engine.splink_model import MODEL_FORMAT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def records():  # type: ignore[no-untyped-def]
    return crossscript.generate(40, seed=5).drop(columns=["child"])


def test_a_saved_model_predicts_the_same_pairs_without_training(records) -> None:  # type: ignore[no-untyped-def]
    trained = dedupe(records, threshold=0.9)
    model = json.loads(json.dumps(trained.model()))  # it is plain JSON
    assert model["format"] == MODEL_FORMAT
    steps: list[str] = []
    again = dedupe(records, threshold=0.9, model=model, progress=steps.append)
    assert again.pairs.equals(trained.pairs)
    assert steps == ["training", "predicting"]  # the step is announced, but nothing is trained


def test_a_model_for_other_columns_is_refused(records) -> None:  # type: ignore[no-untyped-def]
    model = dedupe(records, threshold=0.9).model()
    with pytest.raises(CanonicalError, match="the model compares"):
        dedupe(records.drop(columns=["location"]), model=model)


def test_a_file_that_is_not_a_model_is_refused(records) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CanonicalError, match="not a safepath-linkage-model/1 file"):
        dedupe(records, model={"comparisons": []})
