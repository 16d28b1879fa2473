"""This instance's exchange keys, read from their file (and reread when it changes, so a
rotation needs no restart, as ``core/crypto.py`` does for the keyring)."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from safepath.core.exceptions import ApplicationError
from safepath.exchange import instance_keys
from safepath.exchange.instance_keys import InstanceKeys


class ExchangeNotConfiguredError(ApplicationError):
    code = "exchange_not_configured"
    http_status = 503


_lock = threading.Lock()
_cached: tuple[Path, int, InstanceKeys] | None = None


def keys_file() -> Path:
    path: Path | None = settings.EXCHANGE_KEYS_FILE
    if path is None:
        raise ExchangeNotConfiguredError(
            _(
                "This instance has no exchange keys: set SAFEPATH_EXCHANGE_KEYS_FILE to a file "
                "made with `safepath exchange keys init`."
            )
        )
    return path


def current_keys() -> InstanceKeys:
    global _cached
    path = keys_file()
    with _lock:
        if not path.exists() and settings.EXCHANGE_KEYS_MADE_ON_FIRST_USE:
            instance_keys.write_file(path, instance_keys.generate())
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            stamp = -1
        if _cached is None or _cached[0] != path or _cached[1] != stamp:
            try:
                _cached = (path, stamp, instance_keys.load_file(path))
            except instance_keys.InstanceKeysError as error:
                raise ExchangeNotConfiguredError(str(error)) from None
        return _cached[2]


def this_instance() -> str:
    return current_keys().instance
