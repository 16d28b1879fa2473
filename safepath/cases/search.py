"""Name search that forgives (issue 19): part of a name, another spelling or script, an alias.

Names are encrypted at rest and their blind indexes match only the exact name. A forgiving
search first finds its candidates through the children's keyed name keys (``name_keys.py``: the
normalised and Latin forms, their beginnings, the linkage engine's Double Metaphone codes and
consonant skeletons, each an HMAC under the index key, so ``محمد``, ``Мухаммед`` and
``Mohammed`` meet without any name being read), keeps the cases the reader may see and whose
consent covers identity, and decrypts only those candidates' names, in memory, to rank them and
say why each matched. The typed name travels in a POST body and is never logged; each hit says
why it matched, without repeating any other name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import User
from safepath.cases.models import Case
from safepath.cases.name_keys import cases_meeting, words
from safepath.cases.scopes import visible_categories_many
from safepath.cases.selectors import CaseFilters, case_list
from safepath.cases.vocabulary import DataCategory

# The most recent candidate cases one search ranks: only a name shared by thousands of children
# reaches it (the page then says so, and the reader narrows by reference or stage).
SEARCH_POOL_LIMIT = 5000

# Why a case matched, strongest first.
EXACT, PART, ALIKE = 0, 1, 2
REASONS: dict[tuple[int, bool], Any] = {
    (EXACT, False): _("Same name"),
    (PART, False): _("Part of the name"),
    (ALIKE, False): _("Sounds alike: another spelling or script"),
    (EXACT, True): _("Same as one of the other names"),
    (PART, True): _("Part of one of the other names"),
    (ALIKE, True): _("Sounds like one of the other names (another spelling or script)"),
}


@dataclass(frozen=True)
class _Token:
    forms: frozenset[str]  # normalised and Latin spellings
    sounds: frozenset[str]  # metaphone codes and consonant skeletons


def _tokens(text: str) -> list[_Token]:
    """Each word's spellings and sounds, computed as the name keys are (``name_keys.words``)."""
    return [_Token(forms, sounds) for forms, sounds in words(text)]


def _sound_prefix(typed: _Token, name: _Token) -> bool:
    """Part of a name in another script: the typed word's consonant skeleton (three letters or
    more) begins one of the name's ("Moham" -> mhm, "محمد" -> mhmd)."""
    return any(
        n.startswith(t)
        for t in typed.sounds
        if t.startswith("sk:") and len(t) >= 6
        for n in name.sounds
        if n.startswith("sk:")
    )


def _token_level(typed: _Token, names: Iterable[_Token]) -> int | None:
    """How well one typed word meets the best word of a name, or None."""
    best: int | None = None
    for name in names:
        if typed.forms & name.forms:
            return EXACT
        if any(len(t) >= 2 and n.startswith(t) for t in typed.forms for n in name.forms):
            best = PART
        elif best is None and (typed.sounds & name.sounds or _sound_prefix(typed, name)):
            best = ALIKE
    return best


def _name_level(typed: list[_Token], name: list[_Token]) -> int | None:
    """Every typed word must meet a word of the name; the weakest meeting decides."""
    levels = [_token_level(word, name) for word in typed]
    if not levels or any(level is None for level in levels):
        return None
    return max(level for level in levels if level is not None)


@dataclass(frozen=True)
class SearchHit:
    case: Case
    reason: str


def case_name_search(
    *, user: User, name: str, filters: CaseFilters | None = None
) -> tuple[list[SearchHit], bool]:
    """Visible cases whose child's names (given and family, or an alias) meet ``name``; best
    first. Returns the hits and whether the pool limit was reached."""
    typed = _tokens(name)
    if not typed:
        return [], False
    meeting = cases_meeting([(token.forms, token.sounds) for token in typed])
    pool = list(case_list(user=user, filters=filters).filter(meeting)[: SEARCH_POOL_LIMIT + 1])
    truncated = len(pool) > SEARCH_POOL_LIMIT
    pool = pool[:SEARCH_POOL_LIMIT]
    categories = visible_categories_many(user, pool)
    scored: list[tuple[int, int, SearchHit]] = []
    for order, case in enumerate(pool):
        if DataCategory.IDENTITY not in categories[case.id]:
            continue  # a name the reader may not see is not searched either
        child = case.child
        candidates = [(False, f"{child.given_name} {child.family_name}")]
        candidates += [(True, alias) for alias in child.other_names]
        best: tuple[int, bool] | None = None
        for is_alias, text in candidates:
            level = _name_level(typed, _tokens(text))
            if level is not None and (best is None or (level, is_alias) < best):
                best = (level, is_alias)
        if best is not None:
            scored.append((best[0], order, SearchHit(case, str(REASONS[best]))))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [hit for _, _, hit in scored], truncated
