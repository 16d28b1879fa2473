"""The worker's side (``safepath worker``): digests and sending. Scheduled every minute in
``core/schedule.py``, and enqueued at once (after commit) when an urgent notification is made."""

from __future__ import annotations

import logging

from django_tasks import task

from safepath.notify.queue import enqueue_once
from safepath.notify.services import deliveries_send_due, digests_plan
from safepath.notify.webhook_sending import webhooks_send_due

logger = logging.getLogger(__name__)

# Messages one run sends at most; a run that reaches it enqueues the next at once, so a burst
# (a nightly scan's 10,000 events) drains without waiting for the next minute's schedule, and
# other tasks get the worker in between.
PER_RUN = 5000


@task()
def notifications_deliver() -> dict[str, int]:
    """Make the digests that are due, then send every delivery whose time has come (idempotent:
    each delivery is claimed before it is sent)."""
    digests = digests_plan()
    run = deliveries_send_due(limit=PER_RUN)
    if sum(run.as_dict().values()) >= PER_RUN:
        enqueue_once(notifications_deliver)
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
    run = webhooks_send_due(limit=PER_RUN)
    if run.sent + run.retrying + run.failed >= PER_RUN:
        enqueue_once(webhooks_deliver)
    logger.info(
        "webhooks: %d sent, %d to retry, %d failed, %d subscribers paused",
        run.sent,
        run.retrying,
        run.failed,
        len(run.paused),
    )
    return run.as_dict()
