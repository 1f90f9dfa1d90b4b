"""A senior prosecutor's post, where the law names it: only the General Prosecutor and the First
Deputy consent to a decision about a special subject (CPC arts. 547, 550, 551), not every senior
prosecutor of the General Prosecutor's Office.

Grants made before this migration have no post: whoever grants roles sets it for those two
(`manage.py grant_role USERNAME senior_prosecutor --organisation gpo --post first_deputy`); until then
nobody can give that consent.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_language_follows_browser_until_chosen"),
    ]

    operations = [
        migrations.AddField(
            model_name="rolegrant",
            name="post",
            field=models.CharField(
                blank=True,
                choices=[("", "none"), ("general_prosecutor", "general prosecutor"), ("first_deputy", "first deputy")],
                default="",
                max_length=32,
            ),
        ),
        migrations.AddConstraint(
            model_name="rolegrant",
            constraint=models.CheckConstraint(
                condition=models.Q(("post", ""), ("role", "senior_prosecutor"), _connector="OR"),
                name="role_grant_post_of_a_senior_prosecutor",
            ),
        ),
    ]
