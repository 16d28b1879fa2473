"""Model fields whose values are stored encrypted (see crypto.py).

They decrypt on read and encrypt on write, so services and views handle plain values.
They cannot be filtered on (a random nonce makes every ciphertext different): search an
exact value through a blind-index column instead.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup

from safepath.core import crypto


class EncryptedField(models.TextField):  # type: ignore[type-arg]
    """Base class: subclasses say how a Python value becomes text and back."""

    description = "Encrypted value"
    # django-stubs: what the field accepts and returns (subclasses narrow it in practice).
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return None if value is None else ""
        return crypto.encrypt(self.to_text(value), context=self.context)

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None or value == "":
            return value
        return self.from_text(crypto.decrypt(value, context=self.context))

    def to_python(self, value: Any) -> Any:
        return value

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.context} is encrypted and cannot be searched with '{lookup_name}'; "
                "use its blind index"
            )
        return super().get_lookup(lookup_name)


class EncryptedTextField(EncryptedField):
    description = "Encrypted text"


class EncryptedDateField(EncryptedField):
    description = "Encrypted date"

    def to_text(self, value: Any) -> str:
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        if not isinstance(value, datetime.date):
            raise TypeError(f"{self.context} needs a date, not {type(value).__name__}")
        return value.isoformat()

    def from_text(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)


class EncryptedJSONField(EncryptedField):
    """A list or mapping (for example aliases in several scripts), encrypted as one value."""

    description = "Encrypted JSON"

    def to_text(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def from_text(self, text: str) -> Any:
        return json.loads(text)

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return crypto.encrypt(self.to_text(value), context=self.context)
