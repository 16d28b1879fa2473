"""On PostgreSQL, the database also refuses TRUNCATE on audit events (it fires no row trigger)."""

from django.db import migrations

from safepath.core.migration_ops import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [
        refuse_truncate(
            "audit_auditevent",
            trigger="audit_auditevent_no_truncate",
            message="audit events are append-only",
        )
    ]
