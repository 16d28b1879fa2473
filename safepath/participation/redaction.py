"""Hints for the reviewer of children's written answers: spans that may identify someone.

The reviewer, not this module, decides what to remove: the hints point at what is easy to miss
(numbers that could be phone numbers or dates, e-mail and web addresses, words with a capital
letter in the middle of a sentence that could be names or places). No Django here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("web", re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)),
    ("social", re.compile(r"(?<!\w)@\w{2,}")),
    ("number", re.compile(r"\d[\d\s/.\-]{2,}\d|\d{2,}")),
)
_WORD = re.compile(r"\b[^\W\d_][^\W_]*\b")
_SENTENCE_END = re.compile(r"[.!?؟\n]\s*$")


@dataclass(frozen=True)
class Hint:
    kind: str  # email | web | social | number | capitalised
    start: int
    end: int
    text: str


def hints(text: str) -> list[Hint]:
    """What the reviewer should look at, in the order it appears (overlaps removed)."""
    found: list[Hint] = []
    for kind, pattern in _PATTERNS:
        found += [Hint(kind, m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    for match in _WORD.finditer(text):
        word = match.group()
        before = text[: match.start()]
        starts_sentence = not before.strip() or bool(_SENTENCE_END.search(before))
        if word[0].isupper() and not starts_sentence and word not in {"I", "I'm", "I've"}:
            found.append(Hint("capitalised", match.start(), match.end(), word))
    found.sort(key=lambda hint: (hint.start, -hint.end))
    kept: list[Hint] = []
    for hint in found:
        if kept and hint.start < kept[-1].end:
            continue
        kept.append(hint)
    return kept
