"""An act on a case updates its row in place (a heap-only tuple, HOT) instead of in all its indexes.

Every transition of every decision sets its case's `last_act_at` (decisions.services.RECORD_EVENT),
and so does every act of the register. With `last_act_at` in an index, each of those updates wrote a
new row version and a new entry in each of the case's ten indexes: ten index insertions and their
WAL per act, a quarter of the WAL records a transition writes, and index pages that bloat with
entries pointing at dead versions, which later reads must step over and clean. Without it, the
update touches no indexed column and PostgreSQL writes the new version beside the old one on the
same page, when the page has room: the table keeps a fifth of each page free for that (fillfactor
80; it applies to pages written from now on). The index dropped served only the idle-case rule's
sweep, which takes 0.011 s of the sweep of a 100,000-case register without it (bench/monitor.py).
"""

from django.contrib.postgres.operations import RemoveIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    # Dropped concurrently: a plain DROP INDEX would wait for a running sweep of the register while
    # every read of a case waited behind it.
    atomic = False

    dependencies = [("register", "0004_lean_foreign_key_indexes")]

    operations = [
        RemoveIndexConcurrently(model_name="case", name="case_status_last_act"),
        migrations.RunSQL(
            "ALTER TABLE register_case SET (fillfactor = 80)",
            "ALTER TABLE register_case RESET (fillfactor)",
        ),
    ]
