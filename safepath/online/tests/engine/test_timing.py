"""Escalation steps, time-to-removal percentiles, triage order, the CyberTip schema."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from safepath.online.engine import takedown, triage
from safepath.online.reports import CyberTipFile, CyberTipInput, render_cybertip, validate_cybertip

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hours", "level"), [(0, 0), (23.9, 0), (24, 1), (71.9, 1), (72, 2), (500, 2)]
)
def test_due_level(hours: float, level: int) -> None:
    steps = takedown.escalation_steps()
    assert takedown.due_level(T0, T0 + timedelta(hours=hours), steps) == level


def test_removed_notices_do_not_escalate_and_deadlines_follow_steps() -> None:
    steps = takedown.escalation_steps((24, 72))
    assert takedown.due_level(T0, T0 + timedelta(hours=80), steps, removed_at=T0) == 0
    assert takedown.next_deadline(T0, 0, steps) == T0 + timedelta(hours=24)
    assert takedown.next_deadline(T0, 1, steps) == T0 + timedelta(hours=72)
    assert takedown.next_deadline(T0, 2, steps) is None
    with pytest.raises(ValueError, match="increasing"):
        takedown.escalation_steps((72, 24))


def test_percentiles_by_group() -> None:
    times = [
        takedown.RemovalTime("NL", "A", 10),
        takedown.RemovalTime("NL", "A", 20),
        takedown.RemovalTime("NL", "B", 100),
        takedown.RemovalTime("US", "B", None),
    ]
    by_country = {s.group: s for s in takedown.summarise(times, by="country")}
    assert by_country["NL"].p50_hours == 20
    assert by_country["NL"].notices == 3
    assert by_country["NL"].within_72h == round(2 / 3, 3)
    assert by_country["US"].removed == 0
    assert by_country["US"].p50_hours is None
    assert by_country["all"].notices == 4
    assert takedown.percentile([1, 2, 3, 4], 0.9) == pytest.approx(3.7)


def test_triage_orders_danger_first() -> None:
    live = triage.urgency(triage.UrgencyInput("image", live_abuse=True))
    danger = triage.urgency(triage.UrgencyInput("image", child_in_danger=True))
    sextortion = triage.urgency(triage.UrgencyInput("chat", sextortion=True))
    matched = triage.urgency(triage.UrgencyInput("image", hash_matched=True))
    plain = triage.urgency(triage.UrgencyInput("advert"))
    assert live > danger > sextortion > matched > plain
    assert triage.band(live) == "immediate"
    assert triage.band(plain) == "routine"


def test_cybertip_validates_and_refuses_what_the_schema_forbids() -> None:
    data = CyberTipInput(
        reference="r-1",
        organisation="Hotline",
        kind="chat",
        incident_at=T0,
        platform="Example chat",
        files=(CyberTipFile("f", md5="a" * 32),),
    )
    xml = render_cybertip(data)
    assert validate_cybertip(xml) == []
    assert b"<chatImIncident>" in xml
    assert b"Online Enticement" in xml
    broken = xml.replace(b'hashType="MD5"', b'hashType="CRC"')
    assert validate_cybertip(broken)
