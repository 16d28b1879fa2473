"""Cross-script name keys: spellings of one name meet; different names stay apart."""

from __future__ import annotations

import pytest

from safepath.linkage.engine.names import broad_key, name_keys, normalise

# One row per name: the same name written by clerks of five scripts / several habits.
SAME_NAME = [
    ("Mohammed", ["محمد", "مُحَمَّد", "Мухаммед", "Muhammad", "Mohamed", "मोहम्मद", "ሙሐመድ"]),
    ("Ahmed", ["أحمد", "Ахмед", "Ahmad", "Akhmed"]),
    ("Khalid", ["خالد", "Халид", "Khaled"]),
    ("Fatima", ["فاطمة", "Фатима", "Fatimah", "ፋጡማ"]),
    ("Yusuf", ["يوسف", "Юсуф", "Youssef", "Yousef"]),
    ("Ibrahim", ["إبراهيم", "Ибрагим", "Ebrahim"]),
    ("Aisha", ["عائشة", "Аиша", "Aicha"]),
    ("Abdullah", ["عبد الله", "Абдулла", "Abdallah"]),
    ("Al-Shami", ["الشامي", "Аш-Шами", "Alshami", "Shami"]),
    # Alternative readings of ambiguous letters (Egyptian g for ج, ث read as s, German J
    # for Y, the ta marbuta pronounced in Caucasian forms).
    ("Jaber", ["جابر", "Джабер", "Gaber"]),
    ("Gamal", ["جمال", "Джамаль", "Jamal", "Djamal"]),
    ("Othman", ["عثمان", "Усман", "Osman", "Uthman"]),
    ("Zakir", ["ذاكر", "Dhakir", "Закир"]),
    ("Yasmin", ["ياسمين", "Ясмин", "Jasmin"]),
    ("Khadija", ["خديجة", "Хадижат", "Хадиджа", "Khadidja"]),
]

DIFFERENT_NAMES = [
    ("Fatima", "Mohammed"),
    ("محمد", "فاطمة"),
    ("Юсуф", "Ибрагим"),
    ("Omar", "Karim"),
    ("Jasmin", "Amina"),
    ("Khadija", "Hadi"),
]


def _shared(a: str, b: str) -> set[str]:
    keys_a = {v for v in name_keys(a).variants if v.startswith(("sk:", "dm:"))}
    keys_b = {v for v in name_keys(b).variants if v.startswith(("sk:", "dm:"))}
    return keys_a & keys_b


@pytest.mark.parametrize(("reference", "spellings"), SAME_NAME)
def test_spellings_of_one_name_share_a_key(reference: str, spellings: list[str]) -> None:
    for spelling in spellings:
        assert _shared(reference, spelling), f"{reference!r} and {spelling!r} share no key"


@pytest.mark.parametrize(("a", "b"), DIFFERENT_NAMES)
def test_different_names_share_no_key(a: str, b: str) -> None:
    assert not _shared(a, b)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مُحَمَّد", "محمد"),  # harakat removed
        ("أحمد", "احمد"),  # hamza forms folded
        ("  José-María  ", "jose maria"),  # accents, hyphen, spaces
        ("Ёлка", "елка"),  # Cyrillic diacritic
        ("ÅSA", "asa"),
        ("ﻣﺤﻤﺪ", "محمد"),  # Arabic presentation forms (NFKC)
        ("मोहम्मद", "मोहम्मद"),  # Devanagari vowel signs are letters: kept
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_keys_of_arabic_name() -> None:
    keys = name_keys("مُحَمَّد")
    assert keys.normalised == "محمد"
    assert keys.latin == "mhmd"
    assert keys.skeleton == ("mhmd",)
    assert "sk:mhmd" in keys.variants
    assert "mhmd" in keys.variants


@pytest.mark.parametrize(
    ("spelling", "primary"),
    [
        ("عبد الله", "bdl"),
        ("Abdullah", "bdl"),
        ("الشامي", "sm"),
        ("Аш-Шами", "sm"),
        ("Al-Ali", "l"),
    ],
)
def test_primary_skeleton_joins_tokens_and_drops_the_article(spelling: str, primary: str) -> None:
    assert name_keys(spelling).skeleton[0] == primary


def test_empty_name() -> None:
    keys = name_keys("")
    assert keys.latin == ""
    assert keys.variants == ()


@pytest.mark.parametrize(
    ("a", "b"),
    [("Гасан", "حسن"), ("Gaber", "جابر"), ("Джабер", "Jaber"), ("Ибрагим", "Ibrahim")],
)
def test_broad_blocking_key_merges_g_j_and_h(a: str, b: str) -> None:
    assert broad_key(name_keys(a).skeleton[0]) == broad_key(name_keys(b).skeleton[0])


def test_broad_blocking_key_keeps_other_consonants_apart() -> None:
    assert broad_key(name_keys("Kamal").skeleton[0]) != broad_key(name_keys("Gamal").skeleton[0])
    assert broad_key(name_keys("Hasan").skeleton[0]) != broad_key(name_keys("Husam").skeleton[0])
