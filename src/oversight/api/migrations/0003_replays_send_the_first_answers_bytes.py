"""A replay sends the first answer's bytes: the answer is kept as the text that was sent, not as jsonb.

Kept as jsonb, a replay was the same JSON written another way: jsonb orders an object's keys by
their length, and the replay re-encoded it with spaces and escaped every letter outside ASCII, so a
client comparing the two answers byte for byte (or by a digest) saw two different answers. The
answers kept so far are turned into their jsonb text; every answer from now on is kept as sent.

Deploying: restart the web workers once it has run. A worker's connection that prepared the
replay's read before the column changed type gets "cached plan must not change result type" from
it until the connection is replaced (CONN_MAX_AGE). Rolling back: the code first, then this
migration; the code before it works with either column, this code only with text.
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
