"""The act's trigger finds the case's waiting evaluation by its key, however many evaluations wait.

PL/pgSQL plans the trigger's look-up once per connection and keeps the plan. With the key written as
an expression (`'monitor.case:' || NEW.id`), PostgreSQL did not take it for one value: planned
while few jobs waited, the look-up read every waiting job (sequentially, or along procrastinate's
index on priority) and built the text afresh for each; kept, it went on doing so as evaluations
piled up behind a stopped worker, and an act spent more in that look-up than in all its own writes
(the approvals bench, `perf` on the backend). Now the key is built once, into a variable, and the
function runs with sequential scans ruled out: the look-up probes procrastinate's unique index on
waiting jobs' `queueing_lock` and reads one row (tests/monitoring/test_queue.py). Everything else is
as 0004 made it.
"""

from importlib import import_module

from django.db import migrations

# Undoing this migration puts back 0004's function, as 0004 wrote it.
BY_SCAN: str = import_module("oversight.monitoring.migrations.0004_one_waiting_evaluation_per_case").ONE_WAITING

BY_INDEX = """
CREATE OR REPLACE FUNCTION monitoring_queue_case_evaluation() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_seqscan = off
AS $$
DECLARE
    waiting_key text := 'monitor.case:' || NEW.id;
BEGIN
    PERFORM 1 FROM procrastinate_jobs
        WHERE queueing_lock = waiting_key AND status = 'todo'
        FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM procrastinate_defer_jobs_v1(ARRAY[
            ROW('monitor', 'monitor.evaluate_case', 0, NULL, waiting_key,
                jsonb_build_object('case_id', NEW.id), NULL)::procrastinate_job_to_defer_v1
        ]);
    END IF;
    RETURN NULL;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_one_waiting_evaluation_per_case")]

    operations = [migrations.RunSQL(BY_INDEX, BY_SCAN)]
