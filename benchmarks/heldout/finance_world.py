"""Shared world for the held-out finance generator: jurisdictions, a row builder, ordinary
background behaviour and the hard negatives (people who look a little like a typology and are
innocent).

Written blind (see benchmarks/heldout/README.md) from research/financial_red_flags.md section
1.0 (canonical data model: channels, MCC, counterparty country, local time, memo, KYC profile)
and section 4.2 (report precision and recall, alerts per 1,000 customers). Reporting
thresholds other than the USD ones quoted there [src] are the author's general knowledge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np

TXN_COLUMNS = [
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
    "ts_local",
    "purpose_code",
    "crypto_tag",
    "passenger_count",
]
CUSTOMER_COLUMNS = [
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
]


@dataclass(frozen=True)
class Jurisdiction:
    country: str
    currency: str
    cash_threshold: float  # cash transaction report threshold in local currency
    wire_threshold: float | None  # recordkeeping / EFT reporting level, if any
    cities: tuple[tuple[str, int], ...]  # (city, UTC offset in hours, fixed for simplicity)


# USD 10,000 CTR and USD 3,000 recordkeeping: research file section 1.2 (S1, S5) [src].
# CAD 10,000 LCTR and EFT, AUD 10,000 TTR, EUR 10,000: the author's general knowledge.
JURISDICTIONS = {
    "US": Jurisdiction(
        "US",
        "USD",
        10_000,
        3_000,
        (
            ("New York", -5),
            ("Chicago", -6),
            ("Houston", -6),
            ("Los Angeles", -8),
            ("Phoenix", -7),
            ("Atlanta", -5),
            ("Miami", -5),
            ("Dallas", -6),
            ("Seattle", -8),
        ),
    ),
    "CA": Jurisdiction(
        "CA",
        "CAD",
        10_000,
        10_000,
        (
            ("Toronto", -5),
            ("Montreal", -5),
            ("Vancouver", -8),
            ("Calgary", -7),
            ("Ottawa", -5),
            ("Winnipeg", -6),
        ),
    ),
    "AU": Jurisdiction(
        "AU",
        "AUD",
        10_000,
        None,
        (("Sydney", 10), ("Melbourne", 10), ("Brisbane", 10), ("Perth", 8), ("Adelaide", 9)),
    ),
    "DE": Jurisdiction(
        "DE",
        "EUR",
        10_000,
        None,
        (("Berlin", 1), ("Hamburg", 1), ("Munich", 1), ("Cologne", 1), ("Frankfurt", 1)),
    ),
    "GB": Jurisdiction(
        "GB",
        "GBP",
        10_000,
        None,
        (("London", 0), ("Manchester", 0), ("Birmingham", 0), ("Leeds", 0), ("Glasgow", 0)),
    ),
}
JURISDICTION_SHARE = {"US": 0.35, "CA": 0.2, "AU": 0.2, "DE": 0.1, "GB": 0.15}

# Countries named as destinations of OCSE-linked transfers: FINTRAC 2020 and 2025, AUSTRAC A1
# (research file section 1.5, 1.6) [src].
CSE_DESTINATIONS = ["PH", "TH", "CO", "DO", "GH", "UA", "RO", "JM", "RU", "MX", "IN", "ZA", "CU"]
CSE_DEST_WEIGHTS = np.array([8, 4, 3, 3, 1, 1, 1, 1, 1, 2, 1, 1, 1], dtype=float)
# Diaspora nationalities that really send money home (overlapping the list above on purpose).
DIASPORA = ["PH", "IN", "MX", "CO", "DO", "JM", "GH", "VN", "NG", "UA", "RO", "TH"]
FOREIGN_NATIONALITIES = ["IN", "PH", "CN", "MX", "NG", "PL", "VN", "CO", "UA", "BR", "PK", "IT"]

FIRST = [
    "Maria",
    "Ana",
    "John",
    "James",
    "Wei",
    "Li",
    "Priya",
    "Rahul",
    "Jose",
    "Juan",
    "Grace",
    "Joy",
    "Michael",
    "David",
    "Sarah",
    "Emma",
    "Olga",
    "Irina",
    "Kwame",
    "Ama",
    "Nguyen",
    "Thi",
    "Carlos",
    "Lucia",
    "Aisha",
    "Omar",
    "Chen",
    "Mei",
    "Daniel",
    "Laura",
    "Rosa",
    "Jasmine",
    "Kevin",
    "Mark",
    "Angel",
    "Cristina",
    "Thanh",
    "Somchai",
    "Nok",
]
LAST = [
    "Santos",
    "Reyes",
    "Cruz",
    "Smith",
    "Johnson",
    "Garcia",
    "Lopez",
    "Wang",
    "Zhang",
    "Patel",
    "Singh",
    "Kumar",
    "Nguyen",
    "Tran",
    "Mensah",
    "Owusu",
    "Kowalski",
    "Popescu",
    "Ivanova",
    "Brown",
    "Miller",
    "Silva",
    "Torres",
    "Rodriguez",
    "Dela Cruz",
    "Bautista",
    "Kaewmanee",
    "Sutherland",
    "Okafor",
    "Adeyemi",
    "Martinez",
    "Hernandez",
    "Baker",
]

# Wall-clock time of day 0 in every city (tzinfo only to keep arithmetic explicit).
START = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)

# (mcc, channel, merchant name pool, amount low, amount high, hour weights key)
BASKET = [
    ("5411", "card_pos", ["FreshMart", "Grocer One", "ValueFoods"], 8, 180, "day", 0.28),
    ("5812", "card_pos", ["Bistro 9", "Golden Wok", "Casa Mia"], 15, 120, "evening", 0.10),
    ("5814", "card_pos", ["BurgerDash", "QuickBite", "Taco Rapido"], 5, 30, "day", 0.09),
    ("5541", "card_pos", ["FuelStop", "PetroMax"], 20, 90, "day", 0.08),
    ("5912", "card_pos", ["MediPharm", "CareChemist"], 5, 60, "day", 0.05),
    ("5651", "card_pos", ["StyleHouse", "UrbanWear"], 20, 150, "day", 0.04),
    ("5311", "card_cnp", ["ShopAll Online", "MegaStore.com"], 10, 250, "any", 0.12),
    ("4899", "card_cnp", ["StreamFlix", "TuneBox"], 8, 20, "any", 0.03),
    ("4121", "card_pos", ["RideNow", "CityCab"], 8, 45, "any", 0.05),
    ("7230", "card_pos", ["Shear Bliss", "Glow Salon"], 25, 90, "day", 0.02),
    ("5813", "card_pos", ["The Anchor Bar", "Night Owl Lounge"], 10, 80, "night", 0.04),
    ("5977", "card_pos", ["BeautyBox", "LuxeCosmetics"], 10, 70, "day", 0.02),
    ("5816", "card_cnp", ["GameVault", "PlayCoins"], 3, 60, "any", 0.03),
    ("7011", "card_pos", ["Grand Hotel", "Comfort Inn", "StayShare"], 90, 320, "evening", 0.01),
    ("4511", "card_cnp", ["SkyAir", "JetLine"], 120, 900, "any", 0.005),
    ("7273", "card_cnp", ["MatchMeet", "HeartLink"], 15, 40, "any", 0.0),  # subscriptions only
]


def hour_of(rng: np.random.Generator, kind: str) -> float:
    if kind == "day":
        return float(rng.uniform(8, 20))
    if kind == "evening":
        return float(rng.uniform(17, 23))
    if kind == "night":
        return float(rng.uniform(21, 27)) % 24  # 21:00-03:00
    if kind == "late":
        return float(rng.uniform(23, 29)) % 24  # 23:00-05:00
    if kind == "business":
        return float(rng.uniform(9, 17))
    return float(rng.uniform(7, 24))


def h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Customer:
    customer_id: str
    jur: Jurisdiction
    city: str
    offset: int
    nationality: str
    birth_year: int
    customer_type: str = "individual"
    occupation: str = "employee"
    open_date: dt.date = dt.date(2019, 1, 1)
    phone: str = ""
    email: str = ""
    address: str = ""
    expected: float = 3000.0
    name: str = ""

    @property
    def account_id(self) -> str:
        return "A" + self.customer_id[1:]

    def row(self) -> list[str]:
        return [
            self.customer_id,
            self.customer_type,
            self.open_date.isoformat(),
            self.occupation,
            self.jur.country,
            self.city,
            self.nationality,
            str(self.birth_year),
            self.phone,
            self.email,
            self.address,
            f"{self.expected:.0f}",
        ]


@dataclass
class Book:
    """Collects transaction rows; ids are sequential in generation order, rows are sorted by
    time when written."""

    days: int
    rows: list[list[str]] = field(default_factory=list)

    def add(
        self,
        c: Customer,
        day: float,
        hour: float,
        amount: float,
        direction: str,
        channel: str,
        *,
        currency: str | None = None,
        cp_name: str = "",
        cp_account: str = "",
        cp_country: str = "",
        mcc: str = "",
        merchant: str = "",
        city: str = "",
        offset: int | None = None,
        terminal: str = "",
        memo: str = "",
        purpose: str = "",
        crypto_tag: str = "",
        passengers: str = "",
        decimals: int = 2,
        at: dt.datetime | None = None,
    ) -> dt.datetime | None:
        """Add one row at local wall-clock time `at`, or on `day` at `hour`; returns that
        time so a follow-up (a pass-through, a withdrawal) can be placed after it, or None
        when the time falls outside the simulated period."""
        local = at or START + dt.timedelta(days=int(day), hours=hour)
        if not START <= local < START + dt.timedelta(days=self.days) or amount <= 0:
            return None
        off = c.offset if offset is None else offset
        utc = local - dt.timedelta(hours=off)
        self.rows.append(
            [
                "",
                utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
                c.customer_id,
                c.account_id,
                f"{amount:.{decimals}f}",
                currency or c.jur.currency,
                direction,
                channel,
                cp_name,
                cp_account,
                cp_country or (c.jur.country if channel.startswith(("card", "cash")) else ""),
                mcc,
                merchant,
                city or (c.city if channel in {"card_pos", "cash_atm", "cash_branch"} else ""),
                terminal,
                memo,
                local.strftime("%Y-%m-%dT%H:%M:%S"),
                purpose,
                crypto_tag,
                passengers,
            ]
        )
        return local


def later(
    rng: np.random.Generator, t: dt.datetime, lo_hours: float, hi_hours: float
) -> dt.datetime:
    """A time lo..hi hours after `t`."""
    return t + dt.timedelta(hours=float(rng.uniform(lo_hours, hi_hours)))


def person_name(rng: np.random.Generator) -> str:
    return f"{FIRST[int(rng.integers(len(FIRST)))]} {LAST[int(rng.integers(len(LAST)))]}"


def new_customer(
    rng: np.random.Generator,
    idx: int,
    *,
    jur_code: str | None = None,
    nationality: str | None = None,
    birth_year: int | None = None,
) -> Customer:
    code = jur_code or str(
        rng.choice(list(JURISDICTION_SHARE), p=np.array(list(JURISDICTION_SHARE.values())))
    )
    jur = JURISDICTIONS[code]
    city, offset = jur.cities[int(rng.integers(len(jur.cities)))]
    nat = nationality or (
        code
        if rng.random() < 0.75
        else FOREIGN_NATIONALITIES[int(rng.integers(len(FOREIGN_NATIONALITIES)))]
    )
    cid = f"C{idx:06d}"
    opened = dt.date(2026, 1, 5) - dt.timedelta(days=int(rng.integers(30, 4000)))
    return Customer(
        cid,
        jur,
        city,
        offset,
        nat,
        birth_year or int(rng.integers(1950, 2004)),
        open_date=opened,
        phone=h("p" + cid),
        email=h("e" + cid),
        address=h("a" + cid),
        expected=float(rng.lognormal(8.0, 0.5)),
        name=person_name(rng),
    )


def background(
    rng: np.random.Generator, book: Book, c: Customer, intensity: float = 1.0, salary: bool = True
) -> None:
    """Ordinary life: pay, card spending, bills, rent, ATM cash, a little P2P."""
    income = c.expected * float(rng.uniform(0.8, 1.2))
    employer = f"{LAST[int(rng.integers(len(LAST)))]} {rng.choice(['Ltd', 'Inc', 'LLC', 'Group'])}"
    if salary:
        period = int(rng.choice([14, 30]))
        first = int(rng.integers(0, period))
        for d in range(first, book.days, period):
            book.add(
                c,
                d,
                hour_of(rng, "business"),
                income * period / 30,
                "in",
                "ach",
                cp_name=employer,
                cp_account=h(employer),
                purpose="SALA",
                memo="PAYROLL",
            )
    landlord = person_name(rng)
    rent = income * float(rng.uniform(0.25, 0.4))
    for d in range(int(rng.integers(0, 5)), book.days, 30):
        book.add(
            c,
            d,
            hour_of(rng, "business"),
            rent,
            "out",
            str(rng.choice(["ach", "etransfer"])),
            cp_name=landlord,
            cp_account=h(landlord),
            memo="rent",
        )
        for biller, mcc in (("PowerCo", "4900"), ("TelcoOne", "4814"), ("SafeInsure", "6300")):
            book.add(
                c,
                d + int(rng.integers(1, 20)),
                hour_of(rng, "business"),
                float(rng.uniform(30, 160)),
                "out",
                "ach",
                cp_name=biller,
                mcc=mcc,
            )
    weights = np.array([b[6] for b in BASKET])
    weights /= weights.sum()
    n = rng.poisson(book.days * 1.1 * intensity)
    for day, k in zip(
        rng.uniform(0, book.days, n), rng.choice(len(BASKET), n, p=weights), strict=True
    ):
        mcc, channel, names, lo, hi, hours, _w = BASKET[int(k)]
        book.add(
            c,
            day,
            hour_of(rng, hours),
            float(rng.uniform(lo, hi)),
            "out",
            channel,
            mcc=mcc,
            merchant=names[int(rng.integers(len(names)))],
            terminal=f"T{int(rng.integers(1, 99999)):05d}" if channel == "card_pos" else "",
        )
    for day in rng.uniform(0, book.days, rng.poisson(book.days / 10 * intensity)):
        book.add(
            c,
            day,
            hour_of(rng, "any"),
            float(rng.choice([20, 40, 60, 100, 200])),
            "out",
            "cash_atm",
            terminal=f"ATM{int(rng.integers(1, 999)):03d}",
        )
    friends = [person_name(rng) for _ in range(4)]
    for day in rng.uniform(0, book.days, rng.poisson(book.days / 15 * intensity)):
        f = friends[int(rng.integers(len(friends)))]
        book.add(
            c,
            day,
            hour_of(rng, "evening"),
            float(rng.uniform(10, 120)),
            str(rng.choice(["in", "out"])),
            "p2p",
            cp_name=f,
            cp_account=h(f),
        )
    if rng.random() < 0.05:  # a dating-app subscription: ordinary, and looks like MCC 7273
        for d in range(int(rng.integers(0, 30)), book.days, 30):
            book.add(
                c,
                d,
                hour_of(rng, "any"),
                float(rng.choice([19.99, 29.99, 39.99])),
                "out",
                "card_cnp",
                mcc="7273",
                merchant="MatchMeet",
            )


# --- hard negatives ----------------------------------------------------------------------


def neg_diaspora_remittance(rng: np.random.Generator, book: Book, c: Customer) -> str:
    """Family remittances home: same corridors and memo words as the OCSE pattern, but the
    sender is a national of the destination and pays the same relatives for months."""
    dest = c.nationality
    surname = LAST[int(rng.integers(len(LAST)))]
    n_family = int(rng.integers(1, 4))
    family = [f"{FIRST[int(rng.integers(len(FIRST)))]} {surname}" for _ in range(n_family)]
    per_month = int(rng.integers(1, 6))
    for month in range(0, book.days, 30):
        for _ in range(per_month):
            who = family[int(rng.integers(len(family)))]
            book.add(
                c,
                month + float(rng.uniform(0, 30)),
                hour_of(rng, "any"),
                float(rng.uniform(40, 600)),
                "out",
                str(rng.choice(["msb_remittance", "wire", "p2p"], p=[0.6, 0.25, 0.15])),
                cp_name=who,
                cp_account=h(who),
                cp_country=dest,
                memo=str(
                    rng.choice(
                        [
                            "school fees",
                            "for mama",
                            "allowance",
                            "medical",
                            "rent",
                            "",
                            "tuition",
                            "gift",
                        ]
                    )
                ),
            )
    if rng.random() < 0.3:  # a trip home
        book.add(
            c,
            float(rng.uniform(0, book.days)),
            hour_of(rng, "any"),
            float(rng.uniform(600, 1800)),
            "out",
            "card_cnp",
            mcc="4511",
            merchant="SkyAir",
            passengers=str(int(rng.integers(1, 4))),
        )
    return "family_remittance"


def neg_cash_business(rng: np.random.Generator, book: Book, c: Customer) -> str:
    """Cash-intensive small business: daily cash takings (a few big days around the report
    threshold, on both sides of it; some after-hours night-safe deposits), card settlements,
    payroll, suppliers."""
    c.customer_type = "business"
    c.occupation = str(
        rng.choice(
            [
                "restaurant",
                "convenience_store",
                "laundromat",
                "hair_salon",
                "food_truck",
                "market_stall",
            ]
        )
    )
    c.expected = float(rng.uniform(20_000, 120_000))
    daily = c.expected / 30
    for d in range(book.days):
        if rng.random() < 0.8:
            amt = daily * float(rng.uniform(0.2, 0.7))
            if rng.random() < 0.03:  # a big day, below or above the threshold
                amt = c.jur.cash_threshold * float(rng.uniform(0.6, 1.6))
            book.add(
                c,
                d,
                hour_of(rng, "late" if rng.random() < 0.2 else "business"),
                amt,
                "in",
                str(rng.choice(["cash_branch", "cash_atm"], p=[0.7, 0.3])),
                terminal=f"BR{int(rng.integers(1, 4))}",
            )
        if rng.random() < 0.7:
            book.add(
                c,
                d,
                4,
                daily * float(rng.uniform(0.2, 0.6)),
                "in",
                "ach",
                cp_name="CardAcq Settlement",
                cp_account="ACQ1",
                memo="card settlement",
            )
    staff = [person_name(rng) for _ in range(int(rng.integers(2, 10)))]
    for d in range(int(rng.integers(0, 14)), book.days, 14):
        for s in staff:
            book.add(
                c,
                d,
                10,
                float(rng.uniform(700, 2200)),
                "out",
                "ach",
                cp_name=s,
                cp_account=h(s),
                purpose="SALA",
                memo="wages",
            )
        book.add(
            c,
            d + 3,
            11,
            float(rng.uniform(2000, 9000)),
            "out",
            "ach",
            cp_name="Metro Wholesale",
            mcc="5300",
            memo="supplies",
        )
    return c.occupation


def neg_gig_worker(rng: np.random.Generator, book: Book, c: Customer) -> str:
    """Many small credits: platform payouts, tips and marketplace sales from many people."""
    c.occupation = "gig_worker"
    platforms = ["RideNow Payouts", "DeliverEat", "TaskHero"][: int(rng.integers(1, 4))]
    for d in range(book.days):
        if rng.random() < 0.6:
            p = platforms[int(rng.integers(len(platforms)))]
            book.add(
                c,
                d,
                hour_of(rng, "any"),
                float(rng.uniform(15, 220)),
                "in",
                "ach",
                cp_name=p,
                cp_account=h(p),
                memo="payout",
            )
    for day in rng.uniform(0, book.days, int(rng.integers(10, 60))):
        buyer = person_name(rng)
        book.add(
            c,
            day,
            hour_of(rng, "evening"),
            float(rng.uniform(5, 90)),
            "in",
            str(rng.choice(["p2p", "etransfer"])),
            cp_name=buyer,
            cp_account=h(buyer),
            memo=str(rng.choice(["tip", "thanks", "item", "", "sofa", "bike"])),
        )
    for day in rng.uniform(0, book.days, int(rng.integers(10, 40))):
        book.add(
            c,
            day,
            hour_of(rng, "night"),
            float(rng.uniform(20, 70)),
            "out",
            "card_pos",
            mcc="5541",
            merchant="FuelStop",
        )
    return "gig_worker"


def neg_student(rng: np.random.Generator, book: Book, c: Customer) -> str:
    """International student paid by parents: large monthly credits from abroad, many small
    transfers with peers, game and phone top-ups in small units, trips home."""
    c.occupation = "student"
    c.birth_year = int(rng.integers(2002, 2008))
    c.nationality = str(rng.choice(["IN", "CN", "NG", "VN", "BR", "PH", "CO"]))
    parent = f"{FIRST[int(rng.integers(len(FIRST)))]} {LAST[int(rng.integers(len(LAST)))]}"
    for d in range(int(rng.integers(0, 30)), book.days, 30):
        book.add(
            c,
            d,
            hour_of(rng, "business"),
            float(rng.uniform(500, 3000)),
            "in",
            "wire",
            cp_name=parent,
            cp_account=h(parent),
            cp_country=c.nationality,
            memo=str(rng.choice(["tuition", "living", "school fees", ""])),
        )
    peers = [person_name(rng) for _ in range(12)]
    for day in rng.uniform(0, book.days, int(rng.integers(15, 60))):
        p = peers[int(rng.integers(len(peers)))]
        book.add(
            c,
            day,
            hour_of(rng, "evening"),
            float(rng.uniform(5, 60)),
            str(rng.choice(["in", "out"])),
            "p2p",
            cp_name=p,
            cp_account=h(p),
            memo=str(rng.choice(["pizza", "rent split", "uber", "", "drinks"])),
        )
    for day in rng.uniform(0, book.days, int(rng.integers(2, 12))):
        book.add(
            c,
            day,
            hour_of(rng, "night"),
            float(rng.choice([3, 6, 12, 24, 48])),
            "out",
            "card_cnp",
            mcc="5816",
            merchant="GameVault",
        )
    for day in rng.uniform(0, book.days, int(rng.integers(0, 4))):
        book.add(
            c,
            day,
            hour_of(rng, "any"),
            float(rng.choice([20, 25, 50])),
            "out",
            "prepaid_load",
            mcc="6540",
            merchant="TopUp Mobile",
        )
    return "student"


def neg_frequent_traveller(rng: np.random.Generator, book: Book, c: Customer) -> str:
    """Consultant on the road: hotels in many cities, flights, taxis, late dinners."""
    c.occupation = "consultant"
    cities = [x[0] for x in c.jur.cities]
    d = float(rng.uniform(0, 10))
    while d < book.days:
        city = cities[int(rng.integers(len(cities)))]
        book.add(
            c,
            d,
            hour_of(rng, "any"),
            float(rng.uniform(150, 700)),
            "out",
            "card_cnp",
            mcc="4511",
            merchant="SkyAir",
            passengers="1",
        )
        for night in range(int(rng.integers(1, 5))):
            book.add(
                c,
                d + night,
                hour_of(rng, "evening"),
                float(rng.uniform(120, 350)),
                "out",
                "card_pos",
                mcc="7011",
                merchant="Grand Hotel",
                city=city,
            )
            book.add(
                c,
                d + night,
                hour_of(rng, "night"),
                float(rng.uniform(15, 60)),
                "out",
                "card_pos",
                mcc="4121",
                merchant="CityCab",
                city=city,
            )
        d += float(rng.uniform(5, 16))
    return "consultant"


NEGATIVES = {
    "neg_diaspora_remittance": neg_diaspora_remittance,
    "neg_cash_business": neg_cash_business,
    "neg_gig_worker": neg_gig_worker,
    "neg_student": neg_student,
    "neg_frequent_traveller": neg_frequent_traveller,
}
