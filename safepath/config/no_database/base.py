"""The engine verbs run without a database (``settings_engine.py``); a query there is a bug.

Django's own dummy backend would answer "settings.DATABASES is improperly configured", which
sends a user looking for a setting; this one names the real cause.
"""

from typing import Any, NoReturn

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.dummy import base as dummy


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise ImproperlyConfigured(
        "This command was declared to run without a database (engine_verbs, see "
        "safepath/core/engine_verbs.py) but tried to use one. Remove the verb from "
        "engine_verbs, or keep the database out of it."
    )


class DatabaseOperations(dummy.DatabaseOperations):
    quote_name = _refuse


class DatabaseClient(dummy.DatabaseClient):
    runshell = _refuse


class DatabaseWrapper(dummy.DatabaseWrapper):
    ops_class = DatabaseOperations
    client_class = DatabaseClient

    # What would reach a database refuses; what only undoes or closes stays harmless.
    _cursor = _refuse
    ensure_connection = _refuse
    _commit = _refuse
    _savepoint_commit = _refuse
    _set_autocommit = _refuse
