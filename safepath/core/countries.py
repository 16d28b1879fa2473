"""Countries by ISO 3166-1 alpha-2 code, with names in the reader's language (pycountry's own
translations of the ISO standard)."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _translator(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country_name(code: str, language: str | None = None) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return _translator(language or get_language() or "en").gettext(country.name)


@cache
def _choices(language: str) -> list[tuple[str, str]]:
    translate = _translator(language).gettext
    named = sorted(
        ((c.alpha_2, translate(c.name)) for c in pycountry.countries),
        key=lambda pair: pair[1].casefold(),
    )
    return [("", "—"), *named]


def country_choices() -> list[tuple[str, str]]:
    """Choices for a select, sorted by name in the active language."""
    return _choices(get_language() or "en")
