"""An import does not stop the service: while `safepath import cases` is under way, other users
read cases and sign in, on SQLite and on PostgreSQL.

The import runs in a thread with its own database connection and is held at a known point in
the middle of its rows (a wrapper around the per-row build). While it is held there, the test's
own connection signs in and reads cases through the API. Before the fix the import held the
audit chain's lock (and SQLite's write lock) from its first row to its commit: the sign-in then
failed with "database is locked" on SQLite, and waited for the import's end on PostgreSQL. The
assertions are about order, not time: the reads succeed while the import is still held, their
audit events come before the import's in the chain, and the import then stores every row.
"""

from __future__ import annotations

import csv
import datetime
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent
from safepath.audit.selectors import audit_chain_verify
from safepath.cases.models import Case
from safepath.cases.services import CaseInput, ChildInput, case_register, records
from safepath.testing.factories import PASSWORD
from safepath.testing.fixtures import call_cli

MAPPING = Path(__file__).parent / "fixtures" / "import_mapping.yaml"
ROWS = 400
HOLD_AT_ROW = 200
# Only a guard against a deadlock hanging the suite (the old code made the import and the reader
# wait for each other); the test's verdict never depends on how long anything took.
DEADLOCK_GUARD_SECONDS = 60


def _write_rows(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["First name", "Surname", "Gender", "DOB", "Nationality", "Date identified",
             "Exploitation", "Where exploited"]
        )  # fmt: skip
        for number in range(ROWS):
            writer.writerow(
                [f"Synth{number}", "Testimport", "F", "02/03/2012", "KE", "01/10/2026",
                 "begging", ""]
            )  # fmt: skip


class HeldImport(threading.Thread):
    """`safepath import cases` in a thread of its own, held at one row until released."""

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.held = threading.Event()
        self.release = threading.Event()
        self.finished = threading.Event()
        self.result: tuple[int, str, str] | None = None
        self.error: BaseException | None = None
        real_build = records.build_child
        built = 0

        def build_child(*args: Any, **kwargs: Any) -> Any:
            nonlocal built
            built += 1
            if built == HOLD_AT_ROW:
                self.held.set()
                self.release.wait(DEADLOCK_GUARD_SECONDS)
            return real_build(*args, **kwargs)

        monkeypatch.setattr(records, "build_child", build_child)

    def wait_until_held(self) -> None:
        for _ in range(DEADLOCK_GUARD_SECONDS * 10):
            if self.held.wait(0.1) or self.finished.is_set():
                break
        assert self.held.is_set(), f"the import never reached row {HOLD_AT_ROW}: {self.result}"

    def run(self) -> None:
        try:
            self.result = call_cli(
                "import", "cases", str(self.path), "--mapping", str(MAPPING),
                "--user", "caseworker.a", "--format", "json",
            )  # fmt: skip
        except BaseException as error:  # reported by the test thread
            self.error = error
        finally:
            self.finished.set()
            connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_reads_and_sign_ins_go_on_while_an_import_is_under_way(
    caseworker_a: User, supervisor_a: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = case_register(
        user=caseworker_a,
        child=ChildInput(given_name="Before"),
        case=CaseInput(identified_on=datetime.date(2026, 9, 1)),
        channel="cli",
    )
    device = TOTPDevice.objects.create(user=supervisor_a, name="phone", confirmed=True)
    otp_code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    path = tmp_path / "many.csv"
    _write_rows(path)
    importer = HeldImport(path, monkeypatch)
    importer.start()
    try:
        importer.wait_until_held()

        # The import is in the middle of its rows: sign in, list and read cases meanwhile.
        client = APIClient()
        signed_in = client.post(
            "/api/v1/auth/token/",
            {"username": "supervisor.a", "password": PASSWORD, "otp": f"{otp_code:06d}"},
            format="json",
        )
        assert signed_in.status_code == 200, signed_in.content
        client.credentials(HTTP_AUTHORIZATION=f"Token {signed_in.json()['token']}")
        listed = client.get("/api/v1/cases/")
        read = client.get(f"/api/v1/cases/{existing.id}/")
        statuses = (listed.status_code, read.status_code)
        still_held = not importer.finished.is_set()
        last_read_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[0]
    finally:
        importer.release.set()
        importer.join(DEADLOCK_GUARD_SECONDS)

    assert statuses == (200, 200)
    assert still_held, "the reads only got through once the import had finished"
    assert importer.error is None, importer.error
    assert importer.result is not None
    code, _out, err = importer.result
    assert code == 0, err
    assert Case.objects.count() == ROWS + 1
    imported = AuditEvent.objects.filter(object_type="case", action="create", channel="cli")
    assert imported.count() == ROWS + 1
    # The import's events were chained after the reads' (at its end), and the chain holds.
    first_import_seq = imported.exclude(object_id=str(existing.id)).order_by("seq")[0].seq
    assert first_import_seq > last_read_seq
    assert audit_chain_verify().intact
