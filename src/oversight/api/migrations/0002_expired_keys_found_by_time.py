"""Idempotency keys are purged by their time (api.idempotency.purge): an index on created_at."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_idempotency_records"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="idempotencyrecord",
            index=models.Index(fields=["created_at"], name="idempotency_created_at"),
        ),
    ]
