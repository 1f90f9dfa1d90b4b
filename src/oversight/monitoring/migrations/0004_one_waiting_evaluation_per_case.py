"""An act on a case whose evaluation still waits for a worker joins that evaluation instead of queueing another.

The evaluation reads the case as it is when it runs, so one waiting job covers every act before it
starts. The trigger locks the waiting job (`FOR UPDATE`) until the act commits; workers fetch jobs
with `FOR UPDATE SKIP LOCKED`, so that job cannot start before the act is committed, and its
evaluation sees the act. Once a worker has taken the job (its status is no longer `todo`), the next
act queues a new one. The jobs carry `queueing_lock` `monitor.case:<id>`, which procrastinate keeps
unique among waiting jobs.
"""

from django.db import migrations

ONE_WAITING = """
CREATE OR REPLACE FUNCTION monitoring_queue_case_evaluation() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1 FROM procrastinate_jobs
        WHERE queueing_lock = 'monitor.case:' || NEW.id AND status = 'todo'
        FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM procrastinate_defer_jobs_v1(ARRAY[
            ROW('monitor', 'monitor.evaluate_case', 0, NULL, 'monitor.case:' || NEW.id,
                jsonb_build_object('case_id', NEW.id), NULL)::procrastinate_job_to_defer_v1
        ]);
    END IF;
    RETURN NULL;
END;
$$;
"""

ONE_PER_ACT = """
CREATE OR REPLACE FUNCTION monitoring_queue_case_evaluation() RETURNS trigger
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
"""


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_act_queues_evaluation_in_database")]

    operations = [migrations.RunSQL(ONE_WAITING, ONE_PER_ACT)]
