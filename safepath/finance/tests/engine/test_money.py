"""Decimal money and base-currency conversion."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepath.finance.engine.money import RatesError, convert, rates_to_base


def test_rates_are_re_expressed_against_the_base_currency() -> None:
    base = rates_to_base({"USD": "1", "EUR": "1.08", "GBP": "1.27"}, "EUR")
    assert base["EUR"] == Decimal(1)
    assert convert(Decimal("100"), "USD", base) == Decimal("92.59")


def test_half_even_rounding_to_cents() -> None:
    assert convert(Decimal("0.125"), "USD", {"USD": Decimal(1)}) == Decimal("0.12")
    assert convert(Decimal("0.135"), "USD", {"USD": Decimal(1)}) == Decimal("0.14")


@pytest.mark.parametrize("bad", [{"XXQ": "1", "USD": "1"}, {"USD": "0"}, {"USD": "abc"}])
def test_bad_rates_are_refused(bad: dict[str, str]) -> None:
    with pytest.raises(RatesError):
        rates_to_base(bad, "USD")


def test_missing_base_rate_is_refused() -> None:
    with pytest.raises(RatesError):
        rates_to_base({"USD": "1"}, "EUR")


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_usd_to_usd_is_identity(amount: Decimal) -> None:
    assert convert(amount, "USD", rates_to_base(None, "USD")) == amount
