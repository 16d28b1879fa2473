"""Operations that migrations share. Kept stable: old migrations import them."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def refuse_update_and_delete(table: str, *, trigger: str, message: str) -> migrations.RunPython:
    """On PostgreSQL, a row trigger that refuses UPDATE and DELETE on ``table`` (other databases:
    nothing; the application's own checks, such as hash chains and signatures, still apply)."""
    function = f"{trigger}_refuse"
    create = f"""
    CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = '{message}: ' || TG_OP || ' refused on {table}',
            ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;

    CREATE TRIGGER {trigger}
        BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {function}();
    """
    drop = f"""
    DROP TRIGGER IF EXISTS {trigger} ON {table};
    DROP FUNCTION IF EXISTS {function}();
    """

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return migrations.RunPython(forwards, backwards)


# The setting a session must turn on to empty a guarded table. Nothing in SafePath sets it; the
# test suite does, for its own databases only, because Django empties tables between tests
# with TRUNCATE (see config/settings_test.py).
TRUNCATE_SETTING = "safepath.allow_truncate"


def refuse_truncate(table: str, *, trigger: str, message: str) -> migrations.RunPython:
    """On PostgreSQL, a statement trigger that refuses TRUNCATE on ``table``: TRUNCATE fires no
    row trigger, so without this one statement would empty an append-only table. A session that
    sets ``safepath.allow_truncate`` to ``on`` may (only the test suite does)."""
    function = f"{trigger}_refuse"
    create = f"""
    CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
    BEGIN
        IF coalesce(current_setting('{TRUNCATE_SETTING}', true), '') = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION USING
            MESSAGE = '{message}: TRUNCATE refused on {table}',
            ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;

    CREATE TRIGGER {trigger}
        BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION {function}();
    """
    drop = f"""
    DROP TRIGGER IF EXISTS {trigger} ON {table};
    DROP FUNCTION IF EXISTS {function}();
    """

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return migrations.RunPython(forwards, backwards)


# The setting a transaction turns on (core/rotation.allow_rekey) while key rotation re-seals
# rows of an immutable table; the trigger then accepts an UPDATE that changes only the sealed
# columns it names (see allow_rekey_of_sealed_columns).
REKEY_SETTING = "safepath.rekey"


def allow_rekey_of_sealed_columns(
    table: str, *, trigger: str, message: str, sealed: tuple[str, ...]
) -> migrations.RunPython:
    """Replace the function of a :func:`refuse_update_and_delete` trigger so that, while
    ``safepath.rekey`` is on in the transaction, an UPDATE that changes nothing but ``sealed``
    columns passes (key rotation); everything else is still refused. Backwards: refuse all."""
    function = f"{trigger}_refuse"
    minus = " ".join(f"- '{column}'" for column in sealed)
    refuse = f"""
        RAISE EXCEPTION USING
            MESSAGE = '{message}: ' || TG_OP || ' refused on {table}',
            ERRCODE = 'insufficient_privilege';
    """
    allowing = f"""
    CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
           AND coalesce(current_setting('{REKEY_SETTING}', true), '') = 'on'
           AND (to_jsonb(NEW) {minus}) = (to_jsonb(OLD) {minus}) THEN
            RETURN NEW;
        END IF;
        {refuse}
    END;
    $$ LANGUAGE plpgsql;
    """
    refusing = f"""
    CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
    BEGIN
        {refuse}
    END;
    $$ LANGUAGE plpgsql;
    """

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(allowing)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(refusing)

    return migrations.RunPython(forwards, backwards)
