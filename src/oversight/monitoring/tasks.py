"""The monitor's background jobs, on procrastinate's PostgreSQL queue.

`evaluate_case` is queued inside the transaction that records an act on a case, by a trigger on the
case's `last_act_at` (migration 0003, through procrastinate's `procrastinate_defer_jobs_v1`), so the
job exists exactly when the act does and no act pays a round trip for it; the worker, woken by
PostgreSQL's NOTIFY at commit, runs the rulebook's rules over that case alone. `sweep_register` runs
every rule over the whole register on a schedule (`MONITOR_SWEEP_CRON`) for the clocks that run out
with no act at all, on a queue of its own so that a long sweep never delays the evaluation of an act;
a worker that was down simply sweeps as of the moment it is back, and a fact already found is never
raised twice.
"""

from __future__ import annotations

from django.conf import settings
from procrastinate.contrib.django import app

from oversight.monitoring import services

QUEUE = "monitor"  # one case after an act: short jobs, each due within a second
SWEEP_QUEUE = "monitor-sweeps"  # the whole register: long jobs, on a worker of their own so acts never wait


@app.task(name="monitor.evaluate_case", queue=QUEUE, pass_context=False)
def evaluate_case(case_id: int) -> None:
    services.sweep(case_ids=[case_id])


@app.periodic(cron=settings.MONITOR_SWEEP_CRON, periodic_id="monitor.sweep")
@app.task(name="monitor.sweep_register", queue=SWEEP_QUEUE, queueing_lock="monitor.sweep", pass_context=False)
def sweep_register(timestamp: int) -> None:
    services.sweep()
