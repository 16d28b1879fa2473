"""Information for children: four languages, the same sections everywhere, and two reading
levels that really differ (shorter sentences, fewer words, no jargon for the younger ones)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from safepath.participation import information
from safepath.participation.information import InformationError, parse, reading_stats

TOPICS = list(information.catalogue().values())
# Words a child of 8 should not meet unexplained; the older texts may use them.
JARGON = (
    "assessment",
    "encrypt",
    "referral",
    "best-interests",
    "confidential",
    "case plan",
    "statistics",
)


def test_the_three_topics_of_the_issue_are_there() -> None:
    assert [topic.id for topic in TOPICS] == ["case-steps", "your-rights", "your-data"]
    rights = information.get("your-rights").page("older", "en")
    assert [s.id for s in rights.sections] == ["heard", "privacy", "complain", "non_punishment"]


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
@pytest.mark.parametrize("language", information.LANGUAGES)
def test_the_two_levels_really_differ(topic: information.Topic, language: str) -> None:
    younger = reading_stats(topic.page("younger", language))
    older = reading_stats(topic.page("older", language))
    assert younger.longest_sentence <= 14, "a younger child's sentence stays short"
    assert younger.words_per_sentence <= 10
    assert older.words_per_sentence >= younger.words_per_sentence * 1.4
    assert older.words >= younger.words * 1.5, "the older level explains more"


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
def test_no_jargon_for_younger_children(topic: information.Topic) -> None:
    text = topic.page("younger", "en").text().lower()
    assert [word for word in JARGON if word in text] == []


def test_honest_about_the_limits_of_privacy_at_both_levels() -> None:
    rights = information.get("your-rights")
    assert "we may have to tell someone" in rights.page("younger", "en").text()
    assert "without your agreement" in rights.page("older", "en").text()


def test_an_unknown_language_falls_back_to_english() -> None:
    page = information.get("your-data").page("older", "sw")
    assert page.title == information.get("your-data").page("older", "en").title


def _data() -> dict[str, Any]:
    path = information.INFORMATION_DIR / "your-rights.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_sections_must_match_english_in_every_language() -> None:
    data = _data()
    data["levels"]["younger"]["ar"]["sections"].reverse()
    with pytest.raises(InformationError, match=r"levels.younger.ar.sections.*as in English"):
        parse(data, source="your-rights.json")


def test_a_missing_language_is_refused() -> None:
    data = copy.deepcopy(_data())
    del data["levels"]["older"]["es"]
    with pytest.raises(InformationError, match="'es' is a required property"):
        parse(data, source="your-rights.json")
