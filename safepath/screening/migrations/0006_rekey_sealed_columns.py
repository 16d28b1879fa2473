"""On PostgreSQL, key rotation may re-seal a screening record (its encrypted answers and result,
its signature) and nothing else; every other change and every delete is still refused."""

from django.db import migrations

from safepath.core.migration_ops import allow_rekey_of_sealed_columns


class Migration(migrations.Migration):
    dependencies = [("screening", "0005_gradetable")]
    operations = [
        allow_rekey_of_sealed_columns(
            "screening_screeningrecord",
            trigger="screening_record_immutable",
            message="screening records are immutable",
            sealed=("answers", "result", "signature"),
        )
    ]
