"""Background work of the cases app: run by ``safepath worker``, enqueued by ``safepath
schedule`` (core/schedule.py)."""

import logging
from typing import Any

from django_tasks import task

from safepath.cases.overdue import overdue_notify
from safepath.cases.services.erasure import retention_run

logger = logging.getLogger(__name__)


@task()
def cases_retention_run() -> dict[str, Any]:
    """Daily: erase what the retention periods say is due on closed cases (ids in the log)."""
    report = retention_run()
    logger.info(
        "retention: %s case(s) erased, %s held, %s waiting for another case of the child",
        len(report.erased),
        report.held,
        report.waiting,
    )
    return report.as_dict()


@task()
def cases_notify_overdue() -> dict[str, int]:
    """Hourly: tell people about overdue tasks, reviews and guardians (idempotent: each is told
    once)."""
    told = overdue_notify()
    logger.info("cases overdue notifications: %s", told)
    return told
