"""Deleting what the platform itself keeps only for a while: finished background-task results.
(Each app prunes its own records; ``safepath prune`` runs them all.)"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def task_results_prune(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete the results of background tasks that finished (successfully or not) longer ago
    than ``PRUNE_TASK_RESULTS_AFTER``; waiting and running tasks are never touched. The count."""
    cutoff = (now or timezone.now()) - settings.PRUNE_TASK_RESULTS_AFTER
    due = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
    if dry_run:
        return due.count()
    deleted, _ = due.delete()
    return deleted
