"""Every act on a case queues that case's evaluation, in the database, in the act's own transaction.

Each act (a decision's event, a case event) sets its case's `last_act_at`; this trigger defers the
monitor's `monitor.evaluate_case` job for the case through procrastinate's own SQL entry point, so the
job exists exactly when the act commits and no act pays a round trip for it. The task's name and
queue are those of `oversight.monitoring.tasks` (QUEUE, evaluate_case); tests/monitoring/test_queue.py
runs procrastinate's real worker on the jobs it queues.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION monitoring_queue_case_evaluation() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM procrastinate_defer_jobs_v1(ARRAY[
        ROW('monitor', 'monitor.evaluate_case', 0, NULL, NULL,
            jsonb_build_object('case_id', NEW.id), NULL)::procrastinate_job_to_defer_v1
    ]);
    RETURN NULL;
END;
$$;

CREATE TRIGGER monitoring_case_acted_on
    AFTER UPDATE OF last_act_at ON register_case
    FOR EACH ROW EXECUTE FUNCTION monitoring_queue_case_evaluation();
"""

DROP = """
DROP TRIGGER IF EXISTS monitoring_case_acted_on ON register_case;
DROP FUNCTION IF EXISTS monitoring_queue_case_evaluation();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_sweep_timings"),
        ("register", "0004_lean_foreign_key_indexes"),
        ("procrastinate", "0038_post_batch_defer_jobs"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
