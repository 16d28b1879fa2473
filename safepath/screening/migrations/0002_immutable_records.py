"""On PostgreSQL, a screening record, once written, is never changed or deleted."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION safepath_screening_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'screening records are immutable: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER screening_record_immutable
    BEFORE UPDATE OR DELETE ON screening_screeningrecord
    FOR EACH ROW EXECUTE FUNCTION safepath_screening_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS screening_record_immutable ON screening_screeningrecord;
DROP FUNCTION IF EXISTS safepath_screening_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
