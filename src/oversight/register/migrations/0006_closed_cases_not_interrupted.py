"""Cases closed while their terms were interrupted (terminated, completed, sent to court) kept the
moment of the interruption, so their card went on saying "Terms interrupted since …". Closing now
clears it (decisions.effects._end_interruption); this clears it on the cases closed before. The
interruption's legal effect keeps when it began and ended, so nothing is lost.
"""

from django.db import migrations

CLEAR = "UPDATE register_case SET interrupted_at = NULL WHERE status <> 'interrupted' AND interrupted_at IS NOT NULL"


class Migration(migrations.Migration):
    dependencies = [("register", "0005_case_acts_update_in_place")]

    operations = [migrations.RunSQL(CLEAR, migrations.RunSQL.noop)]
