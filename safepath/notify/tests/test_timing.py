"""Quiet hours, digest times and backoff as tables (pure functions, no database, no clock)."""

from __future__ import annotations

import datetime

import pytest

from safepath.notify import timing
from safepath.notify.timing import Window

UTC = datetime.UTC
T = datetime.time
NIGHT = Window(T(21, 0), T(7, 0), "UTC")  # across midnight
LUNCH = Window(T(12, 0), T(13, 0), "UTC")
NAIROBI_NIGHT = Window(T(21, 0), T(7, 0), "Africa/Nairobi")  # UTC+3


def at(hour: int, minute: int = 0, day: int = 7) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=UTC)  # 7 Dec 2026: a Monday


@pytest.mark.parametrize(
    ("moment", "window", "quiet"),
    [
        (at(22), NIGHT, True),
        (at(3), NIGHT, True),
        (at(6, 59), NIGHT, True),
        (at(7), NIGHT, False),
        (at(20, 59), NIGHT, False),
        (at(21), NIGHT, True),
        (at(12, 30), LUNCH, True),
        (at(13), LUNCH, False),
        (at(11, 59), LUNCH, False),
        (at(19), NAIROBI_NIGHT, True),  # 22:00 in Nairobi
        (at(17), NAIROBI_NIGHT, False),  # 20:00 in Nairobi
        (at(3), Window(None, None), False),
        (at(3), Window(T(3, 0), T(3, 0)), False),  # an empty window is no window
    ],
)
def test_quiet_hours(moment: datetime.datetime, window: Window, quiet: bool) -> None:
    assert timing.in_quiet_hours(moment, window) is quiet


@pytest.mark.parametrize(
    ("moment", "window", "released"),
    [
        (at(22), NIGHT, at(7, day=8)),  # the next morning
        (at(3), NIGHT, at(7)),  # the same morning
        (at(9), NIGHT, at(9)),  # not quiet: at once
        (at(12, 10), LUNCH, at(13)),
        (at(19), NAIROBI_NIGHT, at(4, day=8)),  # 07:00 in Nairobi is 04:00 UTC
    ],
)
def test_a_message_waits_for_the_end_of_quiet_hours(
    moment: datetime.datetime, window: Window, released: datetime.datetime
) -> None:
    assert timing.release_at(moment, urgent=False, window=window) == released
    assert timing.release_at(moment, urgent=True, window=window) == moment


@pytest.mark.parametrize(
    ("since", "weekly", "window", "slot"),
    [
        (at(6), False, Window(None, None), at(7)),  # before today's slot: today
        (at(7), False, Window(None, None), at(7, day=8)),  # at the slot: tomorrow's
        (at(15), False, Window(None, None), at(7, day=8)),
        (at(15), True, Window(None, None), at(7, day=14)),  # the next Monday
        (at(6), True, Window(None, None), at(7)),  # this Monday, still to come
        (at(15, day=9), True, Window(None, None), at(7, day=14)),
        (at(15), False, Window(T(6, 0), T(8, 30)), at(8, 30, day=8)),  # slot in quiet hours
        (at(15), False, Window(T(21, 0), T(7, 0), "Africa/Nairobi"), at(4, day=8)),
    ],
)
def test_digest_slots(
    since: datetime.datetime, weekly: bool, window: Window, slot: datetime.datetime
) -> None:
    assert timing.next_digest_at(since, weekly=weekly, hour=7, window=window) == slot


def test_backoff_grows_then_gives_up() -> None:
    start = at(10)
    waits = [timing.retry_at(start, n) for n in range(1, len(timing.BACKOFF) + 2)]
    assert [w - start for w in waits[:-1] if w] == [
        datetime.timedelta(seconds=s) for s in (60, 300, 900, 3600, 14400)
    ]
    assert waits[-1] is None
