"""Every shipped instrument has complete French, Spanish and Arabic texts, and a translation file
that names something the instrument lacks is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from safepath.screening import instruments, translations
from safepath.screening.instruments import InstrumentError

INSTRUMENTS = tuple(sorted(path.stem for path in instruments.INSTRUMENT_DIR.glob("*.json")))
LANGUAGES = ("fr", "es", "ar")
PAIRS = [(instrument_id, language) for instrument_id in INSTRUMENTS for language in LANGUAGES]


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Translation files are cached once loaded: start and end each test with an empty cache."""
    translations._load.cache_clear()
    yield
    translations._load.cache_clear()


def test_check_all_lists_a_file_per_instrument_and_language(fresh_cache: None) -> None:
    found = translations.check_all()
    expected = {f"{language}/{instrument_id}" for instrument_id, language in PAIRS}
    assert expected <= set(found)


@pytest.mark.parametrize(("instrument_id", "language"), PAIRS)
def test_every_text_is_translated(fresh_cache: None, instrument_id: str, language: str) -> None:
    instrument = instruments.get(instrument_id)
    english = translations.texts(instrument, "en")
    texts = translations.texts(instrument, language)

    assert texts.untranslated == ()
    assert texts.title != english.title
    assert texts.summary != english.summary
    for item in instrument.items:
        question, help_text = texts.items[item.id]
        assert question.strip(), item.id
        assert question != item.text, item.id
        assert help_text.strip(), item.id
        assert help_text != item.help, item.id
    for dimension in instrument.dimensions:
        assert texts.dimensions[dimension.id].strip(), dimension.id
        assert texts.dimensions[dimension.id] != dimension.title, dimension.id
    for outcome, recommendation in instrument.outcomes.items():
        assert texts.actions[outcome].strip(), outcome
        assert texts.actions[outcome] != recommendation.action, outcome


@pytest.mark.parametrize(("instrument_id", "language"), PAIRS)
def test_file_covers_exactly_the_instrument(instrument_id: str, language: str) -> None:
    """Every item, dimension and outcome has its own entry, with no stray keys."""
    instrument = instruments.get(instrument_id)
    path = translations.TRANSLATION_DIR / language / f"{instrument_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == translations.SECTIONS
    assert set(data["items"]) == {item.id for item in instrument.items}
    assert all(set(entry) == {"text", "help"} for entry in data["items"].values())
    assert set(data["dimensions"]) == {dimension.id for dimension in instrument.dimensions}
    assert set(data["outcomes"]) == set(instrument.outcomes)
    assert all(entry["text"].rstrip().endswith(("?", "؟")) for entry in data["items"].values())


def test_a_translation_naming_an_unknown_item_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    folder = tmp_path / "fr"
    folder.mkdir()
    (folder / "sscst-6.json").write_text(
        json.dumps({"items": {"no_such_item": {"text": "Une question ?"}}}), encoding="utf-8"
    )
    monkeypatch.setattr(translations, "TRANSLATION_DIR", tmp_path)

    with pytest.raises(InstrumentError) as refused:
        translations.check_all()
    assert "no_such_item" in refused.value.where
    assert "sscst-6 has no such item" in refused.value.reason

    with pytest.raises(InstrumentError):
        translations.texts(instruments.get("sscst-6"), "fr")
