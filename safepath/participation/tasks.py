"""Periodic work for the worker (``safepath worker``); ``safepath participation escalate`` runs
the same thing once."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from safepath.participation.services.feedback import feedback_escalate_overdue
from safepath.participation.services.participants import participants_purge_abandoned

logger = logging.getLogger(__name__)


@task()
def participation_escalate_overdue() -> dict[str, Any]:
    """Schedule every hour: late safeguarding complaints to the deputy and supervisors, very late
    feedback counted for the national coordination, old throttle records deleted, and the
    answers of children who left half way (a day ago or more) erased. Idempotent."""
    run = feedback_escalate_overdue()
    purged = participants_purge_abandoned()
    logger.info(
        "participation escalation: %d items, %d people told, %d to coordination",
        len(run.escalated),
        run.to_people,
        run.to_coordination,
    )
    return {**run.as_dict(), "abandoned_erased": purged}
