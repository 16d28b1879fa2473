"""Background work of the accounts app: run by ``safepath worker``, enqueued by ``safepath
schedule`` (core/schedule.py)."""

import logging

from django_tasks import task

from safepath.accounts.pruning import expired_records_prune

logger = logging.getLogger(__name__)


@task()
def accounts_prune_expired() -> dict[str, int]:
    """Daily: delete expired sessions, old tokens, old sign-in records, finished task results."""
    counts = expired_records_prune()
    logger.info("pruned expired records: %s", counts)
    return counts
