"""Notice-and-takedown timing as pure functions: when a notice escalates, and how long removal
took, summarised as percentiles by hosting country and provider.

Escalation steps are data (``ESCALATION_STEPS``, hours after the notice was sent): by default
the first escalation at 24 hours and the second at 72, the periods INHOPE hotlines work to
(ICCAM statistics count removal "within 3 days"). A notice whose removal is confirmed stops.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_ESCALATION_HOURS = (24, 72)


@dataclass(frozen=True)
class EscalationStep:
    level: int
    after: timedelta


def escalation_steps(hours: Sequence[int] = DEFAULT_ESCALATION_HOURS) -> tuple[EscalationStep, ...]:
    if not hours or any(h <= 0 for h in hours) or list(hours) != sorted(set(hours)):
        raise ValueError("escalation hours must be positive and increasing")
    return tuple(EscalationStep(level + 1, timedelta(hours=h)) for level, h in enumerate(hours))


def due_level(
    sent_at: datetime,
    now: datetime,
    steps: Sequence[EscalationStep],
    removed_at: datetime | None = None,
) -> int:
    """The escalation level a notice should be at now (0: none yet)."""
    if removed_at is not None and removed_at <= now:
        return 0
    elapsed = now - sent_at
    return max((s.level for s in steps if elapsed >= s.after), default=0)


def next_deadline(
    sent_at: datetime, level: int, steps: Sequence[EscalationStep]
) -> datetime | None:
    """When the next escalation falls due after ``level`` (None after the last)."""
    later = [s for s in steps if s.level > level]
    return sent_at + later[0].after if later else None


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default method)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class RemovalTime:
    country: str
    provider: str
    hours: float | None  # None: not removed yet


@dataclass(frozen=True)
class RemovalSummary:
    group: str
    notices: int
    removed: int
    p50_hours: float | None
    p90_hours: float | None
    max_hours: float | None
    within_72h: float | None  # share of all notices removed within 72 hours

    def as_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


def summarise(times: Iterable[RemovalTime], *, by: str) -> list[RemovalSummary]:
    """Percentiles of hours to removal per ``by`` (``country`` or ``provider``), plus "all".

    Notices not yet removed count in ``notices`` and against ``within_72h`` but have no time.
    """
    if by not in ("country", "provider"):
        raise ValueError("by must be country or provider")
    groups: dict[str, list[RemovalTime]] = defaultdict(list)
    everything = []
    for item in times:
        groups[getattr(item, by) or "unknown"].append(item)
        everything.append(item)
    out = [_summary(name, items) for name, items in sorted(groups.items())]
    if everything:
        out.append(_summary("all", everything))
    return out


def _summary(name: str, items: list[RemovalTime]) -> RemovalSummary:
    hours = [i.hours for i in items if i.hours is not None]
    return RemovalSummary(
        group=name,
        notices=len(items),
        removed=len(hours),
        p50_hours=round(percentile(hours, 0.5), 1) if hours else None,
        p90_hours=round(percentile(hours, 0.9), 1) if hours else None,
        max_hours=round(max(hours), 1) if hours else None,
        within_72h=round(sum(1 for h in hours if h <= 72) / len(items), 3) if items else None,
    )
