"""Pruning deletes exactly what is past its keeping period, and nothing live: a valid session or
token, a lockout still running, a task not yet finished."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safepath.accounts.models import ApiToken, User
from safepath.accounts.pruning import expired_records_prune
from safepath.audit.models import AuditEvent

NOW = timezone.now()


def _token(user: User, expires_at: datetime) -> ApiToken:
    _, digest = ApiToken.new_secret()
    return ApiToken.objects.create(user=user, digest=digest, expires_at=expires_at)


def _session(expire_date: datetime) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expire_date)
    return str(store.session_key)


def _attempt(model: type[AccessAttempt] | type[AccessLog], age: timedelta, username: str) -> int:
    fields = {"user_agent": "test", "ip_address": "127.0.0.1", "username": username}
    fields["path_info"] = "/"
    if model is AccessAttempt:
        fields |= {"get_data": "", "post_data": "", "failures_since_start": 1}
    row = model.objects.create(**fields)
    model.objects.filter(pk=row.pk).update(attempt_time=NOW - age)
    return int(row.pk)


def _task_result(status: str, finished_days_ago: int | None) -> str:
    finished = None if finished_days_ago is None else NOW - timedelta(days=finished_days_ago)
    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="safepath.audit.tasks.audit_chain_check",
        backend_name="default",
        run_after=NOW,
        finished_at=finished,
        exception_class_path="",
        traceback="",
    )
    return str(row.pk)


@pytest.fixture
def records(caseworker_a: User) -> dict[str, object]:
    return {
        "live_session": _session(NOW + timedelta(minutes=10)),
        "dead_session": _session(NOW - timedelta(seconds=1)),
        "live_token": _token(caseworker_a, NOW + timedelta(hours=1)).pk,
        "lately_expired_token": _token(caseworker_a, NOW - timedelta(days=6)).pk,
        "old_token": _token(caseworker_a, NOW - timedelta(days=8)).pk,
        "lockout_attempt": _attempt(AccessAttempt, timedelta(minutes=5), "u1"),
        "old_attempt": _attempt(AccessAttempt, timedelta(days=91), "u2"),
        "recent_sign_in": _attempt(AccessLog, timedelta(days=89), "u3"),
        "old_sign_in": _attempt(AccessLog, timedelta(days=91), "u4"),
        "waiting_task": _task_result("READY", None),
        "running_task": _task_result("RUNNING", None),
        "recent_task": _task_result("SUCCESSFUL", 29),
        "old_task": _task_result("SUCCESSFUL", 31),
        "old_failed_task": _task_result("FAILED", 31),
    }


@pytest.mark.django_db
def test_prune_deletes_only_what_is_past_its_keeping_period(records: dict[str, object]) -> None:
    counts = expired_records_prune(now=NOW)

    assert counts == {
        "sessions": 1,
        "api_tokens": 1,
        "sign_in_attempts": 1,
        "sign_in_failures": 0,
        "sign_ins": 1,
        "task_results": 2,
    }
    assert set(Session.objects.values_list("session_key", flat=True)) == {records["live_session"]}
    assert set(ApiToken.objects.values_list("pk", flat=True)) == {
        records["live_token"],
        records["lately_expired_token"],
    }
    assert set(AccessAttempt.objects.values_list("pk", flat=True)) == {records["lockout_attempt"]}
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {records["recent_sign_in"]}
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == {
        records["waiting_task"],
        records["running_task"],
        records["recent_task"],
    }
    event = AuditEvent.objects.get(object_type="expired_records")
    assert event.action == "delete"
    assert event.details == counts


@pytest.mark.django_db
def test_a_dry_run_counts_and_deletes_nothing(records: dict[str, object]) -> None:
    before = (Session.objects.count(), ApiToken.objects.count(), DBTaskResult.objects.count())
    out = StringIO()
    call_command("prune", "--dry-run", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["dry_run"] is True
    assert report["deleted"]["api_tokens"] == 1
    assert report["deleted"]["task_results"] == 2
    assert (Session.objects.count(), ApiToken.objects.count(), DBTaskResult.objects.count()) == (
        before
    )
    assert not AuditEvent.objects.filter(object_type="expired_records").exists()


@pytest.mark.django_db
def test_the_command_prunes_and_says_what(records: dict[str, object]) -> None:
    out = StringIO()
    call_command("prune", stdout=out)
    assert "Deleted: 1 sessions, 1 api tokens" in out.getvalue()
    assert AuditEvent.objects.get(object_type="expired_records").channel == "cli"
