"""The API's background job, on procrastinate's PostgreSQL queue: idempotency keys past their time go.

It runs on the housekeeping queue, which `make serve` gives to the worker of the monitor's sweeps:
both are long, rare jobs that must never hold up the evaluation of an act.
"""

from __future__ import annotations

from django.conf import settings
from procrastinate.contrib.django import app

from oversight.api import idempotency

HOUSEKEEPING_QUEUE = "housekeeping"


@app.periodic(cron=settings.HOUSEKEEPING_CRON, periodic_id="api.purge_idempotency_keys")
@app.task(
    name="api.purge_idempotency_keys",
    queue=HOUSEKEEPING_QUEUE,
    queueing_lock="api.purge_idempotency_keys",
    pass_context=False,
)
def purge_idempotency_keys(timestamp: int) -> int:
    return idempotency.purge()
