"""Case numbers are random, so two can collide: whoever stores a case draws again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from safepath.accounts.models import User
from safepath.cases.models import records
from safepath.testing.factories import register_case


@pytest.mark.django_db
def test_a_drawn_number_already_stored_or_drawn_twice_is_drawn_again(
    caseworker_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = register_case(caseworker_a).reference
    draws: Iterator[str] = iter([stored, "SP-AAAA-AAAA", "SP-AAAA-AAAA", "SP-BBBB-BBBB"])
    monkeypatch.setattr(records, "new_case_reference", lambda: next(draws))

    assert sorted(records.unused_references(2)) == ["SP-AAAA-AAAA", "SP-BBBB-BBBB"]


@pytest.mark.django_db
def test_registering_never_reuses_a_stored_number(
    caseworker_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = register_case(caseworker_a).reference
    draws: Iterator[str] = iter([first, "SP-CCCC-CCCC"])
    monkeypatch.setattr(records, "new_case_reference", lambda: next(draws))

    assert register_case(caseworker_a).reference == "SP-CCCC-CCCC"
