"""The monitor evaluates every act through procrastinate's PostgreSQL queue, and sweeps on a schedule.

The worker here is procrastinate's real worker on its own connection (`--one-shot`), reading the
jobs that the acts committed to the test database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from oversight.monitoring.models import Finding
from oversight.monitoring.tasks import QUEUE, SWEEP_QUEUE, evaluate_case, sweep_register
from oversight.register import services as register
from tests.factories import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def worker_connections_close_after_each_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker runs each task in a pool thread with a Django connection of its own, which its
    middleware closes after the job only once CONN_MAX_AGE has passed: here at once, so that no
    session outlives the test and holds the test database open."""
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)


@pytest.fixture(autouse=True)
def empty_queue() -> None:
    """The queue's tables are procrastinate's, not Django's: the flush between tests leaves their rows."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procrastinate_jobs, procrastinate_periodic_defers, procrastinate_events CASCADE")


def late_report(world: World, hours: int) -> int:
    case = register.register_case(
        actor=world.aigerim,
        unit_id=world.astana_unit.pk,
        form="pre_trial_investigation",
        articles=[register.ArticleInput("188", 2)],
        reported_at=timezone.now() - dt.timedelta(hours=hours),
        summary="Theft reported two days ago",
    )
    return case.pk


def run_worker() -> None:
    with app.replace_connector(app.connector.get_worker_connector()):  # type: ignore[attr-defined]
        app.run_worker(queues=[QUEUE], wait=False, install_signal_handlers=False, listen_notify=False)


def test_an_act_queues_its_case_and_the_worker_raises_what_it_broke() -> None:
    world = build_world()
    case_id = late_report(world, hours=30)

    jobs = ProcrastinateJob.objects.filter(task_name=evaluate_case.name, status="todo")
    assert {job.args["case_id"] for job in jobs} == {case_id}
    assert not Finding.objects.exists()

    run_worker()

    finding = Finding.objects.get()
    assert (finding.rule, finding.case_id, finding.key) == ("report_registration_late", case_id, f"case:{case_id}")
    assert not ProcrastinateJob.objects.filter(queue_name=QUEUE, status="todo").exists()


def test_a_lawful_act_is_evaluated_and_raises_nothing() -> None:
    world = build_world()
    late_report(world, hours=23)

    run_worker()

    assert not Finding.objects.exists()
    assert not ProcrastinateJob.objects.filter(queue_name=QUEUE, status__in=["todo", "failed"]).exists()


def test_an_act_that_rolls_back_leaves_no_job() -> None:
    world = build_world()
    queued = ProcrastinateJob.objects.count()

    def act_then_fail() -> None:
        with transaction.atomic():
            late_report(world, hours=30)
            raise RuntimeError("the act fails after it was recorded")

    with pytest.raises(RuntimeError):
        act_then_fail()

    assert ProcrastinateJob.objects.count() == queued


def test_the_register_is_swept_on_the_configured_schedule() -> None:
    periodic = {task.periodic_id: task for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["monitor.sweep"].task is sweep_register
    assert periodic["monitor.sweep"].cron == settings.MONITOR_SWEEP_CRON
    assert sweep_register.queue == SWEEP_QUEUE != QUEUE  # a long sweep never holds up the evaluation of an act
