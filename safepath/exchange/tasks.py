"""The worker's side (``safepath worker``): consent withdrawals to tell, then every push that
is due. Scheduled every minute in ``core/schedule.py``; idempotent (each message is claimed
before it is pushed, and a withdrawal is told once)."""

from __future__ import annotations

import logging

from django_tasks import task

from safepath.audit.models import Channel
from safepath.exchange.services import messages_deliver_due, withdrawals_send_due
from safepath.exchange.services.keys import ExchangeNotConfiguredError

logger = logging.getLogger(__name__)


@task()
def exchange_deliver() -> dict[str, int]:
    try:
        withdrawals = withdrawals_send_due(channel=Channel.SYSTEM)
        run = messages_deliver_due()
    except ExchangeNotConfiguredError:
        return {"sent": 0, "retrying": 0, "failed": 0, "withdrawals": 0}
    logger.info(
        "exchange: %d withdrawals queued, %d delivered, %d to retry, %d failed",
        len(withdrawals),
        len(run.sent),
        len(run.retrying),
        len(run.failed),
    )
    return run.as_dict() | {"withdrawals": len(withdrawals)}
