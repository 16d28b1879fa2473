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
