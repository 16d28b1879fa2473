"""Information for children as data: each topic at two reading levels in four languages. No Django.

``information/<topic>.json`` (see ``information_schema.json``) explains one topic (the steps of
a case, the child's rights, what data is kept and who sees it) for younger children (about 6 to
11: short sentences, everyday words) and older ones (about 12 to 17: the real names of things,
the limits spelt out). Every language of a level has the same sections in the same order, so a
caseworker who shows the French page to a child knows it says what the English one says.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from statistics import mean
from typing import Any

from jsonschema import Draft202012Validator

INFORMATION_DIR = Path(__file__).with_name("information")
SCHEMA_FILE = Path(__file__).with_name("information_schema.json")
LEVELS = ("younger", "older")
LANGUAGES = ("en", "fr", "es", "ar")
_SENTENCE = re.compile(r"(?<=[.!?؟])\s+|[:;]\s+")


class InformationError(ValueError):
    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """One topic at one level in one language."""

    title: str
    intro: str
    sections: tuple[Section, ...]

    def text(self) -> str:
        parts = [self.intro]
        for section in self.sections:
            parts += section.paragraphs
        return "\n".join(parts)


@dataclass(frozen=True)
class Topic:
    id: str
    version: str
    order: int
    source: str
    pages: Mapping[tuple[str, str], Page]  # (level, language) -> page

    def page(self, level: str, language: str) -> Page:
        language = language.split("-")[0].lower()
        return self.pages.get((level, language)) or self.pages[(level, "en")]


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def parse(data: Any, *, source: str) -> Topic:
    if not isinstance(data, dict):
        raise InformationError(source, "the file must hold one JSON object")
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = source
        if first.absolute_path:
            where += ", field " + ".".join(str(p) for p in first.absolute_path)
        raise InformationError(where, first.message)
    pages: dict[tuple[str, str], Page] = {}
    for level in LEVELS:
        english = [s["id"] for s in data["levels"][level]["en"]["sections"]]
        if len(set(english)) != len(english):
            raise InformationError(f"{source}, field levels.{level}.en", "two sections share an id")
        for language in LANGUAGES:
            page = data["levels"][level][language]
            ids = [s["id"] for s in page["sections"]]
            if ids != english:
                raise InformationError(
                    f"{source}, field levels.{level}.{language}.sections",
                    f"the sections must be {', '.join(english)} in this order, as in English "
                    f"(found {', '.join(ids)})",
                )
            pages[(level, language)] = Page(
                title=page["title"],
                intro=page["intro"],
                sections=tuple(
                    Section(s["id"], s["heading"], tuple(s["paragraphs"])) for s in page["sections"]
                ),
            )
    return Topic(
        id=data["id"],
        version=data["version"],
        order=data["order"],
        source=data["source"],
        pages=pages,
    )


def load_file(path: Path) -> Topic:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InformationError(
            path.name, f"not valid JSON (line {error.lineno}): {error.msg}"
        ) from None
    topic = parse(data, source=path.name)
    if path.stem != topic.id:
        raise InformationError(path.name, f"the file name must be the id ({topic.id}.json)")
    return topic


@cache
def catalogue(directory: Path = INFORMATION_DIR) -> dict[str, Topic]:
    """Every topic by id, in reading order."""
    topics = [load_file(path) for path in sorted(directory.glob("*.json"))]
    return {topic.id: topic for topic in sorted(topics, key=lambda t: (t.order, t.id))}


def get(topic_id: str) -> Topic:
    try:
        return catalogue()[topic_id]
    except KeyError:
        raise InformationError(topic_id, "no such topic") from None


@dataclass(frozen=True)
class ReadingStats:
    sentences: int
    words_per_sentence: float
    longest_sentence: int
    words: int


def sentences(text: str) -> list[str]:
    return [s.strip() for line in text.splitlines() for s in _SENTENCE.split(line) if s.strip()]


def reading_stats(page: Page) -> ReadingStats:
    """Sentence lengths in words: a rough, language-neutral measure of how hard a text reads."""
    lengths = [len(sentence.split()) for sentence in sentences(page.text())]
    return ReadingStats(
        sentences=len(lengths),
        words_per_sentence=round(mean(lengths), 1),
        longest_sentence=max(lengths),
        words=sum(lengths),
    )
