"""Periodic tasks are enqueued at their interval, and each one exists and runs."""

from __future__ import annotations

import json

import pytest

from safepath.core.schedule import PERIODIC, enqueue_due
from safepath.testing.fixtures import call_cli


@pytest.mark.django_db
def test_each_periodic_task_runs_once_per_interval() -> None:
    last: dict[str, float] = {}
    first = enqueue_due(last, now=10_000.0)
    assert first == [job.task for job in PERIODIC]
    assert enqueue_due(last, now=10_000.0 + 59) == []  # the shortest interval is a minute
    hourly = [job.task for job in PERIODIC if job.every_seconds <= 3600]
    assert enqueue_due(last, now=10_000.0 + 3600) == hourly


@pytest.mark.django_db
def test_schedule_once_enqueues_every_task_for_cron() -> None:
    code, out, _ = call_cli("schedule", "--once", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"enqueued": [job.task for job in PERIODIC]}
