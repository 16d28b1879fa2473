"""Periodic work for the worker (``safepath worker``); the CLI verb ``safepath referrals
escalate`` runs the same thing once."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from safepath.referrals.services import referrals_escalate_overdue as escalate

logger = logging.getLogger(__name__)


@task()
def referrals_escalate_overdue() -> dict[str, Any]:
    """Schedule every hour or so: marks overdue referrals and escalates them (idempotent)."""
    run = escalate()
    logger.info(
        "referrals escalation: %d newly overdue, %d to workers, %d to supervisors",
        len(run.marked_overdue),
        run.to_worker,
        run.to_supervisor,
    )
    return run.as_dict()
