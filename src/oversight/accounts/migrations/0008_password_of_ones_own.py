"""A password given by an administrator (`manage.py create_user`) is replaced by the person's own
before any other page. Existing accounts keep theirs: the column is added false, at once (a default
in the catalogue, no rewrite of the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_one_grant_without_organisation")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="The password was given by an administrator: the person sets their own before anything else.",
            ),
        ),
    ]
