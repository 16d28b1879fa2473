"""Periodic background work. django-tasks runs tasks but schedules none, so ``safepath
schedule`` enqueues these at their interval and ``safepath worker`` runs them. Idempotent
tasks only: enqueueing one twice does no harm."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Periodic:
    task: str  # dotted path of a django-tasks task
    every_seconds: int


PERIODIC = (
    Periodic("safepath.referrals.tasks.referrals_escalate_overdue", 3600),
    Periodic("safepath.audit.tasks.audit_chain_check", 86400),
    Periodic("safepath.linkage.tasks.linkage_national_run", 7 * 86400),
    Periodic("safepath.evidence.tasks.refresh_analysis_store", 86400),
    Periodic("safepath.participation.tasks.participation_escalate_overdue", 3600),
    Periodic("safepath.online.tasks.online_notices_escalate", 900),
    Periodic("safepath.accounts.tasks.accounts_prune_expired", 86400),
    Periodic("safepath.cases.tasks.cases_retention_run", 86400),
    Periodic("safepath.notify.tasks.notifications_deliver", 60),
    Periodic("safepath.notify.tasks.webhooks_deliver", 60),
    Periodic("safepath.cases.tasks.cases_notify_overdue", 3600),
    Periodic("safepath.exchange.tasks.exchange_deliver", 60),
)


def _task(path: str) -> Any:
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def enqueue_due(last_run: dict[str, float], *, now: float, only_due: bool = True) -> list[str]:
    """Enqueue each periodic task whose interval has passed; the names enqueued."""
    enqueued = []
    for job in PERIODIC:
        if only_due and now - last_run.get(job.task, float("-inf")) < job.every_seconds:
            continue
        _task(job.task).enqueue()
        last_run[job.task] = now
        enqueued.append(job.task)
    return enqueued


def run_forever(*, tick_seconds: float = 60.0, sleep: Callable[[float], None] = time.sleep) -> None:
    last_run: dict[str, float] = {}
    while True:
        enqueue_due(last_run, now=time.monotonic())
        sleep(tick_seconds)
