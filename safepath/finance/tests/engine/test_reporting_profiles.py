"""HT-15 judges each amount against its jurisdiction's reporting level, in that level's currency
(reference/reporting_thresholds.yaml): a table of deposits x jurisdictions x base currencies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from safepath.finance.engine import reference
from safepath.finance.engine.screening import screen
from safepath.finance.tests.engine.builders import customer, frames, tx


def _deposits(
    amount: str, currency: str, residence: str, *, channel: str = "cash_branch", n: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    direction = "in" if channel.startswith("cash") else "out"
    rows = [
        tx("C1", day=d, channel=channel, direction=direction, amount=amount, currency=currency)
        for d in range(0, 2 * n, 2)
    ]
    return frames(rows, [customer("C1", residence_country=residence)])


def _fires(frames_: tuple[pd.DataFrame, pd.DataFrame], base: str = "USD") -> bool:
    result = screen(*frames_, rule_ids=["HT-15"], threshold=1, base_currency=base)
    return any(h.rule_id == "HT-15" for a in result.alerts for h in a.hits)


# (amount, currency, residence, channel, fires): each line names why.
TABLE: list[tuple[str, str, str, str, bool]] = [
    ("9500", "USD", "US", "cash_branch", True),  # 95 % of the US CTR
    ("10000", "USD", "US", "cash_branch", False),  # at the CTR: reported, not avoided
    ("7999", "USD", "US", "cash_branch", False),  # below the band (0.8 x 10,000)
    ("8000", "USD", "US", "cash_branch", True),  # the band's lower bound is inclusive
    ("9500", "CAD", "CA", "cash_branch", True),  # 95 % of the LCTR, in CAD
    ("9500", "AUD", "AU", "cash_atm", True),  # 95 % of the TTR, in AUD (USD 6,270)
    ("9500", "AUD", "US", "cash_branch", True),  # AUD cash: deposited in Australia
    ("9500", "NZD", "NZ", "cash_branch", True),  # 95 % of the PTR
    ("9500", "GBP", "GB", "cash_branch", True),  # GB reference level (no statutory report)
    ("9500", "EUR", "DE", "cash_branch", True),  # DE reference level, EUR 10,000
    ("9500", "EUR", "IT", "cash_branch", True),  # no IT profile: EUR home profile (EU)
    ("9500", "USD", "CA", "cash_branch", True),  # USD cash: the US home profile, 95 %
    ("9500", "CAD", "US", "cash_branch", True),  # CAD cash: Canada's LCTR, in CAD
    ("9500", "EUR", "CA", "cash_branch", True),  # EUR cash, no CA profile in EUR: EU level
    ("2800", "USD", "US", "wire", True),  # 93 % of the US USD 3,000 wire level
    ("2800", "AUD", "AU", "wire", False),  # Australia has no wire level (IFTI at any amount)
    ("9500", "CAD", "CA", "msb_remittance", True),  # 95 % of Canada's CAD 10,000 EFT report
    ("2800", "CAD", "CA", "wire", False),  # Canada's wire level is CAD 10,000, not 3,000
    ("9500", "JPY", "JP", "cash_branch", False),  # no JP profile: default USD 10,000 level
    ("1400000", "JPY", "JP", "cash_branch", True),  # JPY 1.4 M = USD 9,380: default level
    ("1600000", "JPY", "JP", "cash_branch", False),  # JPY 1.6 M = USD 10,720: above it
    ("12000", "CHF", "AU", "cash_branch", False),  # CHF, AU resident: AUD 20,364, above TTR
    ("5000", "CHF", "AU", "cash_branch", True),  # CHF 5,000 = AUD 8,485: converted, 85 %
]


@pytest.mark.parametrize(("amount", "currency", "residence", "channel", "fires"), TABLE)
def test_structuring_level_is_the_jurisdictions_own(
    amount: str, currency: str, residence: str, channel: str, fires: bool
) -> None:
    assert _fires(_deposits(amount, currency, residence, channel=channel)) is fires


@pytest.mark.parametrize("base", ["USD", "EUR", "AUD", "GBP"])
def test_base_currency_does_not_move_the_level(base: str) -> None:
    assert _fires(_deposits("9500", "AUD", "AU"), base) is True
    assert _fires(_deposits("9500", "CAD", "CA"), base) is True
    assert _fires(_deposits("10500", "AUD", "AU"), base) is False


def test_two_deposits_are_not_a_pattern() -> None:
    assert _fires(_deposits("9500", "CAD", "CA", n=2)) is False


def test_shipped_profiles_cite_their_source_and_say_which_are_statutory() -> None:
    profiles = reference.reporting_profiles()
    expected = {"US": ("USD", "10000"), "CA": ("CAD", "10000"), "AU": ("AUD", "10000")}
    for code, (currency, amount) in expected.items():
        assert profiles[code].currency == currency
        assert profiles[code].cash == Decimal(amount)
        assert profiles[code].cash_statutory
        assert profiles[code].source
    assert not profiles["GB"].cash_statutory
    assert not profiles["DE"].cash_statutory
    assert profiles["AU"].wire is None


BAD: list[tuple[dict[str, Any], str]] = [
    ({"US": {"currency": "USD", "cash": None, "wire": None}}, "'default'"),
    ({"default": {"currency": "XYZ", "cash": None, "wire": None}}, "default.currency"),
    ({"default": {"currency": "USD", "cash": None}}, "default.wire"),
    (
        {"default": {"currency": "USD", "cash": {"amount": -1, "source": "x"}, "wire": None}},
        "default.cash.amount",
    ),
    (
        {"default": {"currency": "USD", "cash": {"amount": 10}, "wire": None}},
        "default.cash.source",
    ),
    (
        {
            "default": {"currency": "USD", "cash": None, "wire": None},
            "ZZ": {"currency": "USD", "cash": None, "wire": None},
        },
        "jurisdictions.ZZ",
    ),
    (
        {
            "default": {"currency": "USD", "home_currency": True, "cash": None, "wire": None},
            "US": {"currency": "USD", "home_currency": True, "cash": None, "wire": None},
        },
        "US.home_currency",
    ),
]


@pytest.mark.parametrize(("raw", "where"), BAD)
def test_a_bad_profile_is_refused_naming_the_field(raw: dict[str, Any], where: str) -> None:
    with pytest.raises(ValueError, match=where.replace(".", r"\.")):
        reference._profiles(raw)
