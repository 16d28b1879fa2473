"""Money is Decimal with a currency; conversion to a base currency uses a dated rates table.

The shipped table (``reference/rates.yaml``) is illustrative, fixed and dated; a bank passes its
own rates (the rates of its booking date) for real use.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from safepath.finance.engine.schema import currency_codes

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
DEFAULT_RATES_FILE = REFERENCE_DIR / "rates.yaml"
CENT = Decimal("0.01")


class RatesError(ValueError):
    pass


def load_rates(path: Path | None = None) -> dict[str, Decimal]:
    """Currency -> value of one unit in USD, from a YAML file ``{rates_to_usd: {EUR: "1.08"}}``."""
    data: Any = yaml.safe_load((path or DEFAULT_RATES_FILE).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("rates_to_usd"), dict):
        raise RatesError(f"{path}: expected a mapping 'rates_to_usd'")
    return _checked({str(k): v for k, v in data["rates_to_usd"].items()})


def _checked(raw: dict[str, Any]) -> dict[str, Decimal]:
    rates: dict[str, Decimal] = {}
    for code, value in raw.items():
        if code.upper() not in currency_codes():
            raise RatesError(f"unknown currency code in rates: {code}")
        try:
            rate = Decimal(str(value))
        except InvalidOperation as error:
            raise RatesError(f"rate for {code} is not a number: {value!r}") from error
        if rate <= 0:
            raise RatesError(f"rate for {code} must be positive")
        rates[code.upper()] = rate
    return rates


def rates_to_base(
    rates: dict[str, Decimal] | dict[str, Any] | None, base_currency: str
) -> dict[str, Decimal]:
    """Re-express a USD-based table against ``base_currency`` (1 unit of X in base units)."""
    table = _checked(dict(rates)) if rates is not None else load_rates()
    base = base_currency.upper()
    if base not in table:
        raise RatesError(f"no rate for the base currency {base}")
    return {code: rate / table[base] for code, rate in table.items()}


def convert(amount: Decimal, currency: str, base_rates: dict[str, Decimal]) -> Decimal:
    """``amount`` in ``currency`` expressed in the base currency, rounded half-even to cents."""
    try:
        rate = base_rates[currency.upper()]
    except KeyError as error:
        raise RatesError(f"no rate for {currency}") from error
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
