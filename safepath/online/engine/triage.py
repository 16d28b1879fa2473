"""The order of the hotline's queue: the most urgent reports first.

Live abuse, a child in present danger and sextortion come first (ICCAM and INHOPE practice:
a child at risk now outranks content already online). Then reports that matched a known hash
(their content is known, so they can be processed without anyone viewing it), then by kind,
then the oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass

# Higher is more urgent.
FLAG_WEIGHTS = {
    "live_abuse": 200,
    "child_in_danger": 150,
    "sextortion": 100,
}
KIND_WEIGHTS = {
    "live_stream": 40,
    "chat": 30,
    "video": 20,
    "image": 20,
    "advert": 15,
    "other": 5,
}
HASH_MATCH_WEIGHT = 25


@dataclass(frozen=True)
class UrgencyInput:
    kind: str
    live_abuse: bool = False
    child_in_danger: bool = False
    sextortion: bool = False
    hash_matched: bool = False


def urgency(item: UrgencyInput) -> int:
    """A score from 0 to 285: flags first (each a step larger than any kind and hash can
    add), then a known hash, then the kind."""
    score = max(
        (w for flag, w in FLAG_WEIGHTS.items() if getattr(item, flag)),
        default=0,
    )
    # every extra flag adds a little, so two flags outrank one
    score += 10 * max(0, sum(1 for flag in FLAG_WEIGHTS if getattr(item, flag)) - 1)
    if item.hash_matched:
        score += HASH_MATCH_WEIGHT
    return score + KIND_WEIGHTS.get(item.kind, KIND_WEIGHTS["other"])


def band(score: int) -> str:
    if score >= 100:
        return "immediate"
    if score >= 45:
        return "high"
    return "routine"
