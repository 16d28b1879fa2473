"""Bring everything sealed under a key onto the active key, while the service keeps running.

"Sealed" is every kind of thing a key protects: encrypted field values (found here, from the
models' fields), and what apps register with :func:`register` at start-up: document files,
screening signatures, blind indexes. ``keys status`` counts each kind under each key and
``keys retire`` refuses while any count for the key is not zero.

For field values, each batch reads ciphertexts not under the active key, decrypts them with the
ring (which still holds the old keys), and writes the new ciphertext only if the stored value is
still the one it read (``WHERE col = old``): a value someone saved meanwhile is left alone and
picked up by the next pass. Nothing is lost and nothing is overwritten. Registered kinds follow
the same rule in their own way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from django.apps import apps
from django.db import connection, models, transaction

from safepath.core import crypto
from safepath.core.fields import EncryptedField
from safepath.core.keyring import LEGACY_INDEX_ID, Keyring
from safepath.core.migration_ops import REKEY_SETTING

BATCH = 1000
MAX_PASSES = 5

Family = Literal["key", "index", "audit"]
Progress = Callable[[int], object] | None


class Sealed(Protocol):
    """One group of things sealed under a key family: a column, a folder of files, ..."""

    @property
    def kind(self) -> str:
        """What `keys status` counts it as: values, documents, signatures, indexes."""

    @property
    def family(self) -> Family:
        """ "key" (encryption keys), "index" (blind-index keys) or "audit" (audit chain keys:
        never re-sealed, counted so that `keys retire` keeps a key events still need)."""

    @property
    def recomputable(self) -> bool:
        """False for indexes of secrets SafePath never stores (tracking codes): rotation cannot
        recompute them; they move to the active key when next used (crypto.tagged_index)."""

    def count_under(self, ring: Keyring, key_id: str) -> int:
        """How many are sealed under ``key_id`` (a key of this kind's family in ``ring``)."""

    def count_not_under_active(self, ring: Keyring) -> int:
        """How many the next pass would move (or cannot: see ``waiting``)."""

    def rotate(self, ring: Keyring, progress: Progress) -> tuple[int, int]:
        """Move what it can onto the active key: (moved, skipped because changed meanwhile)."""


_providers: list[Callable[[], Iterable[Sealed]]] = []


def register(provider: Callable[[], Iterable[Sealed]]) -> None:
    """An app's ``ready()`` registers what it seals beyond encrypted fields."""
    if provider not in _providers:
        _providers.append(provider)


def sealed_things() -> Iterator[Sealed]:
    yield from encrypted_columns()
    for provider in _providers:
        yield from provider()


def active_of(ring: Keyring, family: Family) -> str | None:
    return ring.active_of(family)


def allow_rekey() -> None:
    """Inside a transaction: let PostgreSQL's immutable-row triggers accept an update that
    changes only sealed columns (re-encrypted values, a re-made signature), until it ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [REKEY_SETTING])


@dataclass(frozen=True)
class EncryptedColumn:
    model: type[models.Model]
    field: EncryptedField
    kind = "values"
    family: Family = "key"
    recomputable = True

    def count_under(self, ring: Keyring, key_id: str) -> int:
        return self.count_under_id(key_id)

    def count_not_under_active(self, ring: Keyring) -> int:
        return self.count_not_under(ring.active)

    def rotate(self, ring: Keyring, progress: Progress) -> tuple[int, int]:
        moved = skipped = 0
        after: object = None
        while True:
            done, missed, after = self.rotate_batch(ring, after)
            moved, skipped = moved + done, skipped + missed
            if progress:
                progress(done + missed)
            if after is None:
                return moved, skipped

    @property
    def label(self) -> str:
        return self.field.context

    def _names(self) -> tuple[str, str, str]:
        quote = connection.ops.quote_name
        pk = self.model._meta.pk
        assert pk is not None  # noqa: S101 - every concrete model has one
        return (
            quote(self.model._meta.db_table),
            quote(str(pk.column)),
            quote(str(self.field.column)),
        )

    def count_not_under(self, key_id: str) -> int:
        table, _, column = self._names()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL AND {column} <> '' "  # noqa: S608 - names are quoted model metadata
                f"AND {column} NOT LIKE %s",
                [f"{crypto.VERSION}:{key_id}:%"],
            )
            return int(cursor.fetchone()[0])

    def count_under_id(self, key_id: str) -> int:
        table, _, column = self._names()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {column} LIKE %s",  # noqa: S608 - quoted names
                [f"{crypto.VERSION}:{key_id}:%"],
            )
            return int(cursor.fetchone()[0])

    def rotate_batch(self, ring: Keyring, after: object) -> tuple[int, int, object]:
        """Re-encrypt up to BATCH values after primary key ``after``; (done, skipped, last pk)."""
        table, pk, column = self._names()
        pattern = f"{crypto.VERSION}:{ring.active}:%"
        with transaction.atomic(), connection.cursor() as cursor:
            allow_rekey()
            where_after = f"AND {pk} > %s " if after is not None else ""
            params: list[Any] = [pattern] + ([after] if after is not None else [])
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL "  # noqa: S608
                f"AND {column} <> '' AND {column} NOT LIKE %s {where_after}"
                f"ORDER BY {pk} LIMIT {BATCH}",
                params,
            )
            rows = cursor.fetchall()
            done = skipped = 0
            for row_pk, old in rows:
                clear = crypto.decrypt(old, context=self.label, ring=ring)
                new = crypto.encrypt(clear, context=self.label, ring=ring)
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",  # noqa: S608
                    [new, row_pk, old],
                )
                if cursor.rowcount == 1:
                    done += 1
                else:
                    skipped += 1
        return done, skipped, rows[-1][0] if rows else None


def encrypted_columns() -> Iterator[EncryptedColumn]:
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, EncryptedField):
                yield EncryptedColumn(model, model_field)


@dataclass
class RotationReport:
    key_id: str
    reencrypted: int = 0
    skipped_concurrent: int = 0
    remaining: int = 0
    waiting: int = 0  # not recomputable: moved when next used
    by_kind: dict[str, int] = dataclasses.field(default_factory=dict)


def _chosen(kinds: Iterable[str] | None, families: Iterable[Family]) -> list[Sealed]:
    wanted = set(kinds) if kinds is not None else None
    return [
        thing
        for thing in sealed_things()
        if thing.family in families and (wanted is None or thing.kind in wanted)
    ]


def pending(ring: Keyring, families: Iterable[Family] = ("key", "index")) -> int:
    return sum(
        thing.count_not_under_active(ring)
        for thing in _chosen(None, families)
        if thing.recomputable
    )


def reencrypt_all(
    ring: Keyring,
    progress: Progress = None,
    *,
    kinds: Iterable[str] | None = None,
    families: Iterable[Family] = ("key",),
) -> RotationReport:
    """Bring everything sealed under the ring's older keys onto its active keys; repeat passes
    for what was changed meanwhile. ``kinds`` limits it to some kinds (values, documents, ...);
    ``families`` says which key families rotate (``"index"`` after a new index key)."""
    families = tuple(families)
    chosen = _chosen(kinds, families)
    things = [thing for thing in chosen if thing.recomputable]
    report = RotationReport(ring.active if "key" in families else ring.index_active)
    for _ in range(MAX_PASSES):
        for thing in things:
            done, skipped = thing.rotate(ring, progress)
            report.reencrypted += done
            report.skipped_concurrent += skipped
            report.by_kind[thing.kind] = report.by_kind.get(thing.kind, 0) + done
        report.remaining = sum(thing.count_not_under_active(ring) for thing in things)
        if report.remaining == 0:
            break
    report.waiting = sum(
        thing.count_not_under_active(ring) for thing in chosen if not thing.recomputable
    )
    return report


def counts(ring: Keyring) -> dict[str, dict[str, int]]:
    """Each kind of sealed thing, counted under each key of its family: {kind: {key id: n}}."""
    table: dict[str, dict[str, int]] = {}
    for thing in sealed_things():
        ids = ring.ids_of(thing.family)
        row = table.setdefault(thing.kind, dict.fromkeys(ids, 0))
        for key_id in ids:
            row[key_id] += thing.count_under(ring, key_id)
    return table


def sealed_under(ring: Keyring, key_id: str) -> dict[str, int]:
    """What still needs ``key_id``, by kind (kinds with none left out)."""
    family = ring.family_of(key_id)
    found: dict[str, int] = {}
    for thing in sealed_things():
        if thing.family == family:
            count = thing.count_under(ring, key_id)
            if count:
                found[thing.kind] = found.get(thing.kind, 0) + count
    return found


def values_under(key_id: str) -> int:
    return sum(column.count_under_id(key_id) for column in encrypted_columns())


# --- blind indexes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BlindIndexColumn:
    """A column of blind indexes computed from a value SafePath keeps (encrypted) in the row:
    after a new index key, each index is recomputed from that value. ``source`` gives the text
    the index was made from ("" when the row has none, and then the index is "")."""

    model: type[models.Model]
    index_field: str
    purpose: str
    source: Callable[[Any], str]
    kind = "indexes"
    family: Family = "index"
    recomputable = True

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.index_field}"

    def _rows(self) -> Iterator[tuple[Any, str, str]]:
        for row in self.model._base_manager.order_by("pk").iterator(chunk_size=BATCH):
            text = self.source(row)
            if text:
                yield row.pk, getattr(row, self.index_field), text

    def count_under(self, ring: Keyring, key_id: str) -> int:
        return sum(
            1
            for _, stored, text in self._rows()
            if stored == crypto.blind_index(text, purpose=self.purpose, ring=ring, key_id=key_id)
        )

    def count_not_under_active(self, ring: Keyring) -> int:
        return sum(
            1
            for _, stored, text in self._rows()
            if stored != crypto.blind_index(text, purpose=self.purpose, ring=ring)
        )

    def rotate(self, ring: Keyring, progress: Progress) -> tuple[int, int]:
        """Recompute each index not made with the active key; the row is updated only if its
        index is still the one read, so a row saved meanwhile is left to the next pass."""
        moved = skipped = 0
        manager = self.model._base_manager
        for row_pk, stored, text in list(self._rows()):
            fresh = crypto.blind_index(text, purpose=self.purpose, ring=ring)
            if stored == fresh:
                continue
            updated = manager.filter(pk=row_pk, **{self.index_field: stored}).update(
                **{self.index_field: fresh}
            )
            moved, skipped = moved + updated, skipped + (1 - updated)
            if progress:
                progress(1)
        return moved, skipped


@dataclass(frozen=True)
class TaggedIndexColumn:
    """A column of :func:`crypto.tagged_index` values: indexes of secrets a person holds and
    SafePath never stores (tracking codes), so nothing can recompute them. Each names its key;
    the service that looks one up moves it to the active key (``crypto.tagged_indexes``)."""

    model: type[models.Model]
    index_field: str
    kind = "indexes"
    family: Family = "index"
    recomputable = False

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.index_field}"

    def _filled(self) -> models.QuerySet[Any]:
        return self.model._base_manager.exclude(**{self.index_field: ""})

    def _under(self, key_id: str) -> models.Q:
        if key_id == LEGACY_INDEX_ID:  # made before index keys had ids: no id in front
            return ~models.Q(**{f"{self.index_field}__contains": ":"}) | models.Q(
                **{f"{self.index_field}__startswith": f"{key_id}:"}
            )
        return models.Q(**{f"{self.index_field}__startswith": f"{key_id}:"})

    def count_under(self, ring: Keyring, key_id: str) -> int:
        return self._filled().filter(self._under(key_id)).count()

    def count_not_under_active(self, ring: Keyring) -> int:
        return self._filled().exclude(self._under(ring.index_active)).count()

    def rotate(self, ring: Keyring, progress: Progress) -> tuple[int, int]:
        return 0, 0
