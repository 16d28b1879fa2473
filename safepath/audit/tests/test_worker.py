"""`safepath worker` runs queued background tasks (django-tasks, database backend)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from safepath.accounts.models import User
from safepath.audit.tasks import audit_chain_check
from safepath.testing.factories import register_case


@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_audit_chain_check(settings, caseworker_a: User) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    register_case(caseworker_a)
    result = audit_chain_check.enqueue()
    assert result.status == "READY"

    call_command("worker", "--batch", stdout=StringIO(), stderr=StringIO())

    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value is True
