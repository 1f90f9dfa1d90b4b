"""One grant per user, role and organisation, an administrator's, analyst's or auditor's included.

Their grants have no organisation, and a unique constraint treats NULLs as distinct by default: two
`grant_role` calls at once could each create the same grant. The constraint now treats them as equal
(NULLS NOT DISTINCT, PostgreSQL 15 and later). Duplicates made before are removed first, the oldest
kept: a grant carries nothing but its post, which only prosecutors' grants (with an organisation) hold.
"""

from django.db import migrations, models

DUPLICATES = """
DELETE FROM accounts_rolegrant g USING accounts_rolegrant kept
WHERE g.organisation_id IS NULL AND kept.organisation_id IS NULL
  AND g.user_id = kept.user_id AND g.role = kept.role AND g.id > kept.id
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_the_posts_that_consent")]

    operations = [
        migrations.RunSQL(DUPLICATES, migrations.RunSQL.noop),
        migrations.RemoveConstraint(model_name="rolegrant", name="role_grant_unique"),
        migrations.AddConstraint(
            model_name="rolegrant",
            constraint=models.UniqueConstraint(
                fields=("user", "role", "organisation"), name="role_grant_unique", nulls_distinct=False
            ),
        ),
    ]
