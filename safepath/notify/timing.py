"""When a message may go: quiet hours, digest times and retry backoff. Pure functions over
timezone-aware datetimes (no database, no clock: the caller passes ``now``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# Seconds to wait after the 1st, 2nd, ... failed attempt; after the last, the delivery fails.
BACKOFF = (60, 300, 900, 3600, 4 * 3600)
MONDAY = 0


@dataclass(frozen=True)
class Window:
    """A person's quiet hours (local wall-clock times; ``start > end`` spans midnight)."""

    start: datetime.time | None
    end: datetime.time | None
    zone: str = "UTC"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


def in_quiet_hours(moment: datetime.datetime, window: Window) -> bool:
    if window.start is None or window.end is None or window.start == window.end:
        return False
    local = moment.astimezone(window.tz).time()
    if window.start < window.end:
        return window.start <= local < window.end
    return local >= window.start or local < window.end


def quiet_end_after(moment: datetime.datetime, window: Window) -> datetime.datetime:
    """The first moment at or after ``moment`` outside quiet hours (in UTC)."""
    if not in_quiet_hours(moment, window):
        return moment
    assert window.end is not None  # noqa: S101 - in_quiet_hours said there are quiet hours
    local = moment.astimezone(window.tz)
    end = datetime.datetime.combine(local.date(), window.end, tzinfo=window.tz)
    if end <= local:
        end += datetime.timedelta(days=1)
    return end.astimezone(datetime.UTC)


def release_at(moment: datetime.datetime, *, urgent: bool, window: Window) -> datetime.datetime:
    """When a message created at ``moment`` may be sent: urgent ones at once, others after the
    quiet hours."""
    return moment if urgent else quiet_end_after(moment, window)


def next_digest_at(
    since: datetime.datetime, *, weekly: bool, hour: int, window: Window
) -> datetime.datetime:
    """The first digest time after ``since``: each day (or each Monday) at ``hour`` local time,
    moved past the quiet hours if they cover it."""
    local = since.astimezone(window.tz)
    slot = datetime.datetime.combine(local.date(), datetime.time(hour), tzinfo=window.tz)
    if slot <= local:
        slot += datetime.timedelta(days=1)
    if weekly:
        slot += datetime.timedelta(days=(MONDAY - slot.weekday()) % 7)
    return quiet_end_after(slot.astimezone(datetime.UTC), window)


def retry_at(moment: datetime.datetime, attempts: int) -> datetime.datetime | None:
    """When to try again after ``attempts`` failures; None once the attempts are used up."""
    if attempts > len(BACKOFF):
        return None
    return moment + datetime.timedelta(seconds=BACKOFF[attempts - 1])
