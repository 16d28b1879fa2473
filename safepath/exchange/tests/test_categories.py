"""Default-deny across borders: every key a transfer package can carry is a key of the case
read with a data category (``cases/scopes.py``), so a new field leaves only once it has one;
and every serializer of the exchange API is placed (no child data, or the package)."""

from __future__ import annotations

import inspect

import pytest
from rest_framework import serializers

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.scopes import EVERY_HOLDER, KEY_CATEGORY
from safepath.cases.services import family_member_add, note_add
from safepath.cases.vocabulary import DataCategory
from safepath.exchange import packages
from safepath.exchange import serializers as s
from safepath.testing.factories import register_case

# The package, already cut to its categories by packages.case_package (checked below).
CARRIES_THE_PACKAGE = {s.TransferDetailSerializer, s.IncomingDetailSerializer}
# No child data: registrations, ids, kinds, times, hashes, statuses, references.
NO_CHILD_DATA = {
    s.AgencyCodeSerializer,
    s.PartnerSerializer,
    s.IdentitySerializer,
    s.MessageSerializer,
    s.InboxAnswerSerializer,
    s.OutboxSerializer,  # sealed tokens: only the partner opens them
    s.TransferSerializer,
    s.IncomingSerializer,
    s.AcceptedSerializer,
}


def test_every_output_serializer_of_the_exchange_is_placed() -> None:
    outputs = {
        cls
        for _name, cls in inspect.getmembers(s, inspect.isclass)
        if issubclass(cls, serializers.BaseSerializer)
        and cls.__module__ == s.__name__
        and "Input" not in cls.__name__
    }
    assert outputs == CARRIES_THE_PACKAGE | NO_CHILD_DATA


@pytest.mark.django_db
def test_every_key_of_a_full_package_has_a_category(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    family_member_add(
        user=caseworker_a, case=case, relation="uncle", name="Synthetic", channel=Channel.API
    )
    note_add(user=caseworker_a, case=case, body="Synthetic note.", channel=Channel.API)
    package = packages.case_package(case, list(DataCategory.values))
    keys = [f"child.{k}" for k in package["child"]] + [k for k in package if k != "child"]
    framing = {"withheld_categories"}
    assert [k for k in keys if k not in KEY_CATEGORY and k not in framing] == []
    assert {"family", "notes", "child.address"} <= set(keys)


@pytest.mark.django_db
def test_a_package_for_no_category_carries_only_the_frame(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    package = packages.case_package(case, [])
    assert set(package) == {"id", "reference", "identified_on", "child", "withheld_categories"}
    assert package["child"] == {}
    assert all(KEY_CATEGORY[k] == EVERY_HOLDER for k in ("id", "reference", "identified_on"))


def test_only_known_categories_both_allow_are_packed() -> None:
    assert packages.package_categories(["identity", "notes", "made_up"], ["notes", "made_up"]) == [
        "notes"
    ]
