"""The stored audit trail: `safepath audit verify` finds edits, deletions and reordering;
PostgreSQL itself refuses to change, delete or truncate an event."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent
from safepath.testing.factories import register_case

POSTGRES = connection.vendor == "postgresql"


def _verify(*args: str) -> tuple[int, dict[str, object]]:
    out = StringIO()
    try:
        call_command("audit", "verify", "--format", "json", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue())


def _raw(sql: str, params: list[object]) -> None:
    """Change the table behind the application's back, as an intruder with database access would."""
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only"
            )
        cursor.execute(sql, params)
        if POSTGRES:
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only"
            )


@pytest.fixture
def trail(caseworker_a: User) -> list[AuditEvent]:
    for _ in range(3):
        register_case(caseworker_a)
    return list(AuditEvent.objects.order_by("seq"))


@pytest.mark.django_db
def test_an_untouched_trail_verifies(trail: list[AuditEvent]) -> None:
    code, report = _verify()
    assert code == 0
    assert report["intact"] is True
    assert report["checked"] == len(trail) == 6
    assert report["head"] == f"{trail[-1].seq}:{trail[-1].hash}"


@pytest.mark.django_db
def test_an_edited_event_is_reported(trail: list[AuditEvent]) -> None:
    _raw("UPDATE audit_auditevent SET purpose = %s WHERE seq = %s", ["cover-up", 4])
    code, report = _verify()
    assert (code, report["intact"], report["broken_at"]) == (1, False, 4)
    assert "altered" in str(report["reason"])


@pytest.mark.django_db
def test_a_deleted_event_is_reported(trail: list[AuditEvent]) -> None:
    _raw("DELETE FROM audit_auditevent WHERE seq = %s", [3])
    code, report = _verify()
    assert (code, report["broken_at"]) == (1, 3)
    assert "missing" in str(report["reason"])


@pytest.mark.django_db
def test_reordered_events_are_reported(trail: list[AuditEvent]) -> None:
    _raw("UPDATE audit_auditevent SET seq = -1 WHERE seq = 2", [])
    _raw("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3", [])
    _raw("UPDATE audit_auditevent SET seq = 3 WHERE seq = -1", [])
    code, report = _verify()
    assert (code, report["broken_at"]) == (1, 2)


@pytest.mark.django_db
def test_a_cut_tail_is_reported_against_an_anchor(trail: list[AuditEvent]) -> None:
    anchor = f"{trail[-1].seq}:{trail[-1].hash}"
    _raw("DELETE FROM audit_auditevent WHERE seq >= %s", [5])
    assert _verify()[0] == 0  # without an anchor a cut tail looks like a shorter trail
    code, report = _verify("--anchor", anchor)
    assert (code, report["broken_at"]) == (1, 6)


@pytest.mark.django_db
def test_the_text_report_names_the_broken_event(trail: list[AuditEvent]) -> None:
    _raw("UPDATE audit_auditevent SET action = %s WHERE seq = %s", ["delete", 5])
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert "BROKEN at event #5" in err.getvalue()


@pytest.mark.skipif(not POSTGRES, reason="the append-only trigger is PostgreSQL's")
@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET purpose = 'x' WHERE seq = 1",
        "DELETE FROM audit_auditevent WHERE seq = 1",
    ],
)
def test_postgresql_refuses_update_and_delete(trail: list[AuditEvent], sql: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.get(seq=1).hash == trail[0].hash


@pytest.mark.skipif(not POSTGRES, reason="the TRUNCATE guard is PostgreSQL's")
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("audit_auditevent", "append-only"),
        ("screening_screeningrecord", "immutable"),
    ],
)
def test_postgresql_refuses_truncate(trail: list[AuditEvent], table: str, message: str) -> None:
    """TRUNCATE fires no row trigger; a statement trigger refuses it unless the session opts in
    (only the test suite's connections do, so that Django can empty tables between tests)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL safepath.allow_truncate = 'off'")
        with pytest.raises(DatabaseError, match=message), transaction.atomic():
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.count() == len(trail)
    assert AuditEvent.objects.get(seq=1).hash == trail[0].hash


@pytest.mark.django_db
def test_head_prints_seq_and_hash_or_refuses(caseworker_a: User) -> None:
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("audit", "head", stdout=StringIO(), stderr=err)
    assert "empty" in err.getvalue()
    register_case(caseworker_a)
    out = StringIO()
    call_command("audit", "head", stdout=out)
    last = AuditEvent.objects.order_by("-seq").first()
    assert out.getvalue().strip() == f"{last.seq}:{last.hash}"
    _raw("UPDATE audit_auditevent SET purpose = %s WHERE seq = %s", ["x", 1])
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit):
        call_command("audit", "head", stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert "BROKEN at event #1" in err.getvalue()
