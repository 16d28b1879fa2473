import logging

from django_tasks import task

from safepath.audit.selectors import audit_chain_verify

logger = logging.getLogger(__name__)


@task()
def audit_chain_check() -> bool:
    """Run by the worker (for example nightly): logs an error when the chain is broken."""
    verdict = audit_chain_verify()
    if not verdict.intact:
        logger.error("audit chain broken at event %s: %s", verdict.broken_at, verdict.reason)
    return verdict.intact
