"""On PostgreSQL, the database also refuses TRUNCATE on signed screening records."""

from django.db import migrations

from safepath.core.migration_ops import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("screening", "0003_interview_id")]
    operations = [
        refuse_truncate(
            "screening_screeningrecord",
            trigger="screening_record_no_truncate",
            message="screening records are immutable",
        )
    ]
