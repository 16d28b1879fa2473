"""Deterministic synthetic bank data: ordinary behaviour plus injected, labelled typologies.

Ordinary rows are drawn column by column with numpy and written with pyarrow, so 10 M rows take
seconds. Injected typologies (``synth_typologies``) are few and built row by row. Everything is
synthetic: ids, hashes and names are made up; no real person or merchant is represented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from safepath.finance.engine.synth_typologies import TYPOLOGIES, Injector

START = date(2025, 1, 6)
HOME_COUNTRY = "US"
CITIES = (
    "Springfield",
    "Riverton",
    "Lakeside",
    "Fairview",
    "Georgetown",
    "Salem",
    "Madison",
    "Clinton",
    "Arlington",
    "Ashland",
    "Dover",
    "Franklin",
    "Greenville",
    "Hudson",
    "Kingston",
)
DIASPORA = ("MX", "PH", "IN", "NG", "GT", "VN", "CO", "TH")
OCCUPATIONS = (
    "teacher",
    "nurse",
    "driver",
    "clerk",
    "engineer",
    "student",
    "retired",
    "cook",
    "builder",
    "sales",
)
BUSINESS_SECTORS = ("restaurant", "retail", "construction", "cleaning", "farm", "salon")
# (channel, direction, share of rows, lognormal mean, sigma)
CHANNEL_MIX: tuple[tuple[str, str, float, float, float], ...] = (
    ("card_pos", "out", 0.46, 3.3, 0.9),
    ("card_cnp", "out", 0.16, 3.5, 1.0),
    ("ach", "out", 0.08, 5.5, 0.8),
    ("ach", "in", 0.03, 6.0, 0.7),
    ("p2p", "out", 0.06, 3.6, 0.8),
    ("p2p", "in", 0.05, 3.6, 0.8),
    ("cash_atm", "out", 0.08, 4.3, 0.6),
    ("cash_atm", "in", 0.02, 5.0, 0.8),
    ("cash_branch", "in", 0.02, 5.8, 0.9),
    ("wire", "out", 0.01, 6.5, 1.0),
    ("cheque", "in", 0.015, 5.5, 0.8),
    ("cheque", "out", 0.005, 5.0, 0.8),
    ("prepaid_load", "out", 0.004, 3.5, 0.5),
    ("crypto", "out", 0.003, 4.5, 1.0),
    ("msb_remittance", "out", 0.003, 5.3, 0.6),
)
# Everyday card categories and their weights; the rare ones keep rules' near-misses realistic.
CARD_MCCS: tuple[tuple[str, float], ...] = (
    ("5411", 0.22),
    ("5812", 0.14),
    ("5814", 0.10),
    ("5541", 0.10),
    ("5912", 0.05),
    ("5311", 0.07),
    ("5999", 0.08),
    ("4121", 0.04),
    ("5977", 0.02),
    ("7230", 0.02),
    ("5621", 0.02),
    ("5813", 0.03),
    ("7011", 0.02),
    ("4511", 0.01),
    ("4112", 0.01),
    ("5732", 0.03),
    ("5942", 0.02),
    ("7512", 0.01),
    ("5967", 0.005),
    ("6540", 0.005),
)


@dataclass
class SynthConfig:
    customers: int = 1000
    days: int = 90
    seed: int = 7
    rate: float = 1.0  # ordinary transactions per customer per day
    injected_share: float = 0.01  # share of customers carrying an injected typology
    start: date = START
    typologies: tuple[str, ...] = field(default_factory=lambda: tuple(TYPOLOGIES))


@dataclass
class SynthOutput:
    transactions: Path
    customers: Path
    ground_truth: Path
    ground_truth_txns: Path
    rows: int
    injected: dict[str, int]


def _or_none(mask: npt.NDArray[Any], values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``values`` where ``mask`` holds, None elsewhere (an object array pyarrow reads as nulls)."""
    out = np.full(len(mask), None, dtype=object)
    out[mask] = values[mask]
    return out


def _dict_array(indices: npt.NDArray[Any], values: tuple[str, ...] | list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(indices.astype(np.int32)), pa.array(list(values))
    )


def _ids(prefix: str, numbers: npt.NDArray[Any], width: int) -> pa.Array:
    text = np.char.add(prefix, np.char.zfill(numbers.astype(str), width))
    return pa.array(text.astype(object), type=pa.string())


def _customers(cfg: SynthConfig, rng: np.random.Generator) -> dict[str, Any]:
    n = cfg.customers
    business = rng.random(n) < 0.08
    diaspora = (~business) & (rng.random(n) < 0.12)
    nationality = np.where(diaspora, rng.choice(DIASPORA, n), HOME_COUNTRY)
    household = np.arange(n)
    pairs = rng.random(n) < 0.1  # some households of two share an address
    household[1:][pairs[1:]] = household[:-1][pairs[1:]]
    city = rng.integers(0, len(CITIES), n)
    occupations = np.where(business, rng.choice(BUSINESS_SECTORS, n), rng.choice(OCCUPATIONS, n))
    return {
        "customer_id": _ids("C", np.arange(n), 7),
        "customer_type": np.where(business, "business", "individual"),
        "open_date": [(cfg.start.toordinal() - int(d)) for d in rng.integers(30, 4000, n)],
        "occupation": occupations,
        "residence_country": np.full(n, HOME_COUNTRY),
        "residence_city": np.array(CITIES)[city],
        "nationality": nationality,
        "birth_year": rng.integers(1950, 2006, n),
        "phone_hash": _ids("ph", np.arange(n), 7),
        "email_hash": _ids("em", np.arange(n), 7),
        "address_hash": _ids("ad", household, 7),
        "expected_monthly_volume": np.where(business, 40000, 3000),
        "_business": business,
        "_diaspora": diaspora,
        "_city": city,
    }


def _ordinary(cfg: SynthConfig, rng: np.random.Generator, cust: dict[str, Any]) -> dict[str, Any]:
    n_cust = cfg.customers
    total = int(rng.poisson(cfg.rate * cfg.days * n_cust))
    owner = np.sort(rng.integers(0, n_cust, total))
    shares = np.array([c[2] for c in CHANNEL_MIX])
    kind = rng.choice(len(CHANNEL_MIX), total, p=shares / shares.sum())
    # Remittances only for diaspora customers: others' draws become card payments.
    remit = kind == len(CHANNEL_MIX) - 1
    kind[remit & ~cust["_diaspora"][owner]] = 0
    mean = np.array([c[3] for c in CHANNEL_MIX])[kind]
    sigma = np.array([c[4] for c in CHANNEL_MIX])[kind]
    amount = np.round(np.exp(rng.normal(mean, sigma)), 2)
    amount[cust["_business"][owner]] *= 6
    day = rng.integers(0, cfg.days, total)
    hour = np.clip(rng.normal(14, 3.5, total), 7, 22).astype(np.int64)
    seconds = day * 86400 + hour * 3600 + rng.integers(0, 3600, total)
    base = datetime(cfg.start.year, cfg.start.month, cfg.start.day, tzinfo=UTC).timestamp()
    ts = (np.int64(base) + seconds) * 1_000_000
    channels = tuple(dict.fromkeys(c[0] for c in CHANNEL_MIX))
    channel_idx = np.array([channels.index(c[0]) for c in CHANNEL_MIX])[kind]
    direction = np.array([c[1] for c in CHANNEL_MIX])[kind]
    is_card = np.isin(channel_idx, [channels.index("card_pos"), channels.index("card_cnp")])
    mcc_codes = [m[0] for m in CARD_MCCS]
    mcc_p = np.array([m[1] for m in CARD_MCCS])
    mcc = rng.choice(len(mcc_codes), total, p=mcc_p / mcc_p.sum())
    merchant = mcc * 50 + rng.integers(0, 50, total)
    merchant_names = [f"Merchant {code}-{k:02d}" for code in mcc_codes for k in range(50)]
    own_city = cust["_city"][owner]
    travel = rng.random(total) < 0.04
    city = np.where(travel, rng.integers(0, len(CITIES), total), own_city)
    cp_party = owner * 8 + rng.integers(0, 8, total)
    nationality = cust["nationality"][owner]
    cp_country = np.where(kind == len(CHANNEL_MIX) - 1, nationality, HOME_COUNTRY)
    cash = np.isin(channel_idx, [channels.index("cash_atm"), channels.index("cash_branch")])
    with_cp = ~is_card & ~cash
    return {
        "owner": owner,
        "ts": ts,
        "amount": amount,
        "channel": _dict_array(channel_idx, channels),
        "direction": direction,
        "is_card": is_card,
        "cash": cash,
        "mcc": _or_none(is_card, np.array(mcc_codes)[mcc]),
        "merchant": np.where(is_card, merchant, -1),
        "merchant_names": merchant_names,
        "city": np.where(is_card | cash, city, -1),
        "cp_party": np.where(with_cp, cp_party, -1),
        "cp_country": _or_none(is_card | with_cp, cp_country),
        "terminal": np.where(cash, own_city * 20 + rng.integers(0, 20, total), -1),
        "business": cust["_business"][owner],
    }


def _ordinary_table(o: dict[str, Any], cust: dict[str, Any]) -> pa.Table:
    n = len(o["owner"])
    cust_ids = cust["customer_id"]
    owner = pa.array(o["owner"])
    customer_id = cust_ids.take(owner)
    has_cp = o["cp_party"] >= 0
    cp_numbers = np.where(has_cp, o["cp_party"], 0)
    cp_name = pa.array(
        _or_none(has_cp, np.char.add("Party ", cp_numbers.astype(str))).astype(object)
    )
    cp_account = pa.array(_or_none(has_cp, np.char.add("X", cp_numbers.astype(str))).astype(object))
    merchant_idx = np.where(o["merchant"] >= 0, o["merchant"], 0)
    merchant = pa.DictionaryArray.from_arrays(
        pa.array(merchant_idx.astype(np.int32), mask=o["merchant"] < 0),
        pa.array(o["merchant_names"]),
    )
    city_idx = np.where(o["city"] >= 0, o["city"], 0)
    city = pa.DictionaryArray.from_arrays(
        pa.array(city_idx.astype(np.int32), mask=o["city"] < 0), pa.array(CITIES)
    )
    terminal = pa.array(
        _or_none(o["terminal"] >= 0, np.char.add("ATM", o["terminal"].astype(str))).astype(object)
    )
    return pa.table(
        {
            "txn_id": _ids("T", np.arange(n), 9),
            "ts_utc": pa.array(o["ts"], type=pa.timestamp("us", tz="UTC")),
            "customer_id": customer_id,
            "account_id": pa.compute.binary_join_element_wise(customer_id, pa.scalar("-01"), ""),
            "amount": pa.array(o["amount"]).cast(pa.decimal128(18, 2)),
            "currency": pa.array(np.full(n, "USD")).dictionary_encode(),
            "direction": pa.array(o["direction"]).dictionary_encode(),
            "channel": o["channel"],
            "cp_name": cp_name,
            "cp_account": cp_account,
            "cp_country": pa.array(
                o["cp_country"].astype(object), type=pa.string()
            ).dictionary_encode(),
            "mcc": pa.array(o["mcc"].astype(object), type=pa.string()).dictionary_encode(),
            "merchant_name": merchant,
            "merchant_city": city,
            "terminal_id": terminal,
            "memo": pa.nulls(n, pa.string()),
            "purpose_code": pa.nulls(n, pa.string()),
            "crypto_tag": pa.nulls(n, pa.string()),
        }
    )


def generate(cfg: SynthConfig, out_dir: Path | str, *, fmt: str = "parquet") -> SynthOutput:
    """Write transactions, customers and the ground truth to ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(cfg.seed)
    cust = _customers(cfg, rng)
    ordinary = _ordinary(cfg, rng, cust)
    injector = Injector(cfg, rng, cust)
    injected_rows, truth_customers, truth_txns = injector.run()
    keep = injector.keep_mask(ordinary)
    table = _ordinary_table(ordinary, cust).filter(pa.array(keep))
    payroll = injector.routine_rows()
    extra = (
        pa.Table.from_pylist(payroll + injected_rows, schema=_plain_schema(table.schema))
        if (payroll or injected_rows)
        else None
    )
    table = _plain(table)
    if extra is not None:
        table = pa.concat_tables([table, extra])
    customers = pa.table(
        {
            k: (
                v
                if isinstance(v, pa.Array)
                else pa.array(v.tolist() if hasattr(v, "tolist") else v)
            )
            for k, v in cust.items()
            if not k.startswith("_")
        }
    )
    customers = customers.set_column(
        customers.schema.get_field_index("open_date"),
        "open_date",
        pa.array([date.fromordinal(d) for d in cust["open_date"]], type=pa.date32()),
    )
    suffix = ".parquet" if fmt == "parquet" else ".csv"
    paths = {name: out / f"{name}{suffix}" for name in ("transactions", "customers")}
    for name, data in (("transactions", table), ("customers", customers)):
        if fmt == "parquet":
            pq.write_table(data, paths[name], compression="zstd")
        else:
            pacsv.write_csv(data, paths[name])
    truth = pa.Table.from_pylist(
        truth_customers, schema=pa.schema([("customer_id", pa.string()), ("typology", pa.string())])
    )
    pacsv.write_csv(truth, out / "ground_truth.csv")
    truth_t = pa.Table.from_pylist(
        truth_txns,
        schema=pa.schema(
            [("txn_id", pa.string()), ("customer_id", pa.string()), ("typology", pa.string())]
        ),
    )
    pacsv.write_csv(truth_t, out / "ground_truth_txns.csv")
    counts: dict[str, int] = {}
    for row in truth_customers:
        counts[row["typology"]] = counts.get(row["typology"], 0) + 1
    return SynthOutput(
        paths["transactions"],
        paths["customers"],
        out / "ground_truth.csv",
        out / "ground_truth_txns.csv",
        table.num_rows,
        counts,
    )


def _plain_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema(
        [
            pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
            for f in schema
        ]
    )


def _plain(table: pa.Table) -> pa.Table:
    return table.cast(_plain_schema(table.schema))
