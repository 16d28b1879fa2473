"""Synthetic cross-script test set: the same children registered in Arabic, Cyrillic and Latin.

A child from Syria, Iraq, Sudan, Chechnya or Somalia may be registered in Arabic script at
home, in Cyrillic in a transit country and in Latin letters by an NGO further on. Each
synthetic child here gets three records, one per script, each spelled the way a clerk of
that script would (several Latin and Cyrillic transliteration habits, Arabic with or
without vowel marks), with realistic noise: a father's name in 80 % of records (Arabic
naming chains), estimated birth years instead of dates, a missing mother's name, a
one-letter typo. All names are common given and family names;
no real person is described. Ground truth: records with the same ``child`` id.
"""

# ruff: noqa: RUF001  (names in Arabic, Cyrillic and other scripts on purpose)
from __future__ import annotations

import random
from dataclasses import dataclass

import pandas as pd

# (Arabic, Cyrillic spellings, Latin spellings, sex). Spellings follow the common
# English/French/ICAO Latin habits and the Russian/BGN Cyrillic habits for these names.
GIVEN_NAMES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        "محمد",
        ("Мухаммед", "Мохаммед", "Мухаммад"),
        ("Mohammed", "Muhammad", "Mohamed", "Mohamad"),
        "m",
    ),
    ("أحمد", ("Ахмед", "Ахмад"), ("Ahmed", "Ahmad", "Achmed"), "m"),
    ("علي", ("Али",), ("Ali", "Aly"), "m"),
    ("عمر", ("Омар", "Умар"), ("Omar", "Umar"), "m"),
    ("يوسف", ("Юсуф", "Юсеф"), ("Yusuf", "Youssef", "Yousef"), "m"),
    ("إبراهيم", ("Ибрагим", "Ибрахим"), ("Ibrahim", "Ebrahim"), "m"),
    ("خالد", ("Халид", "Халед"), ("Khalid", "Khaled", "Halid"), "m"),
    ("حسن", ("Хасан", "Гасан"), ("Hassan", "Hasan"), "m"),
    ("حسين", ("Хусейн", "Хусеин"), ("Hussein", "Husein", "Hussain"), "m"),
    ("مصطفى", ("Мустафа",), ("Mustafa", "Moustafa", "Mostafa"), "m"),
    ("عبد الله", ("Абдулла", "Абдаллах"), ("Abdullah", "Abdallah", "Abdulla"), "m"),
    ("سليمان", ("Сулейман", "Сулеиман"), ("Suleiman", "Sulaiman", "Soliman"), "m"),
    ("كريم", ("Карим",), ("Karim", "Kareem"), "m"),
    ("طارق", ("Тарик",), ("Tariq", "Tarek", "Tarik"), "m"),
    ("جمال", ("Джамаль", "Джамал"), ("Jamal", "Gamal", "Djamal"), "m"),
    ("زياد", ("Зияд", "Зияд"), ("Ziad", "Ziyad"), "m"),
    ("فاطمة", ("Фатима", "Фатима"), ("Fatima", "Fatma", "Fatimah"), "f"),
    ("عائشة", ("Аиша", "Айша"), ("Aisha", "Aicha", "Ayesha"), "f"),
    ("مريم", ("Марьям", "Мариам"), ("Maryam", "Mariam", "Meryem"), "f"),
    ("زينب", ("Зейнаб", "Зайнаб"), ("Zainab", "Zeinab", "Zaynab"), "f"),
    ("خديجة", ("Хадиджа", "Хадижат"), ("Khadija", "Khadidja", "Hadija"), "f"),
    ("نور", ("Нур",), ("Nour", "Noor", "Nur"), "f"),
    ("ليلى", ("Лейла", "Лейля"), ("Layla", "Leila", "Laila"), "f"),
    ("سارة", ("Сара",), ("Sara", "Sarah"), "f"),
    ("أمينة", ("Амина",), ("Amina", "Aminah"), "f"),
    ("حليمة", ("Халима",), ("Halima", "Halimah"), "f"),
    ("رقية", ("Рукия", "Рукайя"), ("Ruqayya", "Rukia", "Roukaya"), "f"),
    ("هدى", ("Худа", "Худа"), ("Huda", "Houda", "Hoda"), "f"),
    ("سلمى", ("Сальма", "Салма"), ("Salma", "Selma"), "f"),
    ("ياسمين", ("Ясмин", "Ясмина"), ("Yasmin", "Yasmine", "Jasmin"), "f"),
)
FAMILY_NAMES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("حداد", ("Хаддад",), ("Haddad", "Hadad")),
    ("الأحمد", ("Аль-Ахмед", "Аль-Ахмад"), ("Al-Ahmad", "Alahmad", "El Ahmed")),
    ("خليل", ("Халиль", "Халил"), ("Khalil", "Khaleel", "Halil")),
    ("منصور", ("Мансур",), ("Mansour", "Mansur", "Mansoor")),
    ("سعيد", ("Саид", "Саеед"), ("Said", "Saeed", "Saied")),
    ("يوسف", ("Юсуф",), ("Youssef", "Yusuf", "Yousef")),
    ("حسين", ("Хусейн",), ("Hussein", "Husain", "Hussain")),
    ("عثمان", ("Усман", "Осман"), ("Othman", "Osman", "Uthman")),
    ("ناصر", ("Насер", "Насир"), ("Nasser", "Naser", "Nasir")),
    ("الشامي", ("Аш-Шами", "Шами"), ("Al-Shami", "Alshami", "Chami")),
    ("العلي", ("Аль-Али",), ("Al-Ali", "Alali", "El Ali")),
    ("إبراهيم", ("Ибрагим",), ("Ibrahim", "Ebrahim")),
    ("حمدان", ("Хамдан",), ("Hamdan", "Hamadan")),
    ("قاسم", ("Касим", "Кассем"), ("Qasim", "Kassem", "Kasim")),
    ("رحمن", ("Рахман",), ("Rahman", "Rehman")),
    ("عباس", ("Аббас",), ("Abbas", "Abas")),
    ("جابر", ("Джабер", "Джабир"), ("Jaber", "Jabir", "Gaber")),
    ("صالح", ("Салех", "Салих"), ("Saleh", "Salih", "Salah")),
    ("الحسن", ("Аль-Хасан",), ("Al-Hassan", "Alhassan", "El Hassan")),
    ("محمود", ("Махмуд",), ("Mahmoud", "Mahmud", "Mahmood")),
    ("عيسى", ("Иса", "Исса"), ("Issa", "Isa", "Eissa")),
    ("بكر", ("Бакр", "Бакир"), ("Bakr", "Bakir", "Baker")),
    ("فارس", ("Фарес", "Фарис"), ("Fares", "Faris")),
    ("موسى", ("Муса",), ("Moussa", "Musa", "Mousa")),
    ("درويش", ("Дервиш", "Дарвиш"), ("Darwish", "Darwich", "Derwish")),
)
# Patronymic family names: many Arab family names are a forefather's given name.
FAMILY_NAMES = FAMILY_NAMES + tuple(
    (arabic, cyrillic, latin)
    for arabic, cyrillic, latin, sex in GIVEN_NAMES
    if sex == "m" and arabic not in {entry[0] for entry in FAMILY_NAMES}
)
LOCATIONS = ("Gaziantep", "Zaatari", "Lesbos", "Tbilisi", "Belgrade", "Calais", "Agadez")
SCRIPTS = ("arabic", "cyrillic", "latin")
_HARAKAT = {"محمد": "مُحَمَّد", "علي": "عَلِيّ", "عمر": "عُمَر", "حسن": "حَسَن", "مريم": "مَرْيَم"}


@dataclass(frozen=True)
class Child:
    child: int
    given: int
    family: int
    mother: int
    father: int
    year: int
    month: int
    day: int
    location: str


def _typo(rng: random.Random, text: str) -> str:
    """Replace, drop or double one inner letter (what a hurried clerk does)."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def _spell(rng: random.Random, script: str, entry: tuple[object, ...]) -> str:
    arabic, cyrillic, latin = str(entry[0]), entry[1], entry[2]
    if script == "arabic":
        return _HARAKAT.get(arabic, arabic) if rng.random() < 0.3 else arabic
    options = cyrillic if script == "cyrillic" else latin
    return str(rng.choice(options))  # type: ignore[arg-type]


def generate(children: int = 300, *, seed: int = 7) -> pd.DataFrame:
    """Canonical records (three per child, one per script) plus the ``child`` truth column."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    females = [i for i, g in enumerate(GIVEN_NAMES) if g[3] == "f"]
    males = [i for i, g in enumerate(GIVEN_NAMES) if g[3] == "m"]
    rows = []
    for number in range(children):
        child = Child(
            child=number,
            given=rng.randrange(len(GIVEN_NAMES)),
            family=rng.randrange(len(FAMILY_NAMES)),
            mother=rng.choice(females),
            father=rng.choice(males),
            year=rng.randint(2008, 2022),
            month=rng.randint(1, 12),
            day=rng.randint(1, 28),
            location=rng.choice(LOCATIONS),
        )
        for script in SCRIPTS:
            rows.append(_record(rng, child, script))
    frame = pd.DataFrame(rows)
    frame["birth_year_estimate"] = frame["birth_year_estimate"].astype("Int64")
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def _record(rng: random.Random, child: Child, script: str) -> dict[str, object]:
    given = _spell(rng, script, GIVEN_NAMES[child.given])
    family = _spell(rng, script, FAMILY_NAMES[child.family])
    mother = _spell(rng, script, GIVEN_NAMES[child.mother])
    father = _spell(rng, script, GIVEN_NAMES[child.father])
    if script != "arabic" and rng.random() < 0.15:
        given = _typo(rng, given)
    if rng.random() < 0.1:
        family = _typo(rng, family)
    record: dict[str, object] = {
        "record_id": f"{script[:2]}-{child.child:05d}",
        "child": child.child,
        "given_name": given,
        "family_name": family,
        "other_names": None,
        "sex": GIVEN_NAMES[child.given][3],
        "date_of_birth": None,
        "birth_year_estimate": None,
        "place_of_birth": None,
        "nationality": None,
        "mother_given_name": mother if rng.random() < 0.8 else None,
        # Arabic naming chains carry the father's given name; most registers record it.
        "father_given_name": father if rng.random() < 0.8 else None,
        "location": child.location,
        "source": f"agency-{script}",
    }
    roll = rng.random()
    if roll < 0.55:
        record["date_of_birth"] = f"{child.year:04d}-{child.month:02d}-{child.day:02d}"
    elif roll < 0.9:
        # Age assessed by eye: the estimate is often a year off.
        record["birth_year_estimate"] = child.year + rng.choice((-1, 0, 0, 0, 1))
    else:
        record["birth_year_estimate"] = child.year
    if rng.random() < 0.3:
        record["location"] = rng.choice(LOCATIONS)
    return record


def true_pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    """Unordered pairs of record ids that belong to the same synthetic child."""
    pairs: set[tuple[str, str]] = set()
    for _, group in frame.groupby("child"):
        ids = sorted(group["record_id"])
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return pairs
