"""Periodic work for the worker (``safepath worker``); ``safepath schedule`` enqueues it and
``safepath online escalate`` runs the same thing once."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from safepath.online.services import notices_escalate_overdue as escalate

logger = logging.getLogger(__name__)


@task()
def online_notices_escalate() -> dict[str, Any]:
    """Every quarter of an hour: escalate notices whose removal is overdue (idempotent)."""
    run = escalate()
    logger.info(
        "online notices escalation: %d notices escalated, %d people told",
        len(run.escalated),
        run.people,
    )
    return run.as_dict()
