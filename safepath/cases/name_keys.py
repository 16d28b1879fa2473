"""Keyed name keys: how the forgiving search finds its candidates without reading every name.

Each word of a child's names (given and family names, and every alias) gives keys of four
kinds, each a blind index (HMAC-SHA256 under the index key, :func:`crypto.blind_index`):

- ``form``: the normalised word and its Latin form ("mohammed", and "muhammad" from "محمد");
- ``prefix``: each beginning of two letters or more of those forms ("mo", "moh", ...);
- ``sound``: the linkage engine's Double Metaphone codes and consonant skeletons;
- ``skprefix``: each beginning of three letters or more of a skeleton ("mhm" of "mhmd").

A search computes the same keys for the typed words and reads the children that have them
(an index lookup), then decrypts only those candidates' names to say why each matched
(``search.py``). The keys reveal no name to someone without the index key, and they are made
again under a new index key by ``keys rotate`` (:class:`NameKeys`), removed with the names when
identity is erased, and replaced when a name changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q

from safepath.core import crypto
from safepath.core.bulk import insert_rows
from safepath.core.keyring import Keyring
from safepath.core.rotation import BATCH, Family, Progress

KINDS = ("form", "prefix", "sound", "skprefix")
PREFIX_MIN = 2
SKELETON_PREFIX_MIN = 3
# Beginnings are stored up to this length; a longer typed beginning is sought by its first
# PREFIX_MAX letters (the ranking then checks the whole of it). Fewer keys per child.
PREFIX_MAX = 8


def _purpose(kind: str) -> str:
    return f"child.name.{kind}"


def words(text: str) -> Iterator[tuple[frozenset[str], frozenset[str]]]:
    """Each word's spellings (normalised and Latin) and sounds (``dm:`` and ``sk:`` codes)."""
    from safepath.linkage.engine.names import name_keys, normalise, to_latin

    for word in normalise(text).split():
        keys = name_keys(word)
        sounds = {f"dm:{code}" for code in keys.phonetic} | {
            f"sk:{key}" for key in keys.skeleton if len(key) > 1
        }
        yield frozenset({word, to_latin(word)} - {""}), frozenset(sounds)


def stored_values(names: Iterable[str]) -> set[tuple[str, str]]:
    """The (kind, value) pairs a child with these names is found by."""
    values: set[tuple[str, str]] = set()
    for text in names:
        for forms, sounds in words(text):
            for form in forms:
                values.add(("form", form))
                values.update(
                    ("prefix", form[:end])
                    for end in range(PREFIX_MIN, min(len(form), PREFIX_MAX) + 1)
                )
            for sound in sounds:
                values.add(("sound", sound))
                if sound.startswith("sk:"):
                    skeleton = sound[3:]
                    values.update(
                        ("skprefix", skeleton[:end])
                        for end in range(SKELETON_PREFIX_MIN, min(len(skeleton), PREFIX_MAX) + 1)
                    )
    return values


def sought_values(word_forms: frozenset[str], word_sounds: frozenset[str]) -> set[tuple[str, str]]:
    """The (kind, value) pairs that find a name meeting one typed word at any level: the same
    word or spelling, a name beginning with it, a sound, or a skeleton beginning with its own."""
    values = {("form", form) for form in word_forms}
    values |= {("prefix", form[:PREFIX_MAX]) for form in word_forms if len(form) >= PREFIX_MIN}
    values |= {("sound", sound) for sound in word_sounds}
    values |= {
        ("skprefix", sound[3 : 3 + PREFIX_MAX])
        for sound in word_sounds
        if sound.startswith("sk:") and len(sound) - 3 >= SKELETON_PREFIX_MIN
    }
    return values


def _key(kind: str, value: str, ring: Keyring, key_id: str) -> str:
    return crypto.blind_index(value, purpose=_purpose(kind), ring=ring, key_id=key_id)


def child_names(child: Any) -> list[str]:
    return [child.given_name or "", child.family_name or "", *(child.other_names or [])]


def key_rows(children: Sequence[Any], ring: Keyring, model: Any = None) -> list[Any]:
    """Unsaved ``ChildNameKey`` rows (of ``model``, for a migration's historical model) for the
    children, under the ring's active index key."""
    if model is None:
        from safepath.cases.models import ChildNameKey

        model = ChildNameKey
    key_id = ring.index_active
    return [
        model(child_id=child.pk, key=_key(kind, value, ring, key_id), key_id=key_id)
        for child in children
        for kind, value in sorted(stored_values(child_names(child)))
    ]


def write(children: Sequence[Any], *, replace: bool = True) -> None:
    """Make the children's keys under the active index key (replacing any they had)."""
    from safepath.cases.models import ChildNameKey

    ring = crypto.current_keyring()
    rows = key_rows(children, ring)
    with transaction.atomic():
        if replace:
            ChildNameKey.objects.filter(child_id__in=[child.pk for child in children]).delete()
        insert_rows(ChildNameKey, rows)  # imports and seeding write many: COPY on PostgreSQL


def remove(child_ids: Iterable[Any]) -> int:
    from safepath.cases.models import ChildNameKey

    deleted, _ = ChildNameKey.objects.filter(child_id__in=list(child_ids)).delete()
    return deleted


def cases_meeting(words: Sequence[tuple[frozenset[str], frozenset[str]]]) -> Q:
    """A filter of cases whose child's names have, for every typed word, a key that word seeks
    (under any index key of the ring, so a search works during an index-key rotation). The
    database does the lookup and the intersection; no name is read."""
    from safepath.cases.models import ChildNameKey

    ring = crypto.current_keyring()
    condition = Q()
    for forms, sounds in words:
        keys = sorted(
            _key(kind, value, ring, key_id)
            for kind, value in sought_values(forms, sounds)
            for key_id in ring.index_keys
        )
        condition &= Q(child_id__in=ChildNameKey.objects.filter(key__in=keys).values("child_id"))
    return condition


# --- key rotation ------------------------------------------------------------------------------


class NameKeys:
    """The name keys, for ``keys status|rotate|retire``: remade from the (encrypted) names."""

    kind = "name keys"
    family: Family = "index"
    label = "cases.childnamekey"
    recomputable = True

    def count_under(self, ring: Keyring, key_id: str) -> int:
        from safepath.cases.models import ChildNameKey

        return ChildNameKey.objects.filter(key_id=key_id).count()

    def count_not_under_active(self, ring: Keyring) -> int:
        from safepath.cases.models import ChildNameKey

        return ChildNameKey.objects.exclude(key_id=ring.index_active).count()

    def rotate(self, ring: Keyring, progress: Progress) -> tuple[int, int]:
        """Remake the keys of each child that has any under an older index key, one batch of
        children at a time; a child whose keys changed meanwhile (a name edited) already has
        fresh keys and is skipped."""
        from safepath.cases.models import Child, ChildNameKey

        moved = skipped = 0
        stale = list(
            ChildNameKey.objects.exclude(key_id=ring.index_active)
            .values_list("child_id", flat=True)
            .distinct()
        )
        for start in range(0, len(stale), BATCH):
            batch = stale[start : start + BATCH]
            with transaction.atomic():
                still = set(
                    ChildNameKey.objects.select_for_update()
                    .filter(child_id__in=batch)
                    .exclude(key_id=ring.index_active)
                    .values_list("child_id", flat=True)
                )
                children = list(Child.objects.filter(pk__in=still))
                old = ChildNameKey.objects.filter(child_id__in=still)
                count = old.count()
                old.delete()
                ChildNameKey.objects.bulk_create(key_rows(children, ring), batch_size=BATCH)
            moved += count
            skipped += len(batch) - len(still)
            if progress:
                progress(count)
        return moved, skipped


def sealed_things() -> list[NameKeys]:
    return [NameKeys()]
