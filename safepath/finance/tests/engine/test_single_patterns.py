"""Scoring at the default threshold (issue 20): a strong single pattern alerts on its own with
its evidence, and the hard negatives' ordinary banking does not. Each negative names the root
cause it guards (a rule that read a business's night safe, a bar, a family remittance, a
popular domestic payee or a sequence to one new payee wrongly)."""

from __future__ import annotations

from typing import Any

from safepath.finance.engine.screening import screen
from safepath.finance.tests.engine.builders import customer, frames, tx


def _screen(
    txns: list[dict[str, Any]], custs: list[dict[str, Any]] | None = None, **kw: Any
) -> dict[str, Any]:
    """customer id -> its alert at the DEFAULT threshold (no override)."""
    result = screen(*frames(txns, custs), **kw)
    return {a.customer_id: a for a in result.alerts}


def _rules_fired(txns: list[dict[str, Any]], custs: list[dict[str, Any]] | None = None) -> set[str]:
    result = screen(*frames(txns, custs), threshold=1)
    return {h.rule_id for a in result.alerts for h in a.hits}


def test_structuring_alone_reaches_the_alert_threshold_with_its_evidence() -> None:
    rows = [
        tx("S1", day=d, channel="cash_branch", direction="in", amount="9400", currency="CAD")
        for d in (0, 3, 6)
    ]
    alerts = _screen(rows, [customer("S1", residence_country="CA")])
    alert = alerts["S1"]
    assert [h.rule_id for h in alert.hits] == ["HT-15"]
    assert set(alert.hits[0].evidence_txn_ids) == {r["txn_id"] for r in rows}


def test_two_deposits_below_the_level_do_not_alert() -> None:
    rows = [
        tx("S1", day=d, channel="cash_branch", direction="in", amount="9400", currency="CAD")
        for d in (0, 3)
    ]
    assert _screen(rows, [customer("S1", residence_country="CA")]) == {}


def _escort_and_hotels(ad_days: list[int], hotel_cities: list[str]) -> list[dict[str, Any]]:
    ads = [
        tx("E1", day=d, amount=24, channel="card_cnp", mcc="7273", merchant_name="VelvetAds")
        for d in ad_days
    ]
    # Stays on days 12, 15, 18: across the 14-day calendar boundary the old rule used.
    hotels = [
        tx("E1", day=12 + 3 * i, amount=120, mcc="7011", merchant_name="Motel", merchant_city=c)
        for i, c in enumerate(hotel_cities)
    ]
    return ads + hotels


def test_escort_adverts_with_hotel_travel_alert_on_their_own() -> None:
    alert = _screen(_escort_and_hotels([0, 6, 11], ["Salem", "Dover", "Albany"]))["E1"]
    assert {"HT-01", "HT-02"} <= {h.rule_id for h in alert.hits}  # 7273 also feeds CSE-07
    assert "HTSE-controller" in alert.typologies
    assert alert.typology_scores["HTSE-controller"] >= 50  # HT-01 + HT-02 alone


def test_escort_adverts_without_travel_do_not_alert() -> None:
    assert _screen(_escort_and_hotels([0, 6, 11], ["Salem"])) == {}


def test_hotels_in_several_cities_alone_do_not_alert() -> None:
    assert _screen(_escort_and_hotels([], ["Salem", "Dover", "Albany"])) == {}


def test_a_business_night_safe_is_not_night_cash() -> None:
    """Cash businesses alerted 97 % of the time on the blind set: HT-06 read their night-safe
    deposits as a person's night ATM cash, and HT-08 their supplier payments as pass-through."""
    rows = [
        tx("B1", day=i, hour=2, channel="cash_atm", direction="in", terminal_id=t, amount=900)
        for i, t in enumerate(["A", "B", "A", "B"])
    ]
    assert "HT-06" not in _rules_fired(rows, [customer("B1", customer_type="business")])
    assert "HT-06" in _rules_fired(rows, [customer("B1", customer_type="individual")])


def test_a_bar_at_night_is_not_an_adult_venue_after_hours() -> None:
    def night(mcc: str) -> list[dict[str, Any]]:
        return [tx(day=i, hour=23, mcc=mcc, merchant_name="Venue") for i in range(3)]

    assert "HT-05" not in _rules_fired(night("5813"))
    assert "HT-05" in _rules_fired(night("7297"))


def _fan_in(country: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    ids = ["C1", "C2", "C3"]
    rows = [
        tx(c, day=1, channel="p2p", amount=80, cp_account="H", cp_name="H", cp_country=country)
        for c in ids
    ]
    return rows, [customer(c, address_hash=f"a-{c}") for c in ids]


def test_a_popular_domestic_payee_is_not_a_hub() -> None:
    assert "HT-10" not in _rules_fired(*_fan_in("US"))
    assert "HT-10" in _rules_fired(*_fan_in("PH"))


def _remit(nationality: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = [
        tx(
            day=i,
            channel="msb_remittance",
            amount=60,
            cp_country="PH",
            cp_name=f"B{i}",
            cp_account=f"B{i}",
            memo="school fees",
        )
        for i in range(3)
    ]
    return rows, [customer("C1", nationality=nationality)]


def test_family_remittances_are_not_cse_transfers() -> None:
    assert {"CSE-02", "CSE-05"} & _rules_fired(*_remit("PH")) == set()
    assert {"CSE-02", "CSE-05"} <= _rules_fired(*_remit("US"))


def _series(country: str, etransfer: bool = False) -> list[dict[str, Any]]:
    channel = "etransfer" if etransfer else "p2p"
    return [
        tx(
            day=1,
            hour=2 + 5 * i,
            channel=channel,
            amount=150,
            cp_account="N",
            cp_name="N",
            cp_country=country,
        )
        for i in range(3)
    ]


def test_a_series_to_one_new_payee_abroad_is_sextortion_and_alerts() -> None:
    alert = _screen(_series("NG"))["C1"]
    assert [h.rule_id for h in alert.hits] == ["SX-01"]
    assert _screen(_series("US")) == {}


def test_the_series_must_be_to_a_new_payee() -> None:
    earlier = tx(day=-30, channel="p2p", amount=150, cp_account="N", cp_name="N", cp_country="NG")
    assert "SX-01" not in _rules_fired([earlier, *_series("NG")])


def test_etransfer_is_an_accepted_channel_read_as_p2p() -> None:
    assert "SX-01" in _rules_fired(_series("NG", etransfer=True))


def test_structuring_weight_alone_meets_the_default_threshold() -> None:
    """A guard on the data: lowering HT-15's weight below the threshold breaks this."""
    from safepath.finance.engine.rules import load_rules
    from safepath.finance.engine.scoring import load_typologies

    weights = {r.id: r.weight for r in load_rules()}
    threshold = load_typologies().threshold
    assert weights["HT-15"] >= threshold
    assert weights["SX-01"] >= threshold
    assert weights["HT-01"] + weights["HT-02"] >= threshold
    assert weights["HT-01"] < threshold
    assert weights["HT-02"] < threshold


def _payday(outflows: list[tuple[str, str, float]]) -> list[dict[str, Any]]:
    """Two paydays of 2,000, each followed the same day by ``(channel, party, share)`` rows."""
    rows = []
    for d in (0, 14):
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
        rows += [
            tx(
                day=d,
                hour=14,
                channel=ch,
                amount=round(2000 * share, 2),
                cp_name=party or None,
                mcc="4511" if ch == "card_cnp" else None,
            )
            for ch, party, share in outflows
        ]
    return rows


def test_wages_handed_to_one_party_alert_on_their_own() -> None:
    alert = _screen(_payday([("p2p", "Recruiter", 0.9)]))["C1"]
    assert [h.rule_id for h in alert.hits] == ["HT-21"]


def test_wages_spent_across_many_payees_or_on_a_card_do_not_count() -> None:
    spread = [("ach", "Landlord", 0.4), ("ach", "Power", 0.2), ("p2p", "Friend", 0.25)]
    assert "HT-21" not in _rules_fired(_payday(spread))
    assert "HT-21" not in _rules_fired(_payday([("card_cnp", "", 0.9)]))
