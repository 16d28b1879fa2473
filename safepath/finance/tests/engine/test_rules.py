"""Every rule fires on a tiny crafted case and stays silent on its near-miss (table-driven)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pandas as pd
import pytest

from safepath.finance.engine import load_rules, screen
from safepath.finance.tests.engine.builders import BASE, customer, frames, tx

Case = Callable[[], tuple[list[dict[str, Any]], list[dict[str, Any]]]]


def _ads(days: list[int]) -> Case:
    return lambda: (
        [
            tx(
                day=d,
                amount=12,
                channel="card_cnp",
                mcc="7311",
                merchant_name="Classified Ads Online",
            )
            for d in days
        ],
        [],
    )


def _lodging(cities: list[str]) -> Case:
    return lambda: (
        [
            tx(day=i, mcc="7011", merchant_name=f"Motel {i}", merchant_city=c)
            for i, c in enumerate(cities)
        ],
        [],
    )


def _tickets(n: int, pax: int = 1) -> Case:
    return lambda: (
        [tx(day=i, mcc="4511", merchant_name="Air", passenger_count=pax) for i in range(n)],
        [],
    )


def _basket(mccs: list[str]) -> Case:
    return lambda: (
        [tx(day=i % 6, mcc=mccs[i % len(mccs)], merchant_name=f"Shop {i}") for i in range(20)],
        [],
    )


def _late_venue(hour: int) -> Case:
    return lambda: ([tx(day=i, hour=hour, mcc="7297", merchant_name="Spa") for i in range(3)], [])


def _night_cash(terminals: list[str]) -> Case:
    return lambda: (
        [
            tx(day=i, hour=2, channel="cash_atm", direction="in", terminal_id=t, amount=300)
            for i, t in enumerate(terminals)
        ],
        [],
    )


def _funnel(cities: list[str]) -> Case:
    return lambda: (
        [
            tx(day=i, channel="cash_branch", direction="in", amount=3000, merchant_city=c)
            for i, c in enumerate(cities)
        ]
        + [tx(day=3, channel="wire", direction="out", amount=5000, cp_country="US")],
        [],
    )


def _pass_through(out_share: float) -> Case:
    rows = []
    for d in (0, 3, 6):
        rows.append(tx(day=d, channel="ach", direction="in", amount=1000))
        rows.append(
            tx(day=d + 1, channel="wire", direction="out", amount=1000 * out_share, cp_country="US")
        )
    return lambda: (rows, [])


def _fan_in(senders: int) -> Case:
    return lambda: (
        [
            tx(
                day=i % 3,
                channel="p2p",
                direction="in",
                amount=50,
                cp_name=f"S{i}",
                cp_account=f"A{i}",
            )
            for i in range(senders)
        ],
        [],
    )


def _hub(addresses: list[str]) -> Case:
    ids = [f"C{i + 1}" for i in range(len(addresses))]
    return lambda: (
        [
            tx(
                c,
                day=1,
                channel="p2p",
                amount=80,
                cp_account="HUB1",
                cp_name="Hub",
                cp_country="MX",
            )
            for c in ids
        ],
        [customer(c, address_hash=a) for c, a in zip(ids, addresses, strict=True)],
    )


def _shared_phone(n: int) -> Case:
    ids = [f"C{i + 1}" for i in range(4)]
    return lambda: (
        [tx(c, day=1) for c in ids],
        [customer(c, phone_hash="same" if i < n else f"p{i}") for i, c in enumerate(ids)],
    )


def _prepaid(n: int) -> Case:
    return lambda: ([tx(day=i, channel="prepaid_load", amount=100) for i in range(n)], [])


def _crypto(amount: int, tag: str | None = None) -> Case:
    return lambda: (
        [tx(day=i, channel="crypto", amount=amount, crypto_tag=tag) for i in range(3)],
        [],
    )


def _tppp(other_out: int) -> Case:
    return lambda: (
        [
            tx(day=i, channel="card_cnp", amount=100, merchant_name="Fast Pay Gateway", mcc="5999")
            for i in range(3)
        ]
        + [tx(day=4, amount=other_out, merchant_name="Grocer", mcc="5411")],
        [],
    )


def _structuring(amount: int) -> Case:
    return lambda: (
        [tx(day=d, channel="cash_branch", direction="in", amount=amount) for d in (0, 2, 4)],
        [],
    )


def _cash_business(card_takings: int) -> Case:
    """12,000 in cash plus card takings: 500 leaves 96 % cash (fires), 2,000 leaves 86 %."""
    rows = [tx("B1", day=d, channel="cash_branch", direction="in", amount=4000) for d in (0, 1, 2)]
    rows.append(tx("B1", day=3, channel="card_pos", direction="in", amount=card_takings))
    return lambda: (rows, [customer("B1", customer_type="business")])


def _wages(memos: list[str]) -> Case:
    return lambda: (
        [
            tx(day=i, channel="ach", direction="in", amount=1500, memo=m, purpose_code="SALA")
            for i, m in enumerate(memos)
        ],
        [],
    )


def _wages_out(share: float) -> Case:
    rows = []
    for d in (0, 3):
        rows.append(
            tx(
                day=d,
                hour=8,
                channel="ach",
                direction="in",
                amount=2000,
                memo="SALARY",
                purpose_code="SALA",
            )
        )
        rows.append(
            tx(day=d, hour=14, channel="p2p", amount=2000 * share, cp_name="Contractor", memo="x")
        )
    return lambda: (rows, [])


def _payroll(payroll: int) -> Case:
    return lambda: (
        [
            tx("B1", day=0, channel="ach", direction="in", amount=50000, memo="invoice"),
            tx("B1", day=2, channel="ach", amount=payroll, memo="PAYROLL", cp_name="Staff"),
        ],
        [customer("B1", customer_type="business")],
    )


def _sustain(mccs: list[str]) -> Case:
    return lambda: (
        [tx("B1", day=i % 6, mcc=mccs[i % len(mccs)], merchant_name=f"M{i}") for i in range(8)],
        [customer("B1", customer_type="business")],
    )


def _visa_fee(n: int) -> Case:
    return lambda: (
        [tx(day=i, channel="p2p", amount=400, memo="Visa fee", cp_name="Agent") for i in range(n)],
        [],
    )


def _corridor_cash(cash_share: float) -> Case:
    """Three wires from Mexico to a customer with no link to it, each taken out in cash."""
    rows = []
    for d in (0, 5, 10):
        rows.append(tx(day=d, channel="wire", direction="in", amount=1000, cp_country="MX"))
        rows.append(tx(day=d, hour=18, channel="cash_atm", amount=1000 * cash_share))
    return lambda: (rows, [])


def _wires_from_places(cities: list[str]) -> Case:
    return lambda: (
        [
            tx(day=i, channel="wire", amount=2900, cp_name="B", cp_account="B1", merchant_city=c)
            for i, c in enumerate(cities)
        ],
        [],
    )


def _passed_to_linked(shared_phone: bool) -> Case:
    """V1 receives 3 x 500 and passes 450 each time to C2's account; C2 shares V1's phone."""
    rows = []
    for d in (0, 7, 14):
        rows.append(tx("V1", day=d, channel="p2p", direction="in", amount=500, cp_name=f"S{d}"))
        rows.append(tx("V1", day=d + 1, channel="p2p", amount=450, cp_account="C2-01"))
    rows.append(tx("C2", day=0, amount=20))
    phone = "ph-shared" if shared_phone else "ph-C2"
    return lambda: (
        rows,
        [customer("V1", phone_hash="ph-shared"), customer("C2", phone_hash=phone)],
    )


def _opened(days_before: int) -> Case:
    opened = (BASE - timedelta(days=days_before)).date().isoformat()
    return lambda: ([tx(day=0, amount=20)], [customer("C1", open_date=opened)])


def _corridor(nationality: str) -> Case:
    return lambda: (
        [tx(day=i, channel="wire", amount=900, cp_country="MX", cp_name="B") for i in range(3)],
        [customer("C1", nationality=nationality)],
    )


def _remit(nationality: str) -> Case:
    return lambda: (
        [
            tx(
                day=i,
                channel="msb_remittance",
                amount=50,
                cp_country="PH",
                cp_name="B",
                cp_account="B1",
            )
            for i in range(3)
        ],
        [customer("C1", nationality=nationality)],
    )


def _beneficiaries(n: int) -> Case:
    return lambda: (
        [
            tx(
                day=i,
                channel="msb_remittance",
                amount=50,
                cp_country="PH",
                cp_name=f"B{i}",
                cp_account=f"B{i}",
            )
            for i in range(n)
        ],
        [],
    )


def _hub_abroad(senders: int) -> Case:
    return lambda: (
        [
            tx(
                f"C{i}",
                day=i,
                channel="msb_remittance",
                amount=50,
                cp_country="PH",
                cp_name="B",
                cp_account="PHB",
            )
            for i in range(senders)
        ],
        [],
    )


def _escalation(last: int) -> Case:
    plan = {0: [60], 30: [75, 75], 60: [last]}
    return lambda: (
        [
            tx(
                day=d + k,
                channel="msb_remittance",
                amount=a,
                cp_country="PH",
                cp_name="B",
                cp_account="B1",
            )
            for d, amounts in plan.items()
            for k, a in enumerate(amounts)
        ],
        [],
    )


def _cover_memo(country: str) -> Case:
    return lambda: (
        [
            tx(
                day=i,
                channel="msb_remittance",
                amount=50,
                cp_country=country,
                cp_name="B",
                memo="School fees",
            )
            for i in range(2)
        ],
        [],
    )


def _vpn(n: int) -> Case:
    return lambda: (
        [
            tx(day=i, channel="card_cnp", amount=10, merchant_name="SecureVPN service")
            for i in range(n)
        ],
        [],
    )


def _streaming(n: int) -> Case:
    return lambda: (
        [
            tx(day=i, channel="card_cnp", amount=30, mcc="5967", merchant_name="Stream")
            for i in range(n)
        ],
        [],
    )


def _travel(card_day: int) -> Case:
    return lambda: (
        [
            tx(day=5, channel="msb_remittance", amount=50, cp_country="PH", cp_name="B"),
            tx(day=card_day, amount=80, mcc="7011", merchant_name="Hotel", cp_country="PH"),
        ],
        [],
    )


def _tagged(tag: str) -> Case:
    return lambda: ([tx(day=1, channel="crypto", amount=200, crypto_tag=tag, cp_name="W")], [])


def _tppp_adult(mcc: str) -> Case:
    return lambda: (
        [
            tx(day=i, channel="card_cnp", amount=20, mcc=mcc, merchant_name="Fast Pay Gateway")
            for i in range(2)
        ],
        [],
    )


def _new_payees(country: str) -> Case:
    return lambda: (
        [
            tx(
                day=1,
                hour=8 + 3 * i,
                channel="p2p",
                amount=200,
                cp_name=f"P{i}",
                cp_account=f"P{i}",
                cp_country=country if i == 1 else "US",
            )
            for i in range(3)
        ],
        [],
    )


def _mule(forwarded: int) -> Case:
    return lambda: (
        [
            tx(
                day=1,
                hour=8 + i,
                channel="p2p",
                direction="in",
                amount=100,
                cp_name=f"S{i}",
                cp_country="US",
            )
            for i in range(5)
        ]
        + [tx(day=2, channel="crypto", amount=forwarded, cp_name="Exchange", cp_country="US")],
        [],
    )


CASES: dict[str, tuple[Case, Case]] = {
    "HT-01": (_ads([0, 5, 10]), _ads([0, 20, 40])),
    "HT-02": (_lodging(["Salem", "Dover", "Salem"]), _lodging(["Salem", "Salem", "Salem"])),
    "HT-03": (_tickets(3), _tickets(2)),
    "HT-04": (
        _basket(["4121", "5814", "5912", "5977", "7230"]),
        _basket(["4121", "5814", "5912", "5977"]),
    ),
    "HT-05": (_late_venue(23), _late_venue(20)),
    "HT-06": (_night_cash(["A", "B", "A", "B"]), _night_cash(["A", "A", "A", "A"])),
    "HT-07": (_funnel(["Portland", "Bristol"]), _funnel(["Springfield", "Springfield"])),
    "HT-08": (_pass_through(0.9), _pass_through(0.5)),
    "HT-09": (_fan_in(10), _fan_in(9)),
    "HT-10": (_hub(["a1", "a2", "a3"]), _hub(["a1", "a2", "a2"])),
    "HT-11": (_shared_phone(3), _shared_phone(2)),
    "HT-12": (_prepaid(4), _prepaid(3)),
    "HT-13": (_crypto(50), _crypto(500)),
    "HT-14": (_tppp(50), _tppp(400)),
    "HT-15": (_structuring(9000), _structuring(7000)),
    "HT-16": (_cash_business(500), _cash_business(2000)),
    "HT-17": (_passed_to_linked(True), _passed_to_linked(False)),
    "HT-20": (_wages(["SALARY A", "SALARY B", "SALARY C"]), _wages(["SALARY", "SALARY", "SALARY"])),
    "HT-21": (_wages_out(0.9), _wages_out(0.5)),
    "HT-22": (_payroll(1000), _payroll(5000)),
    "HT-23": (_sustain(["7011", "7512"]), _sustain(["7011"])),
    "HT-24": (_visa_fee(2), _visa_fee(1)),
    "HT-25": (_corridor("US"), _corridor("MX")),
    "HT-26": (_corridor_cash(0.9), _corridor_cash(0.5)),
    "HT-27": (
        _wires_from_places(["Dallas", "Phoenix", "Dallas"]),
        _wires_from_places(["Dallas"] * 3),
    ),
    "CSE-01": (_remit("US"), _remit("PH")),
    "CSE-02": (_beneficiaries(3), _beneficiaries(2)),
    "CSE-03": (_hub_abroad(3), _hub_abroad(2)),
    "CSE-04": (_escalation(400), _escalation(200)),
    "CSE-05": (_cover_memo("PH"), _cover_memo("US")),
    "CSE-06": (_vpn(2), _vpn(1)),
    "CSE-07": (_streaming(3), _streaming(2)),
    "CSE-08": (_travel(20), _travel(1)),
    "CSE-09": (_tagged("mixer"), _tagged("exchange")),
    "CSE-10": (_tppp_adult("5967"), _tppp_adult("5411")),
    "SX-01": (_new_payees("NG"), _new_payees("US")),
    "SX-02": (_mule(300), _mule(100)),
    "GEN-02": (_opened(30), _opened(120)),
}


def _namespaced(rule_id: str, case: Case) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The case's rows with ids prefixed by the rule id, so all cases share one screening run."""
    txns, custs = case()
    t, c = frames(txns, custs)
    keyed = ("customer_id", "account_id", "cp_account", "phone_hash", "email_hash", "address_hash")
    rows_t = [
        {k: (f"{rule_id}/{v}" if k in keyed and v else v) for k, v in r.items()}
        for r in t.to_dict("records")
    ]
    rows_c = [
        {k: (f"{rule_id}/{v}" if k in keyed and v else v) for k, v in r.items()}
        for r in c.to_dict("records")
    ]
    return rows_t, rows_c


def _run(which: int) -> dict[str, set[str]]:
    """Screen every case of one kind (0 fire, 1 near-miss) at once; rule id -> customers hit."""
    txns: list[dict[str, Any]] = []
    custs: list[dict[str, Any]] = []
    for rule_id, pair in CASES.items():
        t, c = _namespaced(rule_id, pair[which])
        txns += t
        custs += c
    result = screen(
        pd.DataFrame(txns, dtype=object), pd.DataFrame(custs, dtype=object), threshold=1
    )
    assert not result.skipped_rules
    hits: dict[str, set[str]] = {}
    for alert in result.alerts:
        for hit in alert.hits:
            hits.setdefault(hit.rule_id, set()).add(alert.customer_id)
    return hits


@pytest.fixture(scope="module")
def outcomes() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    return _run(0), _run(1)


def test_every_shipped_rule_has_a_case() -> None:
    assert {r.id for r in load_rules()} == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_case_and_not_on_near_miss(
    rule_id: str, outcomes: tuple[dict[str, set[str]], dict[str, set[str]]]
) -> None:
    fired, near = outcomes
    own = f"{rule_id}/"
    assert any(c.startswith(own) for c in fired.get(rule_id, ())), f"{rule_id} should fire"
    assert not any(c.startswith(own) for c in near.get(rule_id, ())), (
        f"{rule_id} should stay silent"
    )


def test_single_rule_run_matches_the_catalogue_run() -> None:
    txns, custs = _namespaced("HT-01", CASES["HT-01"][0])
    result = screen(
        pd.DataFrame(txns, dtype=object),
        pd.DataFrame(custs, dtype=object),
        rule_ids=["HT-01"],
        threshold=1,
    )
    assert result.rules_run == ["HT-01"]
    [alert] = result.alerts
    assert [h.rule_id for h in alert.hits] == ["HT-01"]
    assert len(alert.hits[0].evidence_txn_ids) == 3
