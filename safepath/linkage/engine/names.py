"""Name keys that let one child's name meet itself across scripts.

A child registered as ``محمد`` by a police post, ``Мухаммед`` by a transit shelter and
``Mohammed`` by an NGO must land in the same blocking bucket and score as a likely match.
No single transformation achieves that, so every name yields several keys and the linkage
model compares them as arrays (any key in common counts):

* ``normalised``: NFKC, case-folded, Arabic harakat and tatweel removed, diacritics stripped
  from Latin/Cyrillic/Greek letters (Devanagari and Ethiopic vowel signs are letters, kept).
* ``latin``: transliteration to lower-case ASCII with ``anyascii`` (ISC licence; ICU has no
  wheel here). Arabic script drops short vowels, so ``محمد`` becomes ``mhmd``.
* ``phonetic``: Double Metaphone primary and secondary codes of each Latin token.
* ``skeleton``: a consonant skeleton per token and for the whole name joined, after folding
  the spellings that transliteration schemes disagree on (kh/h, q/k, v/w, sh/s, dh/d, ...)
  and dropping vowels, which Arabic script does not write. ``Mohammed``, ``Мухаммед``,
  ``محمد``, ``मोहम्मद`` and ``ሙሐመድ`` all give ``mhmd``.
"""

# ruff: noqa: RUF001, RUF003  (names in Arabic, Cyrillic and other scripts on purpose)
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from metaphone import doublemetaphone

# Arabic short vowels, shadda, sukun, superscript alef, Quranic marks and the tatweel.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Letters with several written forms that name registers use interchangeably.
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ء": "",
        "ک": "ك",
        "ی": "ي",
    }
)
# Scripts whose combining marks are accents (safe to strip); in Devanagari and Ethiopic
# the marks are vowels and belong to the name.
_STRIPPABLE_BASES = ("LATIN", "CYRILLIC", "GREEK")
_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
# Order matters: longer spellings first. Each pair folds what transliteration schemes
# (ICAO 9303, BGN/PCGN, French and English habits, anyascii) write differently.
_SKELETON_FOLDS: tuple[tuple[str, str], ...] = (
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("sh", "s"),
    ("ch", "s"),
    ("ts", "s"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("v", "w"),
)
_VOWELS = re.compile("[aeiouyw]")
# The Arabic article as clerks write it (al-, el-, ash- ...): registers keep or drop it.
_ARTICLES = frozenset({"al", "el", "ul", "as", "ash", "ad", "ar", "an", "at", "az", "ath"})
_REPEATS = re.compile(r"(.)\1+")
# Letters whose Latin reading depends on the dialect or the clerk's habit. Each rule that
# applies to a name adds one more skeleton (never replaces one), so any shared reading counts.
_ALTERNATIVE_READINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile("th"), "s"),  # ث read as s: Othman / Osman / Усман
    (re.compile("dh"), "z"),  # ذ read as z: Dhakir / Zakir / Закир
    (re.compile("^j(?=[aeiou])"), "y"),  # German or Dutch J for Y: Jasmin / Yasmin / ياسمين
    # Ta marbuta pronounced, as in Caucasian and Central Asian forms: Хадижат / Khadija.
    (re.compile("(?<=[^aeiouy])[ae]t$"), ""),
)
# g and j stand for one Arabic letter (ج: Egyptian Gaber, Levantine Jaber, Russian Джабер),
# and Russian writes the Arabic h as г (Гасан = Hasan): blocking treats all three as one.
_BROAD_BLOCKING = str.maketrans({"g": "h", "j": "h"})


@dataclass(frozen=True)
class NameKeys:
    """Every comparable form of one name; ``variants`` is the union used for matching.

    ``skeleton[0]`` is the primary key used for blocking: the skeleton of the whole name
    without an Arabic article (``عبد الله`` and ``Abdullah`` -> ``bdl``; ``الشامي``,
    ``Аш-Шами`` and ``Al-Shami`` -> ``sm``).
    """

    normalised: str
    latin: str
    phonetic: tuple[str, ...]
    skeleton: tuple[str, ...]
    variants: tuple[str, ...]


def _without_article(normalised: str, tokens: list[str]) -> str:
    """The name joined into one token, without a leading Arabic article."""
    if normalised.startswith("ال") and len(normalised) > 4:
        return "".join(to_latin(normalised[2:]).split())
    if len(tokens) > 1 and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    joined = "".join(tokens)
    if joined.startswith(("al", "el")) and len(joined) > 4:
        joined = joined[2:]
    return joined


def broad_key(primary_skeleton: str) -> str:
    """A coarser blocking key: the primary skeleton with g, j and h merged."""
    return _REPEATS.sub(r"\1", primary_skeleton.translate(_BROAD_BLOCKING))


def _reading_skeletons(joined: str) -> list[str]:
    """Skeletons of the alternative readings of one joined Latin name (see above)."""
    readings = [skeleton(joined).replace("g", "j")]
    for pattern, replacement in _ALTERNATIVE_READINGS:
        alternative = pattern.sub(replacement, joined)
        if alternative != joined and alternative:
            readings.append(skeleton(alternative))
    return readings


def normalise(text: str) -> str:
    """NFKC, case-fold, strip harakat and accents, fold Arabic letter variants, squeeze spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and kept and _is_strippable_base(kept[-1]):
            continue
        kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept))
    text = "".join(" " if ch in "-_.,;/'’`" else ch for ch in text)
    return _SPACES.sub(" ", text).strip()


def _is_strippable_base(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(_STRIPPABLE_BASES)


def to_latin(normalised_text: str) -> str:
    """Lower-case ASCII letters and single spaces only."""
    latin = anyascii(normalised_text).lower()
    latin = latin.replace("'", "").replace("`", "")
    return _SPACES.sub(" ", _NON_LETTERS.sub(" ", latin)).strip()


def to_latin_text(text: str) -> str:
    """Places and addresses: like ``to_latin`` but digits are kept (street numbers, camps)."""
    latin = anyascii(normalise(text)).lower()
    return _SPACES.sub(" ", re.sub(r"[^a-z0-9 ]+", " ", latin)).strip()


def skeleton(latin_token: str) -> str:
    """Consonant skeleton of one Latin token: scheme spellings folded, vowels dropped."""
    folded = latin_token
    for spelling, canonical in _SKELETON_FOLDS:
        folded = folded.replace(spelling, canonical)
    consonants = _VOWELS.sub("", folded)
    # A final 'h' after a consonant is the Arabic ta marbuta or an English spelling habit.
    if len(consonants) > 1 and consonants.endswith("h"):
        consonants = consonants[:-1]
    consonants = _REPEATS.sub(r"\1", consonants)
    return consonants or folded[:1]


@lru_cache(maxsize=200_000)
def name_keys(text: str) -> NameKeys:
    """All keys of one name (cached: registers repeat the same names many times)."""
    normalised = normalise(text)
    latin = to_latin(normalised)
    tokens = latin.split()
    phonetic: list[str] = []
    for token in tokens:
        for code in doublemetaphone(token):
            if code and code not in phonetic:
                phonetic.append(code)
    skeletons: list[str] = []
    joined = _without_article(normalised, tokens) if tokens else ""
    primary = skeleton(joined) if joined else ""
    if primary:
        skeletons.append(primary)
    sources = [tokens]
    if "г" in normalised:
        # Russian writes the Arabic and Ukrainian 'h' as 'г' (Ибрагим = Ibrahim).
        sources.append(to_latin(normalised.replace("г", "х")).split())
    for source in sources:
        for token in [*source, "".join(source)] if len(source) > 1 else source:
            key = skeleton(token)
            if key and key not in skeletons:
                skeletons.append(key)
    for key in _reading_skeletons(joined) if joined else []:
        if key and key not in skeletons:
            skeletons.append(key)
    variants: list[str] = []
    for value in (
        normalised,
        *normalised.split(),
        latin,
        *tokens,
        "".join(tokens),
        *(f"dm:{code}" for code in phonetic),
        *(f"sk:{key}" for key in skeletons),
    ):
        if value and value not in variants:
            variants.append(value)
    return NameKeys(
        normalised=normalised,
        latin=latin,
        phonetic=tuple(phonetic),
        skeleton=tuple(skeletons),
        variants=tuple(variants),
    )
