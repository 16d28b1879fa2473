"""Languages by ISO 639 code, shown by name in the reader's language, and typed by name or code.

The names are pycountry's translations of ISO 639-3. A few names that the standard's catalogues
do not translate yet, for languages children in SafePath's countries speak, are filled in below.
Stored values stay codes (ISO 639-1 where the language has one, else ISO 639-3).
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache

import pycountry
from django.utils.translation import get_language

# Names missing from pycountry's catalogues (ISO 639-3 English name -> the reader's language).
_MISSING: dict[str, dict[str, str]] = {
    "ar": {
        "Swahili (macrolanguage)": "السواحيلية",
        "Nepali (macrolanguage)": "النيبالية",
        "Tigrinya": "التغرينية",
        "Dari": "الدارية",
        "Pashto": "البشتو",
        "Somali": "الصومالية",
        "Amharic": "الأمهرية",
        "Bengali": "البنغالية",
    },
    "es": {
        "Arabic": "Árabe",  # the catalogue's own spelling carries a stray accent
        "Swahili (macrolanguage)": "Suajili",
        "Nepali (macrolanguage)": "Nepalí",
        "Tigrinya": "Tigriña",
    },
}
# "(macrolanguage)" and its translations: a reader wants "Swahili", not the standard's scope.
_SCOPE_NOTE = re.compile(r"\s*\((macrolanguage|macrolangue|macrolengua|لغة كبرى)\)\s*$")
READER_LANGUAGES = ("en", "fr", "es", "ar")


@cache
def _translator(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _lookup(code: str) -> object | None:
    code = code.strip().lower()
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    if len(code) == 3:
        return pycountry.languages.get(alpha_3=code)
    return None


def _name_of(standard_name: str, language: str) -> str:
    short = language.split("-")[0]
    name = _MISSING.get(short, {}).get(standard_name) or _translator(short).gettext(standard_name)
    return _SCOPE_NOTE.sub("", name)


def language_name(code: str, language: str | None = None) -> str:
    """The language's name in ``language`` (the active one by default); an unknown code as is."""
    found = _lookup(code)
    if found is None:
        return code
    return _name_of(found.name, language or get_language() or "en")  # type: ignore[attr-defined]


def _key(text: str) -> str:
    """Case, accents and spacing do not matter when a name is typed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().strip())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@cache
def _by_name() -> dict[str, str]:
    """Every name a language is known by in the interface languages -> its stored code.

    Languages with a two-letter code come last, so their names win over rarer namesakes."""
    index: dict[str, str] = {}
    ordered = sorted(pycountry.languages, key=lambda lang: hasattr(lang, "alpha_2"))
    for lang in ordered:
        code = getattr(lang, "alpha_2", None) or lang.alpha_3
        names = {lang.name, _SCOPE_NOTE.sub("", lang.name)}
        if hasattr(lang, "alpha_2"):
            names |= {_name_of(lang.name, reader) for reader in READER_LANGUAGES}
            names.add(_translator("fr").gettext(lang.name))
        for name in names:
            index[_key(name)] = code
    return index


def language_code(text: str) -> str | None:
    """The stored code for what a person typed: an ISO 639 code, or a name in English, French,
    Spanish or Arabic ("Arabic", "arabe", "العربية" all give "ar"); None when unknown."""
    typed = text.strip()
    found = _lookup(typed)
    if found is not None:
        return str(getattr(found, "alpha_2", None) or found.alpha_3)  # type: ignore[attr-defined]
    return _by_name().get(_key(typed))
