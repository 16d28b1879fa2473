"""Held-out generator: customers and transactions with trafficking and child-exploitation
typologies, hard negatives, and the truth.

Written blind (see benchmarks/heldout/README.md): the author did not read SafePath's finance
rules or generator. Source: research/financial_red_flags.md; each typology below names the
section and indicator it comes from. Every amount, count, window, channel and place is drawn
from a range per customer, never fixed, and each customer shows only some of the typology's
indicators (real cases are incomplete).

    python benchmarks/heldout/finance_typologies.py --customers 3000 --seed 11 --out /tmp/fin

writes `customers.csv`, `transactions.csv` (canonical finance columns) and `truth.csv`
(customer_id, typology, positive, variant, jurisdiction); ordinary customers are `ordinary`,
hard negatives `neg_*`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from finance_world import (
    CSE_DEST_WEIGHTS,
    CSE_DESTINATIONS,
    CUSTOMER_COLUMNS,
    DIASPORA,
    JURISDICTIONS,
    NEGATIVES,
    TXN_COLUMNS,
    Book,
    Customer,
    background,
    h,
    hour_of,
    later,
    new_customer,
    person_name,
)

Rng = np.random.Generator


def _window(rng: Rng, book: Book, lo: int, hi: int) -> tuple[float, float]:
    length = float(rng.uniform(lo, min(hi, book.days - 1)))
    start = float(rng.uniform(0, book.days - length))
    return start, length


def _grid_amount(rng: Rng, lo: float, hi: float) -> float:
    """An amount on a small-unit grid ($3, $12, $24 multiples; FINTRAC 2016, section 1.5)
    most of the time, otherwise any value in the band."""
    if rng.random() < 0.65:
        unit = float(rng.choice([3, 5, 12, 24]))
        return unit * max(1, int(rng.uniform(lo, hi) / unit))
    return float(rng.uniform(lo, hi))


# --- structuring and smuggling (FinCEN-2014 S1/S5, FinCEN-2020 N10: section 1.2, 1.3) -------


def structuring(rng: Rng, book: Book, c: Customer) -> str:
    """Cash deposits just under the cash report threshold, or (US, CA) wires just under the
    wire recordkeeping/reporting level, several within days, at several branches."""
    background(rng, book, c)
    jur = c.jur
    wire = jur.wire_threshold is not None and rng.random() < 0.35
    threshold = jur.wire_threshold if wire and jur.wire_threshold else jur.cash_threshold
    start, length = _window(rng, book, 4, 30)
    n = int(rng.integers(3, 9))
    branches = [x[0] for x in jur.cities][: int(rng.integers(1, 5))]
    bene = person_name(rng)
    bene_country = str(rng.choice(["MX", "GT", "SV", "HN", "CN", "VN", "CO", jur.country]))
    for day in np.sort(rng.uniform(start, start + length, n)):
        amt = threshold * float(rng.uniform(0.72, 0.995))
        if rng.random() < 0.4:
            amt = float(int(amt / 100) * 100)
        if wire:
            book.add(
                c,
                day,
                hour_of(rng, "business"),
                amt,
                "out",
                "wire",
                cp_name=bene,
                cp_account=h(bene),
                cp_country=bene_country,
            )
        else:
            city = branches[int(rng.integers(len(branches)))]
            book.add(
                c,
                day,
                hour_of(rng, "business"),
                amt,
                "in",
                str(rng.choice(["cash_branch", "cash_atm"], p=[0.8, 0.2])),
                city=city,
                terminal=f"BR-{city[:3].upper()}",
            )
    return f"{'wire' if wire else 'cash'}_{jur.country}"


BORDER = [
    ("El Paso", "US"),
    ("Laredo", "US"),
    ("McAllen", "US"),
    ("Tijuana", "MX"),
    ("Nogales", "MX"),
    ("Ciudad Juarez", "MX"),
]


def smuggling_wires(rng: Rng, book: Book, c: Customer) -> str:
    """Human-smuggling corridor (S1-S3): wires under USD 3,000 from several US locations to
    one border-city beneficiary, or a border-city account fed by wires from high-migrant
    countries and emptied in cash."""
    c.jur = JURISDICTIONS["US"]
    c.city, c.offset = c.jur.cities[int(rng.integers(len(c.jur.cities)))]
    background(rng, book, c, intensity=0.6)
    start, length = _window(rng, book, 3, 40)
    n = int(rng.integers(3, 12))
    if rng.random() < 0.5:
        city, country = BORDER[int(rng.integers(len(BORDER)))]
        bene = person_name(rng)
        for day in rng.uniform(start, start + length, n):
            src = c.jur.cities[int(rng.integers(len(c.jur.cities)))]
            book.add(
                c,
                day,
                hour_of(rng, "business"),
                float(rng.uniform(900, 2990)),
                "out",
                str(rng.choice(["wire", "msb_remittance"])),
                cp_name=bene,
                cp_account=h(bene),
                cp_country=country,
                city=src[0],
                memo=city,
            )
        return "sender"
    c.city, c.offset = BORDER[int(rng.integers(3))][0], -6
    for day in rng.uniform(start, start + length, n):
        sender = person_name(rng)
        t = book.add(
            c,
            day,
            hour_of(rng, "business"),
            float(rng.uniform(300, 2950)),
            "in",
            str(rng.choice(["wire", "msb_remittance"])),
            cp_name=sender,
            cp_account=h(sender),
            cp_country=str(rng.choice(["MX", "GT", "SV", "HN"])),
        )
        if t:
            book.add(
                c,
                0,
                0,
                float(rng.uniform(300, 2900)),
                "out",
                "cash_branch",
                at=later(rng, t, 1, 48),
            )
    return "border_beneficiary"


def funnel_account(rng: Rng, book: Book, c: Customer) -> str:
    """Funnel (S5, HT-07): cash paid in by third parties in cities where the customer neither
    lives nor works, each under the threshold, then taken out elsewhere or wired abroad."""
    background(rng, book, c, intensity=0.5)
    others = [x for x in c.jur.cities if x[0] != c.city]
    cities = [others[int(i)] for i in rng.choice(len(others), int(rng.integers(2, 5)))]
    start, length = _window(rng, book, 10, 60)
    cycles = int(rng.integers(3, 12))
    abroad = str(rng.choice(["CN", "MX", "TH", "VN", "CO", "NG"]))
    for day in np.sort(rng.uniform(start, start + length, cycles)):
        total = 0.0
        last = None
        for _ in range(int(rng.integers(1, 4))):
            city, off = cities[int(rng.integers(len(cities)))]
            amt = c.jur.cash_threshold * float(rng.uniform(0.05, 0.95))
            total += amt
            last = book.add(
                c,
                day,
                hour_of(rng, "business"),
                amt,
                "in",
                "cash_branch",
                cp_name=person_name(rng),
                city=city,
                offset=off,
                terminal=f"BR-{city[:3].upper()}",
            )
        if last is None:
            continue
        share = float(rng.uniform(0.8, 1.0))
        if rng.random() < 0.5:
            book.add(
                c,
                0,
                0,
                total * share,
                "out",
                "wire",
                cp_name=person_name(rng),
                cp_country=abroad,
                at=later(rng, last, 2, 72),
            )
        else:
            parts = int(rng.integers(1, 4))
            for _ in range(parts):
                book.add(
                    c,
                    0,
                    0,
                    total * share / parts,
                    "out",
                    "cash_branch",
                    city=c.city,
                    at=later(rng, last, 2, 72),
                )
    return f"{len(cities)}_cities"


# --- sexual exploitation (FINTRAC 2016/2021, FinCEN-2014 T2, FinCEN-2020 N1-N5) ------------

AD_SITES = [
    ("NightListings", "7311", "NL"),
    ("CityPersonals", "7311", ""),
    ("ClassiHub", "7399", ""),
    ("VelvetAds", "7273", "CY"),
    ("LoveBoard", "5968", "MT"),
]


def htse_controller(rng: Rng, book: Book, c: Customer) -> str:
    """Controller: advert purchases (small-unit multiples), short hotel stays in several
    cities, tickets for several people, prepaid loads, a victim-maintenance basket, night
    cash deposits and many-to-one credits. Each part present with its own probability."""
    background(rng, book, c, intensity=0.7)
    start, length = _window(rng, book, 20, 100)
    parts = []
    cities = list(c.jur.cities)
    if rng.random() < 0.85:
        parts.append("ads")
        for day in rng.uniform(start, start + length, int(rng.integers(3, 16))):
            name, mcc, country = AD_SITES[int(rng.integers(len(AD_SITES)))]
            book.add(
                c,
                day,
                hour_of(rng, "any"),
                _grid_amount(rng, 3, 150),
                "out",
                "card_cnp",
                mcc=mcc,
                merchant=name,
                cp_country=country or c.jur.country,
            )
    if rng.random() < 0.75:
        parts.append("hotels")
        for day in rng.uniform(start, start + length, int(rng.integers(3, 13))):
            city, off = cities[int(rng.integers(len(cities)))]
            book.add(
                c,
                day,
                hour_of(rng, "evening"),
                float(rng.uniform(60, 260)),
                "out",
                str(rng.choice(["card_pos", "cash_branch"], p=[0.8, 0.2])),
                mcc=str(rng.choice(["7011", "3501", "7011"])),
                merchant=str(rng.choice(["Motel Sun", "Budget Inn", "StayShare"])),
                city=city,
                offset=off,
            )
    if rng.random() < 0.5:
        parts.append("travel")
        for day in rng.uniform(start, start + length, int(rng.integers(1, 7))):
            book.add(
                c,
                day,
                hour_of(rng, "any"),
                float(rng.uniform(60, 700)),
                "out",
                "card_cnp",
                mcc=str(rng.choice(["4511", "4112", "4131", "4722"])),
                merchant=str(rng.choice(["SkyAir", "RailNow", "CoachGo"])),
                passengers=str(int(rng.integers(1, 5))),
            )
    if rng.random() < 0.55:
        parts.append("prepaid")
        for day in rng.uniform(start, start + length, int(rng.integers(2, 11))):
            book.add(
                c,
                day,
                hour_of(rng, "any"),
                float(rng.choice([50, 100, 200, 300, 500])),
                "out",
                "prepaid_load",
                mcc="6540",
                merchant=str(rng.choice(["VanillaCard", "OneLoad", "PrepaidPlus"])),
                terminal=f"PC{int(rng.integers(1, 4))}",
            )
    if rng.random() < 0.6:
        parts.append("basket")
        for day in rng.uniform(start, start + length, int(rng.integers(8, 40))):
            mcc = str(rng.choice(["4121", "5814", "5912", "5977", "7230", "5631", "5621"]))
            book.add(
                c,
                day,
                hour_of(rng, "night"),
                float(rng.uniform(8, 120)),
                "out",
                "card_pos",
                mcc=mcc,
                merchant=f"Shop {mcc}",
            )
    if rng.random() < 0.5:
        parts.append("night_cash")
        for day in rng.uniform(start, start + length, int(rng.integers(3, 14))):
            book.add(
                c,
                day,
                hour_of(rng, "late"),
                float(rng.uniform(200, 2500)),
                "in",
                "cash_atm",
                terminal=f"ATM{int(rng.integers(1, 6)):03d}",
            )
    return "+".join(parts) or "ads"


def htse_victim(rng: Rng, book: Book, c: Customer, controller: Customer | None) -> str:
    """Victim account (FINTRAC 2021, HT-08/HT-11): new account, shared phone/address with the
    controller, night cash deposits or e-transfers in, most of it passed on within 2 days to
    the same person; lodging in several cities; beauty purchases."""
    c.open_date = dt.date(2026, 1, 5) - dt.timedelta(days=int(rng.integers(0, 80)))
    c.birth_year = int(rng.integers(1996, 2008))
    background(rng, book, c, intensity=0.3, salary=False)
    boss = controller.name if controller else person_name(rng)
    boss_acct = controller.account_id if controller else h(boss)
    if controller and rng.random() < 0.7:
        c.phone = controller.phone if rng.random() < 0.5 else c.phone
        c.address = controller.address
    start, length = _window(rng, book, 20, 100)
    for day in np.sort(rng.uniform(start, start + length, int(rng.integers(3, 15)))):
        amt = float(rng.uniform(150, 1500))
        if rng.random() < 0.6:
            t = book.add(
                c,
                day,
                hour_of(rng, "late"),
                amt,
                "in",
                "cash_atm",
                terminal=f"ATM{int(rng.integers(1, 9)):03d}",
            )
        else:
            payer = person_name(rng)
            t = book.add(
                c,
                day,
                hour_of(rng, "night"),
                amt,
                "in",
                "etransfer",
                cp_name=payer,
                cp_account=h(payer),
            )
        if t:
            book.add(
                c,
                0,
                0,
                amt * float(rng.uniform(0.8, 1.0)),
                "out",
                str(rng.choice(["etransfer", "p2p"])),
                cp_name=boss,
                cp_account=boss_acct,
                at=later(rng, t, 1, 48),
            )
    for day in rng.uniform(start, start + length, int(rng.integers(0, 8))):
        city, off = c.jur.cities[int(rng.integers(len(c.jur.cities)))]
        book.add(
            c,
            day,
            hour_of(rng, "evening"),
            float(rng.uniform(60, 200)),
            "out",
            "card_pos",
            mcc="7011",
            merchant="Motel Sun",
            city=city,
            offset=off,
        )
    return "linked" if controller else "unlinked"


# --- forced labour (FATF F1-F3, FinCEN-2014 T3-T6: section 1.1, 1.2) ------------------------


def labour_wage_collection(rng: Rng, book: Book, c: Customer) -> str:
    """Several workers' wages paid into one account (F1), or a worker's wage moved on within
    48 h to the employer or a recruiter (F2, T6)."""
    background(rng, book, c, intensity=0.5, salary=False)
    employer = f"{rng.choice(['Green Fields', 'Sunrise Farms', 'CleanPro', 'BuildRight'])} Ltd"
    collector = person_name(rng)
    if rng.random() < 0.5:
        workers = [person_name(rng) for _ in range(int(rng.integers(3, 13)))]
        period = int(rng.choice([7, 14, 30]))
        for d in range(int(rng.integers(0, period)), book.days, period):
            total = 0.0
            paid = None
            for w in workers:
                amt = float(rng.uniform(300, 1400)) * period / 14
                total += amt
                paid = book.add(
                    c,
                    d,
                    hour_of(rng, "business"),
                    amt,
                    "in",
                    "ach",
                    cp_name=employer,
                    cp_account=h(employer),
                    purpose="SALA",
                    memo=f"PAYROLL {w.upper()}",
                )
            if paid:
                book.add(
                    c,
                    0,
                    0,
                    total * float(rng.uniform(0.6, 0.95)),
                    "out",
                    str(rng.choice(["cash_branch", "wire"])),
                    cp_name=collector,
                    cp_account=h(collector),
                    cp_country=str(rng.choice(["", "PH", "IN", "NP", "RO", "MX"])),
                    at=later(rng, paid, 1, 48),
                )
        return f"{len(workers)}_workers"
    c.birth_year = int(rng.integers(1985, 2006))
    c.nationality = str(rng.choice(["PH", "NP", "IN", "RO", "MX", "GT", "VN"]))
    period = int(rng.choice([14, 30]))
    for d in range(int(rng.integers(0, period)), book.days, period):
        amt = float(rng.uniform(900, 2500))
        paid = book.add(
            c,
            d,
            hour_of(rng, "business"),
            amt,
            "in",
            "ach",
            cp_name=employer,
            cp_account=h(employer),
            purpose="SALA",
            memo="PAYROLL",
        )
        taker = str(rng.choice([employer, collector]))
        if paid:
            book.add(
                c,
                0,
                0,
                amt * float(rng.uniform(0.8, 0.97)),
                "out",
                str(rng.choice(["etransfer", "cash_branch", "ach"])),
                cp_name=taker,
                cp_account=h(taker),
                at=later(rng, paid, 1, 48),
            )
    return "worker_skimmed"


def labour_front_business(rng: Rng, book: Book, c: Customer) -> str:
    """Front business (T3, T5, N3, N4): takings mostly in cash, no or tiny payroll, paying
    lodging, vehicle rental and bulk food, recruitment or visa fees, deposits after hours."""
    c.customer_type = "business"
    c.occupation = str(
        rng.choice(["nail_salon", "massage", "restaurant", "cleaning", "farm_labour_contractor"])
    )
    c.expected = float(rng.uniform(15_000, 90_000))
    cash_share = float(rng.uniform(0.75, 1.0))
    for d in range(book.days):
        if rng.random() < 0.85:
            amt = c.expected / 30 * float(rng.uniform(0.5, 1.5))
            if rng.random() < cash_share:
                book.add(
                    c,
                    d,
                    hour_of(rng, "late" if rng.random() < 0.4 else "business"),
                    amt,
                    "in",
                    "cash_branch",
                )
            else:
                book.add(c, d, 4, amt, "in", "ach", cp_name="CardAcq Settlement")
    if rng.random() < 0.3:
        for d in range(0, book.days, 30):
            book.add(
                c,
                d + 1,
                10,
                float(rng.uniform(300, 900)),
                "out",
                "ach",
                cp_name=person_name(rng),
                purpose="SALA",
            )
    for day in rng.uniform(0, book.days, int(rng.integers(4, 20))):
        mcc, merchant = [
            ("7011", "Budget Inn"),
            ("7512", "RentaVan"),
            ("5300", "BulkClub"),
            ("6513", "Apartment Rentals"),
        ][int(rng.integers(4))]
        book.add(
            c,
            day,
            hour_of(rng, "any"),
            float(rng.uniform(200, 3000)),
            "out",
            "card_pos" if mcc != "6513" else "ach",
            mcc=mcc,
            merchant=merchant,
        )
    if rng.random() < 0.5:
        agency = f"{rng.choice(['Global', 'Pacific', 'Euro'])} Recruitment"
        for day in rng.uniform(0, book.days, int(rng.integers(1, 5))):
            book.add(
                c,
                day,
                11,
                float(rng.uniform(800, 6000)),
                "out",
                "wire",
                cp_name=agency,
                cp_country=str(rng.choice(["PH", "VN", "NP", "TH", "RO"])),
                memo=str(rng.choice(["visa fee", "recruitment fee", "placement"])),
            )
    return c.occupation


# --- online child sexual exploitation (AUSTRAC A1-A5, FINTRAC 2020/2025, FinCEN 2021/2024) --

COVER_MEMOS = [
    "school fees",
    "uniform",
    "medical bills",
    "gift",
    "food",
    "accommodation",
    "load",
    "for you",
    "",
]
DEST_CITY = {
    "PH": "Angeles City",
    "TH": "Pattaya",
    "CO": "Medellin",
    "DO": "Sosua",
    "GH": "Accra",
    "UA": "Odesa",
    "RO": "Bucharest",
    "JM": "Montego Bay",
    "RU": "Moscow",
    "MX": "Tijuana",
    "IN": "Goa",
    "ZA": "Cape Town",
    "CU": "Havana",
}
OCSE_BAND = {
    "AU": (10, 100, 500),
    "CA": (10, 200, 200),
    "US": (10, 150, 300),
    "GB": (10, 120, 300),
    "DE": (10, 120, 300),
}


def ocse_remitter(rng: Rng, book: Book, c: Customer, hub: list[str]) -> str:
    """Consumer of OCSE: low-value remittances to CSE countries with no family link, to a few
    recipients (some shared with other senders), cover memos, often escalating; VPN or
    streaming purchases, sometimes a plane ticket and cash abroad afterwards."""
    dest = str(rng.choice(CSE_DESTINATIONS, p=CSE_DEST_WEIGHTS / CSE_DEST_WEIGHTS.sum()))
    while c.nationality == dest:
        c.nationality = c.jur.country
    background(rng, book, c)
    lo, hi, cap = OCSE_BAND[c.jur.country]
    n_bene = int(rng.integers(1, 6))
    benes = [
        hub[int(rng.integers(len(hub)))] if rng.random() < 0.3 else person_name(rng)
        for _ in range(n_bene)
    ]
    start, length = _window(rng, book, 25, 115)
    n = int(rng.integers(3, 26))
    escalate = rng.random() < 0.4
    days = np.sort(rng.uniform(start, start + length, n))
    if escalate:  # few and far apart first, then more often (AUSTRAC A4)
        days = start + length * np.sqrt(np.sort(rng.uniform(0, 1, n)))
    for i, day in enumerate(days):
        top = hi if not escalate else lo + (cap - lo) * (i + 1) / n
        bene = benes[int(rng.integers(len(benes)))]
        book.add(
            c,
            day,
            hour_of(rng, "any"),
            float(rng.uniform(lo, max(top, lo + 5))),
            "out",
            str(rng.choice(["msb_remittance", "p2p", "wire"], p=[0.65, 0.25, 0.1])),
            cp_name=bene,
            cp_account=h(bene),
            cp_country=dest,
            memo=COVER_MEMOS[int(rng.integers(len(COVER_MEMOS)))] if rng.random() < 0.5 else "",
        )
    extras = []
    if rng.random() < 0.4:
        extras.append("vpn")
        for day in rng.uniform(start, start + length, int(rng.integers(1, 4))):
            book.add(
                c,
                day,
                hour_of(rng, "night"),
                float(rng.uniform(4, 15)),
                "out",
                "card_cnp",
                mcc="4816",
                merchant=str(
                    rng.choice(["ShieldVPN", "CipherChat", "CloudLocker", "ScreenGrab Pro"])
                ),
                cp_country=str(rng.choice(["PA", "SE", "CH", "US"])),
            )
    if rng.random() < 0.5:
        extras.append("streaming")
        for day in rng.uniform(start, start + length, int(rng.integers(2, 12))):
            book.add(
                c,
                day,
                hour_of(rng, "night"),
                _grid_amount(rng, 5, 120),
                "out",
                str(rng.choice(["card_cnp", "p2p"])),
                mcc=str(rng.choice(["5967", "4899"])),
                merchant=str(rng.choice(["CamLive", "StreamPriv", "PAYPROC*CAMS"])),
                cp_country=str(rng.choice(["PH", "RO", "CY", "US"])),
            )
    if rng.random() < 0.25:
        extras.append("travel")
        trip = start + length + float(rng.uniform(1, 20))
        book.add(
            c,
            trip - 10,
            hour_of(rng, "any"),
            float(rng.uniform(700, 2200)),
            "out",
            "card_cnp",
            mcc="4511",
            merchant="SkyAir",
            passengers="1",
        )
        for k in range(int(rng.integers(3, 12))):
            book.add(
                c,
                trip + k * float(rng.uniform(0.5, 2)),
                hour_of(rng, "any"),
                float(rng.uniform(100, 400)),
                "out",
                "cash_atm",
                cp_country=dest,
                city=DEST_CITY.get(dest, "Capital"),
                terminal=f"ATM-{dest}",
            )
    return f"{dest}{'+esc' if escalate else ''}{'+' if extras else ''}{'+'.join(extras)}"


def ocse_crypto(rng: Rng, book: Book, c: Customer) -> str:
    """CVC (FinCEN FTA 2024, CSE-09): small fiat->crypto buys, then transfers to addresses
    tagged darknet, mixer, P2P exchange or kiosk; sometimes cash into a kiosk."""
    background(rng, book, c)
    start, length = _window(rng, book, 10, 100)
    tags = ["darknet_csam", "mixer", "p2p_exchange", "kiosk", "privacy_coin_swap"]
    tag = tags[int(rng.integers(len(tags)))]
    for day in rng.uniform(start, start + length, int(rng.integers(2, 11))):
        fiat = _grid_amount(rng, 20, 400)
        bought = book.add(
            c,
            day,
            hour_of(rng, "night"),
            fiat,
            "out",
            "card_cnp",
            mcc="6051",
            merchant=str(rng.choice(["CoinEasy", "BitBuy", "CryptoKiosk"])),
        )
        if not bought:
            continue
        book.add(
            c,
            0,
            0,
            fiat / 60000 * float(rng.uniform(0.95, 1.0)),
            "out",
            "crypto",
            currency="BTC",
            cp_account=f"bc1q{h(str(day))}",
            crypto_tag=tag,
            decimals=6,
            at=later(rng, bought, 0.2, 24),
        )
    return tag


# --- sextortion (FIN-2025-NTC2, section 1.4) --------------------------------------------


def sextortion_victim(rng: Rng, book: Book, c: Customer) -> str:
    """Victim (SX-01): a young account holder suddenly sends several P2P, gift-card, prepaid
    or crypto payments within hours to a new payee in a jurisdiction of concern. The
    countries used are the author's knowledge of public FBI warnings, not the research file."""
    c.birth_year = int(rng.integers(2007, 2012))
    c.occupation = "student"
    background(rng, book, c, intensity=0.4, salary=False)
    start = float(rng.uniform(5, book.days - 5))
    payee = person_name(rng)
    country = str(rng.choice(["NG", "CI", "PH", "GH"]))
    n = int(rng.integers(3, 8))
    span = float(rng.uniform(0.3, 3))
    for day in np.sort(rng.uniform(start, start + span, n)):
        how = str(rng.choice(["p2p", "giftcard", "prepaid", "crypto"], p=[0.5, 0.2, 0.15, 0.15]))
        amt = float(rng.uniform(25, 500))
        if how == "p2p":
            book.add(
                c,
                day,
                hour_of(rng, "night"),
                amt,
                "out",
                "p2p",
                cp_name=payee,
                cp_account=h(payee),
                cp_country=country,
            )
        elif how == "giftcard":
            book.add(
                c,
                day,
                hour_of(rng, "night"),
                amt,
                "out",
                "card_cnp",
                mcc="5947",
                merchant="GiftCardMall",
            )
        elif how == "prepaid":
            book.add(
                c,
                day,
                hour_of(rng, "night"),
                amt,
                "out",
                "prepaid_load",
                mcc="6540",
                merchant="VanillaCard",
            )
        else:
            book.add(
                c,
                day,
                hour_of(rng, "night"),
                amt,
                "out",
                "card_cnp",
                mcc="6051",
                merchant="CoinEasy",
            )
    return f"{n}_in_{span:.1f}d"


def money_mule(rng: Rng, book: Book, c: Customer) -> str:
    """Mule (SX-02, HT-09): bursts of small P2P/e-transfer credits from many unrelated,
    often young, senders, forwarded abroad or into crypto or gift cards within a day."""
    if rng.random() < 0.5:
        c.open_date = dt.date(2026, 1, 5) - dt.timedelta(days=int(rng.integers(0, 90)))
    c.birth_year = int(rng.integers(1995, 2007))
    background(rng, book, c, intensity=0.4, salary=rng.random() < 0.4)
    out_country = str(rng.choice(["NG", "GH", "CI", "PH", "RO"]))
    for _burst in range(int(rng.integers(1, 4))):
        start = float(rng.uniform(0, book.days - 8))
        span = float(rng.uniform(1, 7))
        n = int(rng.integers(5, 41))
        total = 0.0
        times = []
        for day in rng.uniform(start, start + span, n):
            sender = person_name(rng)
            amt = float(rng.uniform(20, 500))
            if rng.random() < 0.4:
                amt = float(round(amt, -1))
            total += amt
            t = book.add(
                c,
                day,
                hour_of(rng, "evening"),
                amt,
                "in",
                str(rng.choice(["p2p", "etransfer"])),
                cp_name=sender,
                cp_account=h(sender + str(day)),
            )
            if t:
                times.append(t)
        if not times:
            continue
        end = later(rng, max(times), 1, 24)
        share = float(rng.uniform(0.8, 0.97))
        how = str(rng.choice(["wire", "crypto", "giftcard"]))
        if how == "wire":
            book.add(
                c,
                0,
                0,
                total * share,
                "out",
                str(rng.choice(["wire", "msb_remittance"])),
                cp_name=person_name(rng),
                cp_country=out_country,
                at=end,
            )
        elif how == "crypto":
            book.add(
                c, 0, 0, total * share, "out", "card_cnp", mcc="6051", merchant="CoinEasy", at=end
            )
        else:
            pieces = int(rng.integers(2, 6))
            for k in range(pieces):
                book.add(
                    c,
                    0,
                    0,
                    total * share / pieces,
                    "out",
                    "card_cnp",
                    mcc="5947",
                    merchant="GiftCardMall",
                    at=end + dt.timedelta(minutes=10 * k),
                )
    return "new_account" if c.open_date > dt.date(2025, 10, 1) else "established"


POSITIVES: dict[str, Callable[..., str]] = {
    "structuring": structuring,
    "smuggling_wires": smuggling_wires,
    "funnel_account": funnel_account,
    "htse_controller": htse_controller,
    "htse_victim": htse_victim,
    "labour_wage_collection": labour_wage_collection,
    "labour_front_business": labour_front_business,
    "ocse_remitter": ocse_remitter,
    "ocse_crypto": ocse_crypto,
    "sextortion_victim": sextortion_victim,
    "money_mule": money_mule,
}


def generate(
    n_customers: int,
    seed: int,
    out: Path,
    days: int = 120,
    per_typology: int = 25,
    per_negative: int = 100,
) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    book = Book(days)
    plan = [t for t in POSITIVES for _ in range(per_typology)]
    plan += [t for t in NEGATIVES for _ in range(per_negative)]
    plan += ["ordinary"] * max(0, n_customers - len(plan))
    plan = [plan[int(i)] for i in rng.permutation(len(plan))]
    customers: list[Customer] = []
    truth: list[list[str]] = []
    controllers: list[Customer] = []
    hub = [person_name(rng) for _ in range(8)]  # recipients shared by several OCSE senders
    # Controllers first, so victims can point at one.
    order = sorted(range(len(plan)), key=lambda i: plan[i] != "htse_controller")
    for i in order:
        kind = plan[i]
        nationality = str(rng.choice(DIASPORA)) if kind == "neg_diaspora_remittance" else None
        c = new_customer(rng, i + 1, nationality=nationality)
        if kind == "ordinary":
            background(rng, book, c)
            variant, positive = "", "0"
        elif kind in NEGATIVES:
            if kind != "neg_cash_business":
                background(rng, book, c, intensity=0.8)
            variant, positive = NEGATIVES[kind](rng, book, c), "0"
        elif kind == "htse_victim":
            boss = controllers[int(rng.integers(len(controllers)))] if controllers else None
            variant, positive = htse_victim(rng, book, c, boss), "1"
        elif kind == "ocse_remitter":
            variant, positive = ocse_remitter(rng, book, c, hub), "1"
        else:
            variant, positive = POSITIVES[kind](rng, book, c), "1"
        if kind == "htse_controller":
            controllers.append(c)
        customers.append(c)
        truth.append([c.customer_id, kind, positive, variant, c.jur.country])

    book.rows.sort(key=lambda r: (r[1], r[2]))
    for n, row in enumerate(book.rows, start=1):
        row[0] = f"T{n:08d}"
    customers.sort(key=lambda c: c.customer_id)
    truth.sort()
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "customers.csv", CUSTOMER_COLUMNS, [c.row() for c in customers])
    _write(out / "transactions.csv", TXN_COLUMNS, book.rows)
    _write(
        out / "truth.csv", ["customer_id", "typology", "positive", "variant", "jurisdiction"], truth
    )
    return {
        "customers": len(customers),
        "transactions": len(book.rows),
        "positives": sum(t[2] == "1" for t in truth),
    }


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--per-typology", type=int, default=25)
    parser.add_argument("--per-negative", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(
        generate(
            args.customers, args.seed, args.out, args.days, args.per_typology, args.per_negative
        )
    )


if __name__ == "__main__":
    main()
