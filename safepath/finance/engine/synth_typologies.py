"""Injected typologies for the synthetic generator, each a small labelled pattern of rows.

Each pattern reproduces the published indicators its typology is known by (research notes
s1.7), so the benchmark measures whether the rules find what the sources describe. Tumbling-
window rules need their rows inside one window, hence ``_in_bucket``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

TYPOLOGIES = (
    "HTSE-controller",
    "HTFL-employer",
    "HTFL-victim",
    "OCSE-consumer",
    "sextortion-victim",
    "sextortion-mule",
    "HT-corridor",
)
DAY = 86400
OTHER_CITIES = ("Portland", "Bristol", "Milton", "Newport", "Oxford")


class Injector:
    """Chooses the injected customers and writes their rows (plus routine salary and payroll)."""

    def __init__(self, cfg: Any, rng: np.random.Generator, cust: dict[str, Any]) -> None:
        self.cfg = cfg
        self.rng = rng
        self.cust = cust
        self.start = int(
            datetime(cfg.start.year, cfg.start.month, cfg.start.day, tzinfo=UTC).timestamp()
        )
        self.end = self.start + cfg.days * DAY - 1
        self.counter = 0
        n = cfg.customers
        per = max(1, round(n * cfg.injected_share / max(1, len(cfg.typologies))))
        business = np.flatnonzero(cust["_business"])
        individual = np.flatnonzero(~cust["_business"])
        rng_b = rng.permutation(business)
        rng_i = rng.permutation(individual)
        self.assigned: dict[int, str] = {}
        bi = ii = 0
        for typology in cfg.typologies:
            for _ in range(per):
                if typology == "HTFL-employer" and bi < len(rng_b):
                    idx = int(rng_b[bi])
                    bi += 1
                elif ii < len(rng_i):
                    idx = int(rng_i[ii])
                    ii += 1
                else:
                    continue
                self.assigned[idx] = typology
                if typology in ("OCSE-consumer", "HT-corridor"):
                    cust["nationality"][idx] = "US"  # no family link to the destination

    # -- helpers -------------------------------------------------------------------------
    def _in_bucket(self, window_days: int, span_days: float, first_offset: int = 0) -> int:
        """A start second so [start, start + span] lies in one epoch-aligned window."""
        size = window_days * DAY
        span = int(span_days * DAY)
        first = self.start // size + first_offset
        candidates = [
            b
            for b in range(first, self.end // size + 1)
            if max(b * size, self.start) + span <= min((b + 1) * size - 1, self.end)
        ]
        if not candidates:
            return self.start
        b = int(self.rng.choice(candidates))
        low = max(b * size, self.start)
        slack = min((b + 1) * size - 1, self.end) - span - low
        return low + int(self.rng.integers(0, max(1, slack)))

    def _anywhere(self, span_days: float) -> int:
        span = int(span_days * DAY)
        return self.start + int(self.rng.integers(0, max(1, self.end - self.start - span)))

    def _row(
        self, idx: int, ts: int, amount: float, channel: str, direction: str, **kw: Any
    ) -> dict[str, Any]:
        self.counter += 1
        customer_id = self.cust["customer_id"][idx].as_py()
        row = {
            "txn_id": f"TI{self.counter:08d}",
            "ts_utc": datetime.fromtimestamp(min(ts, self.end), tz=UTC),
            "customer_id": customer_id,
            "account_id": f"{customer_id}-01",
            "amount": round(float(amount), 2),
            "currency": kw.pop("currency", "USD"),
            "direction": direction,
            "channel": channel,
            "cp_name": None,
            "cp_account": None,
            "cp_country": None,
            "mcc": None,
            "merchant_name": None,
            "merchant_city": None,
            "terminal_id": None,
            "memo": None,
            "purpose_code": None,
            "crypto_tag": None,
        }
        row.update(kw)
        from decimal import Decimal

        row["amount"] = Decimal(str(row["amount"]))
        return row

    def _card(
        self,
        idx: int,
        ts: int,
        amount: float,
        mcc: str,
        merchant: str,
        city: str | None = None,
        channel: str = "card_pos",
        country: str = "US",
    ) -> dict[str, Any]:
        home = str(self.cust["residence_city"][idx])
        return self._row(
            idx,
            ts,
            amount,
            channel,
            "out",
            mcc=mcc,
            merchant_name=merchant,
            merchant_city=city or home,
            cp_country=country,
        )

    # -- routine rows everyone has -------------------------------------------------------
    def routine_rows(self) -> list[dict[str, Any]]:
        """Monthly salary for individuals and payroll for businesses (not for injected "
        "employers)."""
        rows: list[dict[str, Any]] = []
        business = self.cust["_business"]
        day0 = int(self.rng.integers(0, 28))
        months = range(self.start + day0 * DAY, self.end, 30 * DAY)
        for idx in range(self.cfg.customers):
            if business[idx]:
                if self.assigned.get(idx) == "HTFL-employer":
                    continue
                for week in range(self.start + day0 % 7 * DAY, self.end, 7 * DAY):
                    rows.append(
                        self._row(
                            idx,
                            week + 6 * 3600,
                            9000,
                            "ach",
                            "in",
                            cp_name="Card acquirer settlement",
                            cp_country="US",
                        )
                    )
                for t in months:
                    rows.append(
                        self._row(
                            idx,
                            t + 9 * 3600,
                            6000,
                            "ach",
                            "out",
                            cp_name="Payroll staff",
                            memo="PAYROLL",
                            purpose_code="SALA",
                            cp_country="US",
                        )
                    )
            elif idx % 3 != 0:
                for t in months:
                    rows.append(
                        self._row(
                            idx,
                            t + 8 * 3600,
                            2800,
                            "ach",
                            "in",
                            cp_name=f"Employer {idx % 97}",
                            memo="SALARY",
                            purpose_code="SALA",
                            cp_country="US",
                        )
                    )
        return rows

    def keep_mask(self, ordinary: dict[str, Any]) -> npt.NDArray[np.bool_]:
        """Drop ordinary credits of injected employers (front companies have none of those)."""
        employers = [i for i, t in self.assigned.items() if t == "HTFL-employer"]
        if not employers:
            return np.ones(len(ordinary["owner"]), dtype=bool)
        drop: npt.NDArray[np.bool_] = np.isin(ordinary["owner"], employers) & (
            ordinary["direction"] == "in"
        )
        return ~drop

    # -- the typologies ------------------------------------------------------------------
    def run(self) -> tuple[list[dict[str, Any]], list[dict[str, str]], list[dict[str, str]]]:
        rows: list[dict[str, Any]] = []
        truth: list[dict[str, str]] = []
        truth_txns: list[dict[str, str]] = []
        for idx, typology in sorted(self.assigned.items()):
            method = getattr(self, "_" + typology.replace("-", "_").lower())
            made: list[dict[str, Any]] = method(idx)
            rows.extend(made)
            customer_id = self.cust["customer_id"][idx].as_py()
            truth.append({"customer_id": customer_id, "typology": typology})
            truth_txns.extend(
                {"txn_id": r["txn_id"], "customer_id": customer_id, "typology": typology}
                for r in made
            )
        return rows, truth, truth_txns

    def _htse_controller(self, idx: int) -> list[dict[str, Any]]:
        r = self.rng
        out: list[dict[str, Any]] = []
        t = self._anywhere(20)
        for k in range(5):
            out.append(
                self._card(
                    idx,
                    t + k * 4 * DAY,
                    float(r.choice([3, 12, 24, 36])),
                    "7311",
                    "Classified Ads Online",
                    channel="card_cnp",
                )
            )
        t = self._in_bucket(14, 10)
        for k, city in enumerate(r.choice(OTHER_CITIES, 4)):
            out.append(
                self._card(
                    idx,
                    t + k * 2 * DAY + 20 * 3600,
                    float(r.uniform(60, 140)),
                    "7011",
                    f"Roadside Motel {k}",
                    city=str(OTHER_CITIES[k % 3]) if k < 3 else str(city),
                )
            )
        t = self._in_bucket(30, 20)
        t -= t % DAY
        for k in range(5):
            out.append(
                self._row(
                    idx,
                    t + k * 4 * DAY + int(r.integers(0, 3)) * 3600,
                    float(r.uniform(200, 900)),
                    "cash_atm",
                    "in",
                    terminal_id=f"ATM-N{k % 3}",
                    merchant_city=str(self.cust["residence_city"][idx]),
                )
            )
        t = self._anywhere(20)
        for k in range(5):
            out.append(
                self._row(
                    idx,
                    t + k * 4 * DAY + 12 * 3600,
                    float(r.uniform(50, 200)),
                    "prepaid_load",
                    "out",
                    merchant_name="Prepaid Card Center",
                )
            )
        return out

    def _htfl_employer(self, idx: int) -> list[dict[str, Any]]:
        r = self.rng
        out: list[dict[str, Any]] = []
        t = self._in_bucket(90, 60)
        for k in range(12):
            out.append(
                self._row(
                    idx,
                    t + k * 5 * DAY + 11 * 3600,
                    float(r.uniform(4500, 6500)),
                    "cash_branch",
                    "in",
                    merchant_city=str(self.cust["residence_city"][idx]),
                    terminal_id="BR1",
                )
            )
        t = self._in_bucket(30, 20)
        for k, (mcc, name) in enumerate(
            [("7011", "Budget Inn")] * 4
            + [("7512", "Van Rental")] * 3
            + [("5411", "Wholesale Foods")] * 3
        ):
            out.append(
                self._card(idx, t + k * 2 * DAY + 10 * 3600, float(r.uniform(150, 600)), mcc, name)
            )
        return out

    def _htfl_victim(self, idx: int) -> list[dict[str, Any]]:
        r = self.rng
        out: list[dict[str, Any]] = []
        t = self._in_bucket(35, 8)
        for k in range(4):
            amount = float(r.uniform(1500, 2500))
            at = t + k * 2 * DAY + 8 * 3600
            out.append(
                self._row(
                    idx,
                    at,
                    amount,
                    "ach",
                    "in",
                    cp_name="Harvest Staffing",
                    purpose_code="SALA",
                    memo=f"SALARY EMP-{int(r.integers(100, 999))}-{k}",
                    cp_country="US",
                )
            )
            out.append(
                self._row(
                    idx,
                    at + 6 * 3600,
                    amount * 0.9,
                    "p2p",
                    "out",
                    cp_name="Labour Contractor",
                    cp_account=f"LC{idx}",
                    cp_country="US",
                )
            )
        t = self._anywhere(10)
        for k in range(2):
            out.append(
                self._row(
                    idx,
                    t + k * 3 * DAY,
                    float(r.uniform(300, 900)),
                    "p2p",
                    "out",
                    cp_name="Overseas Recruitment Agency",
                    cp_account=f"RA{idx % 5}",
                    memo="visa fee",
                    cp_country="US",
                )
            )
        return out

    def _ocse_consumer(self, idx: int) -> list[dict[str, Any]]:
        r = self.rng
        out: list[dict[str, Any]] = []
        group = idx % 7
        main = {
            "cp_name": f"Beneficiary PH-{group}",
            "cp_account": f"PH{group:04d}",
            "cp_country": "PH",
        }
        size = 30 * DAY
        last = self.end // size
        first = max(self.start // size + 2, last - 1)
        m = int(r.integers(first, last + 1)) if first <= last else last
        plan = {m - 2: [60.0], m - 1: [75.0, 75.0], m: [100.0, 110.0, 95.0, 120.0]}
        for bucket, amounts in plan.items():
            low = max(bucket * size, self.start)
            high = min((bucket + 1) * size - 1, self.end)
            for k, amount in enumerate(amounts):
                at = low + int((high - low) * (k + 1) / (len(amounts) + 1))
                memo = (
                    "school fees"
                    if k == 0 and bucket == m
                    else ("gift" if k == 1 and bucket == m else None)
                )
                out.append(self._row(idx, at, amount, "msb_remittance", "out", memo=memo, **main))
        t = self._anywhere(20)
        for k in range(2):
            out.append(
                self._card(
                    idx, t + k * 6 * DAY, 9.99, "5734", "SecureVPN service", channel="card_cnp"
                )
            )
        for k in range(3):
            out.append(
                self._card(
                    idx,
                    t + k * 5 * DAY + 23 * 3600,
                    float(r.choice([15, 30, 45])),
                    "5967",
                    "Live Stream Hub",
                    channel="card_cnp",
                    country="CY",
                )
            )
        if idx % 2 == 0:
            t_trip = min(self.end - 2 * DAY, max(m * size, self.start) + 20 * DAY)
            out.append(
                self._card(
                    idx, t_trip, 80.0, "7011", "Manila Bay Hotel", city="Manila", country="PH"
                )
            )
            out.append(
                self._row(
                    idx,
                    t_trip + 3600,
                    200.0,
                    "cash_atm",
                    "out",
                    cp_country="PH",
                    terminal_id="PH-ATM7",
                    merchant_city="Manila",
                )
            )
        return out

    def _sextortion_victim(self, idx: int) -> list[dict[str, Any]]:
        r = self.rng
        t = self._anywhere(2)
        return [
            self._row(
                idx,
                t,
                float(r.uniform(100, 400)),
                "p2p",
                "out",
                cp_name=f"Payee NG-{idx}",
                cp_account=f"NG{idx}",
                cp_country="NG",
            ),
            self._row(
                idx,
                t + 3 * 3600,
                float(r.uniform(100, 300)),
                "prepaid_load",
                "out",
                merchant_name="Gift Card Store",
                cp_name=f"Gift Card Store {idx}",
                cp_country="US",
            ),
            self._row(
                idx,
                t + 8 * 3600,
                float(r.uniform(100, 400)),
                "p2p",
                "out",
                cp_name=f"Payee NG-{idx}b",
                cp_account=f"NG{idx}b",
                cp_country="NG",
            ),
            self._row(
                idx,
                t + 20 * 3600,
                float(r.uniform(100, 500)),
                "crypto",
                "out",
                cp_name=f"Wallet {idx}",
                cp_account=f"W{idx}",
                cp_country="NG",
            ),
        ]

    def _sextortion_mule(self, idx: int) -> list[dict[str, Any]]:
        r = self.rng
        out: list[dict[str, Any]] = []
        t = self._in_bucket(7, 3)
        total = 0.0
        for k in range(12):
            amount = float(r.uniform(50, 250))
            total += amount
            out.append(
                self._row(
                    idx,
                    t + k * 5 * 3600,
                    amount,
                    "p2p",
                    "in",
                    cp_name=f"Sender {idx}-{k}",
                    cp_account=f"S{idx}-{k}",
                    cp_country="US",
                )
            )
        for k in range(2):
            out.append(
                self._row(
                    idx,
                    t + (k + 1) * 30 * 3600,
                    total * 0.4,
                    "crypto",
                    "out",
                    cp_name="Crypto Exchange",
                    cp_account=f"CX{idx}",
                    cp_country="LT",
                )
            )
        return out

    def _ht_corridor(self, idx: int) -> list[dict[str, Any]]:
        r = self.rng
        out: list[dict[str, Any]] = []
        t = self._in_bucket(30, 14)
        deposits = 0.0
        for k in range(6):
            amount = float(r.uniform(8200, 9800)) if k < 3 else float(r.uniform(2000, 5000))
            deposits += amount
            out.append(
                self._row(
                    idx,
                    t + k * 2 * DAY + 10 * 3600,
                    amount,
                    "cash_branch",
                    "in",
                    merchant_city=OTHER_CITIES[k % 3],
                    terminal_id=f"BR{k}",
                )
            )
        for k in range(3):
            out.append(
                self._row(
                    idx,
                    t + (k * 2 + 1) * 2 * DAY,
                    deposits * 0.3,
                    "wire",
                    "out",
                    cp_name=f"Beneficiary MX-{k}",
                    cp_account=f"MX{idx}-{k}",
                    cp_country=str(r.choice(["MX", "GT"])),
                )
            )
        for k in range(3):
            out.append(
                self._row(
                    idx,
                    t + k * DAY + 15 * 3600,
                    float(r.uniform(2500, 2950)),
                    "wire",
                    "out",
                    cp_name="Border Exchange",
                    cp_account=f"BX{idx}",
                    cp_country="MX",
                )
            )
        return out
