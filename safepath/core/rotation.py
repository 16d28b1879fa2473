"""Re-encrypt every encrypted value under the active key, while the service keeps running.

Each batch reads ciphertexts not under the active key, decrypts them with the ring (which still
holds the old keys), and writes the new ciphertext only if the stored value is still the one it
read (``WHERE col = old``): a value someone saved meanwhile is left alone and picked up by the
next pass. Nothing is lost and nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from safepath.core import crypto
from safepath.core.fields import EncryptedField
from safepath.core.keyring import Keyring

BATCH = 1000
MAX_PASSES = 5


@dataclass(frozen=True)
class EncryptedColumn:
    model: type[models.Model]
    field: EncryptedField

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

    def count_under(self, key_id: str) -> int:
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
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedField):
                yield EncryptedColumn(model, field)


@dataclass
class RotationReport:
    key_id: str
    reencrypted: int = 0
    skipped_concurrent: int = 0
    remaining: int = 0


def reencrypt_all(ring: Keyring, progress: Callable[[int], object] | None = None) -> RotationReport:
    """Bring every value under ``ring.active``; repeat passes for values changed meanwhile."""
    report = RotationReport(ring.active)
    for _ in range(MAX_PASSES):
        for column in encrypted_columns():
            after: object = None
            while True:
                done, skipped, after = column.rotate_batch(ring, after)
                report.reencrypted += done
                report.skipped_concurrent += skipped
                if progress:
                    progress(done + skipped)
                if after is None:
                    break
        report.remaining = sum(
            column.count_not_under(ring.active) for column in encrypted_columns()
        )
        if report.remaining == 0:
            break
    return report


def values_under(key_id: str) -> int:
    return sum(column.count_under(key_id) for column in encrypted_columns())
