"""The forgiving search finds its candidates through keyed name keys, never by reading every
name: the keys hold no name, follow every change of a name, go with an erasure of identity,
and move to a new index key with `keys rotate`."""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases import name_keys
from safepath.cases.models import Case, ChildNameKey
from safepath.cases.search import case_name_search
from safepath.cases.services import case_update
from safepath.core import crypto, keyring, rotation
from safepath.testing.factories import register_case

OTHERS = [
    ("Amina", "Odhiambo"),
    ("Baraka", "Mwangi"),
    ("Chiku", "Njeri"),
    ("Daudi", "Kamau"),
    ("Esther", "Akinyi"),
    ("Faith", "Wambui"),
    ("Gideon", "Otieno"),
    ("Halima", "Juma"),
]


@pytest.fixture
def ring_file(tmp_path: Path, settings: Any) -> Iterator[Path]:
    path = tmp_path / "keyring.json"
    shutil.copy(settings.KEYRING_FILE, path)
    settings.KEYRING_FILE = path
    settings.DATA_DIR = tmp_path / "data"
    crypto.reload_keyring()
    yield path
    crypto.reload_keyring()


@pytest.fixture
def children(caseworker_a: User) -> dict[str, Case]:
    cases = {
        given: register_case(caseworker_a, given_name=given, family_name=family)
        for given, family in OTHERS
    }
    cases["mohammed"] = register_case(
        caseworker_a, given_name="Mohammed", family_name="Al-Rashid", other_names=["Hamdi"]
    )
    return cases


def _found(user: User, typed: str) -> list[Any]:
    return [hit.case.id for hit in case_name_search(user=user, name=typed)[0]]


@pytest.mark.django_db
def test_a_search_decrypts_only_the_candidates_names(
    caseworker_a: User, children: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    decrypt = crypto.decrypt

    def counting(token: str, *, context: str, ring: Any = None) -> str:
        opened.append(context)
        return decrypt(token, context=context, ring=ring)

    monkeypatch.setattr(crypto, "decrypt", counting)

    assert _found(caseworker_a, "محمد") == [children["mohammed"].id]
    assert opened.count("cases.child.given_name") == 1  # one of nine children


@pytest.mark.django_db
def test_the_keys_hold_no_name_and_use_the_active_index_key(
    caseworker_a: User, children: dict[str, Case]
) -> None:
    child_id = children["mohammed"].child_id
    keys = list(ChildNameKey.objects.filter(child_id=child_id).values_list("key", "key_id"))
    assert len(keys) > 10  # forms, beginnings and sounds of three names
    ring = crypto.current_keyring()
    assert {key_id for _, key_id in keys} == {ring.index_active}
    stored = " ".join(key for key, _ in keys).casefold()
    for fragment in ("moh", "mohammed", "rashid", "hamdi", "mhmd"):
        assert fragment not in stored


@pytest.mark.django_db
def test_changing_a_name_remakes_its_keys(caseworker_a: User, children: dict[str, Case]) -> None:
    case = children["mohammed"]
    case_update(
        user=caseworker_a,
        case=case,
        expected_version=case.version,
        changes={"given_name": "Zawadi", "other_names": []},
        channel=Channel.API,
    )
    assert _found(caseworker_a, "Zawadi") == [case.id]
    assert _found(caseworker_a, "Mohammed") == []
    assert _found(caseworker_a, "Hamdi") == []
    assert _found(caseworker_a, "rash") == [case.id]  # the family name stayed


@pytest.mark.django_db
def test_an_import_makes_keys_for_every_child(caseworker_a: User) -> None:
    from safepath.cases.services import cases_register_many
    from safepath.cases.services.records import CaseInput, ChildInput

    entries = [
        (ChildInput(given_name=given, family_name=family), CaseInput(identified_on=_today()))
        for given, family in OTHERS
    ]
    cases = cases_register_many(user=caseworker_a, entries=entries, channel=Channel.CLI)
    assert _found(caseworker_a, "Wamb") == [cases[5].id]
    assert ChildNameKey.objects.values("child_id").distinct().count() == len(OTHERS)


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@pytest.mark.django_db
def test_the_migration_makes_keys_for_children_registered_before_it(
    caseworker_a: User, children: dict[str, Case]
) -> None:
    ChildNameKey.objects.all().delete()
    assert _found(caseworker_a, "Mohammed") == []

    migration = importlib.import_module("safepath.cases.migrations.0006_child_name_keys")
    migration.make_keys(django_apps, None)

    assert _found(caseworker_a, "Mohammed") == [children["mohammed"].id]
    assert _found(caseworker_a, "Baraka") == [children["Baraka"].id]


@pytest.mark.django_db
def test_rotation_remakes_the_keys_and_search_works_throughout(
    ring_file: Path, caseworker_a: User, children: dict[str, Case]
) -> None:
    old_index = crypto.current_keyring().index_active
    before = ChildNameKey.objects.count()
    # a new index key made active elsewhere: the stored keys are still under the old one
    keyring.write_file(ring_file, keyring.load_file(ring_file).with_new_index_key())
    crypto.reload_keyring()
    assert rotation.sealed_under(crypto.current_keyring(), old_index)["name keys"] == before
    assert _found(caseworker_a, "Muhamad") == [children["mohammed"].id]

    call_command("keys", "rotate", stdout=StringIO(), verbosity=0)

    ring = crypto.current_keyring()
    assert set(ChildNameKey.objects.values_list("key_id", flat=True)) == {ring.index_active}
    assert ChildNameKey.objects.count() == before
    assert "name keys" not in rotation.sealed_under(ring, old_index)
    assert _found(caseworker_a, "Muhamad") == [children["mohammed"].id]
    assert name_keys.NameKeys().count_not_under_active(ring) == 0


@pytest.mark.django_db
def test_a_long_beginning_is_found_beyond_the_stored_prefixes(caseworker_a: User) -> None:
    case = register_case(caseworker_a, given_name="Ada", family_name="Oluwaseyifunmi")
    register_case(caseworker_a, given_name="Ada", family_name="Oluwasegun")
    assert len("oluwaseyif") > name_keys.PREFIX_MAX
    hits, _ = case_name_search(user=caseworker_a, name="Oluwaseyif")
    assert [hit.case.id for hit in hits] == [case.id]
    assert hits[0].reason == "Part of the name"
