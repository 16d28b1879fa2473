"""On PostgreSQL, a screening record, once written, is never changed or deleted."""

from django.db import migrations

from safepath.core.migration_ops import refuse_update_and_delete


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [
        refuse_update_and_delete(
            "screening_screeningrecord",
            trigger="screening_record_immutable",
            message="screening records are immutable",
        )
    ]
