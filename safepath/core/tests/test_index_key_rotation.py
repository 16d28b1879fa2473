"""A new blind-index key: indexes recomputed, signatures re-made, codes people hold still found.

Issue 21, finding 2: the blind-index key could not be rotated, and screening signatures hang
off it. These tests rotate it and check every search, signature and tracking code still works,
that an altered record is never re-signed, and that the old key cannot be retired while a code
made under it waits to be used.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.models import Child
from safepath.core import crypto, keyring
from safepath.screening import signing
from safepath.screening.models import ScreeningRecord
from safepath.screening.services import screening_record
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

ITEMS = ["substance_use", "ran_away", "police_contact", "sti", "many_partners", "serious_injury"]


@pytest.fixture
def ring_file(tmp_path: Path, settings: Any) -> Iterator[Path]:
    path = tmp_path / "keyring.json"
    shutil.copy(settings.KEYRING_FILE, path)
    settings.KEYRING_FILE = path
    settings.DATA_DIR = tmp_path / "data"
    crypto.reload_keyring()
    yield path
    crypto.reload_keyring()


def _screen(user: User) -> ScreeningRecord:
    return screening_record(
        user=user,
        instrument_id="sscst-6",
        submission={
            "age": 15,
            "answers": dict(zip(ITEMS, ["yes", "yes", "no", "no", "no", "no"], strict=True)),
            "context": {"setting": "health"},
        },
        case=None,
        channel=Channel.API,
    )


def _status() -> dict[str, Any]:
    out = StringIO()
    call_command("keys", "status", "--format", "json", stdout=out)
    return dict(json.loads(out.getvalue()))


def _rotate() -> None:
    call_command("keys", "rotate", stdout=StringIO(), verbosity=0)
    crypto.reload_keyring()


@pytest.mark.django_db
def test_a_new_index_key_recomputes_name_indexes_and_search_still_finds(
    ring_file: Path, caseworker_a: User
) -> None:
    case = register_case(caseworker_a, given_name="Zawadi", family_name="Otieno")
    old_index = keyring.load_file(ring_file).index_active
    before = Child.objects.values_list("given_name_index", flat=True).get(pk=case.child_id)

    _rotate()

    ring = keyring.load_file(ring_file)
    assert ring.index_active != old_index
    after = Child.objects.values_list("given_name_index", flat=True).get(pk=case.child_id)
    assert after != before
    assert after == crypto.blind_index("zawadi", purpose="child.given_name", ring=ring)
    found = api_client_for(caseworker_a).get("/api/v1/cases/", {"family_name": "OTIENO"})
    assert [row["id"] for row in found.json()["results"]] == [str(case.id)]
    counts = _status()["indexes"]
    assert counts[old_index] == 0
    assert counts[ring.index_active] == 2
    call_command("keys", "retire", old_index, stdout=StringIO())
    assert old_index not in keyring.load_file(ring_file).index_keys


@pytest.mark.django_db
def test_search_finds_a_row_not_yet_recomputed(ring_file: Path, caseworker_a: User) -> None:
    case = register_case(caseworker_a, family_name="Otieno")
    # the new index key is written, the indexes not yet recomputed
    keyring.write_file(ring_file, keyring.load_file(ring_file).with_new_index_key())
    crypto.reload_keyring()
    found = api_client_for(caseworker_a).get("/api/v1/cases/", {"family_name": "Otieno"})
    assert [row["id"] for row in found.json()["results"]] == [str(case.id)]


@pytest.mark.django_db
def test_signatures_are_remade_and_still_verify(ring_file: Path, caseworker_a: User) -> None:
    record = _screen(caseworker_a)
    old_index = keyring.load_file(ring_file).index_active
    assert _status()["signatures"] == {old_index: 1}

    _rotate()

    new_index = keyring.load_file(ring_file).index_active
    fresh = ScreeningRecord.objects.get(pk=record.pk)
    assert fresh.signature != record.signature
    assert signing.key_of(fresh) == new_index
    assert _status()["signatures"] == {old_index: 0, new_index: 1}
    call_command("keys", "retire", old_index, stdout=StringIO())
    crypto.reload_keyring()
    assert signing.verify(ScreeningRecord.objects.get(pk=record.pk))


@pytest.mark.django_db
def test_an_altered_record_is_never_re_signed(ring_file: Path, caseworker_a: User) -> None:
    record = _screen(caseworker_a)
    forged = "0" * 64
    with connection.cursor() as cursor:  # a superuser past the trigger (SQLite: no trigger)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE screening_screeningrecord SET signature = %s WHERE id = %s",
            [forged, record.pk.hex if connection.vendor == "sqlite" else record.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")

    _rotate()

    assert ScreeningRecord.objects.get(pk=record.pk).signature == forged
    assert not signing.verify(ScreeningRecord.objects.get(pk=record.pk))


@pytest.mark.django_db
def test_retiring_an_index_key_is_refused_while_a_signature_needs_it(
    ring_file: Path, caseworker_a: User
) -> None:
    _screen(caseworker_a)
    ring = keyring.load_file(ring_file)
    keyring.write_file(ring_file, ring.with_new_index_key())
    crypto.reload_keyring()
    with pytest.raises(CommandError, match=r"Still sealed under .*: 1 signature"):
        call_command("keys", "retire", ring.index_active, stdout=StringIO())
    assert ring.index_active in keyring.load_file(ring_file).index_keys


@pytest.mark.django_db
def test_on_postgresql_only_sealed_columns_of_a_screening_record_may_change(
    caseworker_a: User,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the immutability trigger is PostgreSQL's")
    from django.db import DatabaseError, transaction

    from safepath.core.rotation import allow_rekey

    record = _screen(caseworker_a)
    rows = ScreeningRecord.objects.filter(pk=record.pk)
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        rows.update(signature="1" * 64)

    def rekey_and_change_the_outcome() -> None:
        allow_rekey()
        rows.update(outcome="not_indicated")

    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        rekey_and_change_the_outcome()
    with transaction.atomic():
        allow_rekey()
        ScreeningRecord.objects.filter(pk=record.pk).update(signature="1" * 64)
    assert ScreeningRecord.objects.get(pk=record.pk).signature == "1" * 64
