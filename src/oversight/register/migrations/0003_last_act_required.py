from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0002_last_act_and_participant_petitions"),
    ]

    operations = [
        migrations.RunSQL(
            sql="UPDATE register_case SET last_act_at = greatest(registered_at, updated_at) WHERE last_act_at IS NULL",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="case",
            name="last_act_at",
            field=models.DateTimeField(help_text="When the last act on the case or its decisions was recorded."),
        ),
    ]
