"""The worker's side (``safepath worker``): digests and sending. Scheduled every minute in
``core/schedule.py``, and enqueued at once (after commit) when an urgent notification is made."""

from __future__ import annotations

import logging

from django_tasks import task

from safepath.notify.services import deliveries_send_due, digests_plan
from safepath.notify.webhook_sending import webhooks_send_due

logger = logging.getLogger(__name__)


@task()
def notifications_deliver() -> dict[str, int]:
    """Make the digests that are due, then send every delivery whose time has come (idempotent:
    each delivery is claimed before it is sent)."""
    digests = digests_plan()
    run = deliveries_send_due()
    logger.info(
        "notifications: %d digests made, %d sent, %d to retry, %d failed",
        digests,
        len(run.sent),
        len(run.retrying),
        len(run.failed),
    )
    return {"digests": digests, **run.as_dict()}


@task()
def webhooks_deliver() -> dict[str, int]:
    """Send every due webhook delivery of the active subscribers (idempotent: each batch is
    claimed before it is sent); retries wait their backoff, a failing subscriber is paused."""
    run = webhooks_send_due()
    logger.info(
        "webhooks: %d sent, %d to retry, %d failed, %d subscribers paused",
        run.sent,
        run.retrying,
        run.failed,
        len(run.paused),
    )
    return run.as_dict()
