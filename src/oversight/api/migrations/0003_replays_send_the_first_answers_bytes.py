"""A replay sends the first answer's bytes: the answer is kept as the text that was sent, not as jsonb.

Kept as jsonb, a replay was the same JSON written another way: jsonb orders an object's keys by
their length, and the replay re-encoded it with spaces and escaped every letter outside ASCII, so a
client comparing the two answers byte for byte (or by a digest) saw two different answers. The
answers kept so far are turned into their jsonb text; every answer from now on is kept as sent.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_expired_keys_found_by_time"),
    ]

    operations = [
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="response",
            field=models.TextField(default=""),
        ),
    ]
