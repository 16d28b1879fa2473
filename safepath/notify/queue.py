"""Enqueue a worker task once: when a run of that task is already waiting in the database
queue, it will see every row committed before it starts, so a second one would only add a task
row per event (10,000 of them in a nightly run) for nothing."""

from __future__ import annotations

from typing import Any


def enqueue_once(task: Any) -> None:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if (
        isinstance(task.get_backend(), DatabaseBackend)
        and DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()
    ):
        return
    task.enqueue()
