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
