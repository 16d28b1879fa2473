"""Explainable text red flags over adverts and chat excerpts, in English, French and Spanish.

The indicators are data (``safepath/online/indicators/<lang>.yaml``, checked against
``schema.json`` when loaded), each with its sources. A result lists every indicator that fired,
the words that made it fire, its weight and citations, and the phone numbers and e-mail
addresses found (for the advert graph). It is a triage signal for a trained reviewer, never a
finding: every result says so.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

INDICATORS_DIR = Path(__file__).resolve().parent.parent / "indicators"
LANGUAGES = ("en", "fr", "es")
KINDS = ("advert", "chat")
TRIAGE_NOTICE = (
    "Triage signal, not a finding: these words are reasons to look closer, for a trained "
    "reviewer to weigh. They prove nothing about anyone."
)
MAX_TEXT = 20_000
PHONE = re.compile(r"(?<![\w+])\+?\d[\d\-\.\s\(\)]{5,18}\d(?!\w)")
EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]+\s*(?:@|\(at\)|\[at\]|\s+at\s+)\s*[A-Za-z0-9-]+"
    r"(?:\s*(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s*[A-Za-z0-9-]+)+",
)


class IndicatorFileError(ValueError):
    """An indicator file does not pass its schema; the message names the file and place."""


@dataclass(frozen=True)
class Indicator:
    id: str
    language: str
    title: str
    category: str
    applies_to: tuple[str, ...]
    weight: int
    explanation: str
    sources: tuple[str, ...]  # full citations
    terms: tuple[re.Pattern[str], ...]
    patterns: tuple[re.Pattern[str], ...]
    emoji: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorHit:
    id: str
    language: str
    title: str
    category: str
    weight: int
    matched: tuple[str, ...]
    explanation: str
    sources: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "language": self.language,
            "title": self.title,
            "category": self.category,
            "weight": self.weight,
            "matched": list(self.matched),
            "explanation": self.explanation,
            "sources": list(self.sources),
        }


@dataclass
class TextAnalysis:
    kind: str
    hits: list[IndicatorHit] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        """Sum of the weights of the distinct indicators that fired, capped at 100."""
        return min(100, sum(hit.weight for hit in self.hits))

    @property
    def categories(self) -> list[str]:
        return sorted({hit.category for hit in self.hits})

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "score": self.score,
            "categories": self.categories,
            "indicators": [hit.as_dict() for hit in self.hits],
            "phones": self.phones,
            "emails": self.emails,
            "notice": TRIAGE_NOTICE,
        }


def fold(text: str) -> str:
    """Lower case without accents; compatibility forms unified (ﬁ -> fi, full width -> ascii)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _term_pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(part) for part in fold(term).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


@cache
def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((INDICATORS_DIR / "schema.json").read_text("utf-8"))
    return data


def load_file(path: Path) -> list[Indicator]:
    """One language file, validated; raises IndicatorFileError naming the file and place."""
    import jsonschema

    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise IndicatorFileError(f"{path.name}: cannot read: {error}") from None
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        place = ".".join(str(p) for p in first.absolute_path) or "(top)"
        raise IndicatorFileError(f"{path.name}: {place}: {first.message}")
    sources = data["sources"]
    out = []
    seen: set[str] = set()
    for position, item in enumerate(data["indicators"]):
        where = f"{path.name}: indicators.{position}"
        if item["id"] in seen:
            raise IndicatorFileError(f"{where}: duplicate id {item['id']}")
        seen.add(item["id"])
        unknown = [s for s in item["sources"] if s not in sources]
        if unknown:
            raise IndicatorFileError(f"{where}: unknown source {unknown[0]}")
        try:
            patterns = tuple(re.compile(p) for p in item.get("patterns", []))
        except re.error as error:
            raise IndicatorFileError(f"{where}.patterns: {error}") from None
        out.append(
            Indicator(
                id=item["id"],
                language=data["language"],
                title=item["title"],
                category=item["category"],
                applies_to=tuple(item["applies_to"]),
                weight=int(item["weight"]),
                explanation=item["explanation"],
                sources=tuple(f"{s}: {sources[s]}" for s in item["sources"]),
                terms=tuple(_term_pattern(t) for t in item.get("terms", [])),
                patterns=patterns,
                emoji=tuple(item.get("emoji", [])),
            )
        )
    return out


@cache
def load_indicators(languages: tuple[str, ...] = LANGUAGES) -> tuple[Indicator, ...]:
    indicators: list[Indicator] = []
    for language in languages:
        path = INDICATORS_DIR / f"{language}.yaml"
        if not path.exists():
            raise IndicatorFileError(f"{language}: no indicator file")
        indicators.extend(load_file(path))
    return tuple(indicators)


def _matches(indicator: Indicator, original: str, folded: str) -> list[str]:
    found: list[str] = []
    for pattern in indicator.terms:
        found.extend(m.group(0) for m in pattern.finditer(folded))
    for pattern in indicator.patterns:
        found.extend(m.group(0) for m in pattern.finditer(original))
    found.extend(e for e in indicator.emoji if e in original)
    return list(dict.fromkeys(found))


DATE = re.compile(r"^\s*\d{1,4}[-./]\d{1,2}[-./]\d{1,4}\s*$")


def normalise_phone(raw: str) -> str | None:
    """Digits only (with a leading + kept); None for what is too short, too long or a date."""
    if DATE.match(raw):
        return None
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return None
    return ("+" if raw.strip().startswith("+") else "") + digits


def normalise_email(raw: str) -> str:
    text = re.sub(r"\s*(?:\(at\)|\[at\]|\s+at\s+)\s*", "@", raw.strip(), flags=re.IGNORECASE)
    text = re.sub(r"\s*(?:\(dot\)|\[dot\]|\s+dot\s+)\s*", ".", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", "", text).lower()


def extract_contacts(text: str) -> tuple[list[str], list[str]]:
    emails = list(dict.fromkeys(normalise_email(m.group(0)) for m in EMAIL.finditer(text)))
    stripped = EMAIL.sub(" ", text)
    phones = [normalise_phone(m.group(0)) for m in PHONE.finditer(stripped)]
    return list(dict.fromkeys(p for p in phones if p)), emails


def analyse(
    text: str, *, kind: str = "advert", languages: Sequence[str] = LANGUAGES
) -> TextAnalysis:
    """The indicators that fire on ``text`` (an advert or a chat excerpt), with contacts."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    text = text[:MAX_TEXT]
    original = unicodedata.normalize("NFKC", text)
    folded = fold(text)
    result = TextAnalysis(kind=kind)
    for indicator in load_indicators(tuple(languages)):
        if kind not in indicator.applies_to:
            continue
        matched = _matches(indicator, original, folded)
        if matched:
            result.hits.append(
                IndicatorHit(
                    id=indicator.id,
                    language=indicator.language,
                    title=indicator.title,
                    category=indicator.category,
                    weight=indicator.weight,
                    matched=tuple(m[:80] for m in matched[:10]),
                    explanation=indicator.explanation,
                    sources=indicator.sources,
                )
            )
    # the same indicator in several languages counts once, at its highest weight
    best: dict[str, IndicatorHit] = {}
    for hit in result.hits:
        if hit.id not in best or hit.weight > best[hit.id].weight:
            best[hit.id] = hit
    merged = []
    for hit_id, hit in best.items():
        words = [m for h in result.hits if h.id == hit_id for m in h.matched]
        languages_seen = sorted({h.language for h in result.hits if h.id == hit_id})
        merged.append(
            IndicatorHit(
                hit.id,
                ",".join(languages_seen),
                hit.title,
                hit.category,
                hit.weight,
                tuple(dict.fromkeys(words)),
                hit.explanation,
                hit.sources,
            )
        )
    result.hits = sorted(merged, key=lambda h: (-h.weight, h.id))
    result.phones, result.emails = extract_contacts(original)
    return result


def validate_files(directory: Path | None = None) -> list[str]:
    """Check every language file; the list of problems (empty when all are valid)."""
    problems = []
    for path in sorted((directory or INDICATORS_DIR).glob("*.yaml")):
        try:
            load_file(path)
        except IndicatorFileError as error:
            problems.append(str(error))
    return problems


def describe(languages: Iterable[str] = LANGUAGES) -> list[dict[str, Any]]:
    return [
        {
            "id": i.id,
            "language": i.language,
            "title": i.title,
            "category": i.category,
            "weight": i.weight,
            "sources": list(i.sources),
        }
        for i in load_indicators(tuple(languages))
    ]
