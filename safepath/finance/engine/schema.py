"""The canonical layout every input is turned into (issue 7, section 1), and its vocabularies."""

from __future__ import annotations

from functools import cache

import pycountry

TRANSACTION_COLUMNS: tuple[str, ...] = (
    "txn_id",
    "ts_utc",
    "customer_id",
    "account_id",
    "amount",
    "currency",
    "direction",
    "channel",
    "cp_name",
    "cp_account",
    "cp_country",
    "mcc",
    "merchant_name",
    "merchant_city",
    "terminal_id",
    "memo",
    # Optional extensions the research's data model names (section 1.0).
    "ts_local",
    "purpose_code",
    "crypto_tag",
    "passenger_count",
)
TRANSACTION_REQUIRED: tuple[str, ...] = (
    "txn_id",
    "ts_utc",
    "customer_id",
    "amount",
    "currency",
    "direction",
    "channel",
)
CUSTOMER_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "customer_type",
    "open_date",
    "occupation",
    "residence_country",
    "residence_city",
    "nationality",
    "birth_year",
    "phone_hash",
    "email_hash",
    "address_hash",
    "expected_monthly_volume",
)
CUSTOMER_REQUIRED: tuple[str, ...] = ("customer_id",)

DIRECTIONS: tuple[str, ...] = ("in", "out")
CHANNELS: tuple[str, ...] = (
    "cash_branch",
    "cash_atm",
    "card_pos",
    "card_cnp",
    "wire",
    "ach",
    "p2p",
    "etransfer",  # Interac e-Transfer and similar bank P2P (research s1.0); rules read it as p2p
    "msb_remittance",
    "crypto",
    "prepaid_load",
    "cheque",
)
CUSTOMER_TYPES: tuple[str, ...] = ("individual", "business")

# Crypto assets are not ISO 4217 but appear in AMLworld and bank feeds; a rate must still exist.
NON_ISO_CURRENCIES: tuple[str, ...] = ("BTC", "ETH", "USDT", "USDC")


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies) | frozenset(NON_ISO_CURRENCIES)
