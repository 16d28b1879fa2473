"""On PostgreSQL, the database itself refuses UPDATE and DELETE on audit events."""

from django.db import migrations

from safepath.core.migration_ops import refuse_update_and_delete


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        refuse_update_and_delete(
            "audit_auditevent",
            trigger="audit_auditevent_append_only",
            message="audit events are append-only",
        )
    ]
