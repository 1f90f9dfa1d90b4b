"""The monitor evaluates every act through procrastinate's PostgreSQL queue, and sweeps on a schedule.

The worker here is procrastinate's real worker on its own connection (`--one-shot`), reading the
jobs that the acts committed to the test database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from oversight.monitoring.models import Finding
from oversight.monitoring.tasks import QUEUE, SWEEP_QUEUE, evaluate_case, sweep_register
from oversight.register import services as register
from oversight.register.models import Case
from tests.factories import World, add_person, build_world

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


def waiting_jobs(case_id: int) -> int:
    return ProcrastinateJob.objects.filter(task_name=evaluate_case.name, status="todo", args__case_id=case_id).count()


def test_acts_on_a_case_whose_evaluation_waits_join_it_and_a_later_act_queues_anew() -> None:
    world = build_world()
    case_id = late_report(world, hours=30)
    add_person(Case.objects.get(pk=case_id))  # a second act while the first one's evaluation waits

    assert waiting_jobs(case_id) == 1
    job = ProcrastinateJob.objects.get(task_name=evaluate_case.name, args__case_id=case_id)
    assert job.queueing_lock == f"monitor.case:{case_id}"

    run_worker()

    assert Finding.objects.get().case_id == case_id
    assert waiting_jobs(case_id) == 0
    add_person(Case.objects.get(pk=case_id), last_name="Omarov")  # the evaluation ran: this act needs its own
    assert waiting_jobs(case_id) == 1


def job_table_reads(cursor: CursorWrapper) -> tuple[int, int, int]:
    """Sequential scans, index scans and rows fetched by index scans of the job table, as this connection
    has counted them and not yet reported (pg_stat_xact_user_tables): the difference across an act is
    that act's own."""
    cursor.execute(
        "SELECT seq_scan, idx_scan, idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relname = 'procrastinate_jobs'"
    )
    seq_scans, index_scans, fetched = cursor.fetchone()
    return int(seq_scans), int(index_scans), int(fetched)


def test_an_act_finds_its_waiting_evaluation_by_index_however_many_jobs_wait() -> None:
    """The trigger's look-up is a probe of the waiting jobs' unique index, never a scan of the job table:
    with evaluations piling up behind a stopped worker, a scan would make every act slower than the last."""
    world = build_world()
    cases = [late_report(world, hours=30) for _ in range(30)]  # thirty evaluations wait: no worker runs
    assert ProcrastinateJob.objects.filter(task_name=evaluate_case.name, status="todo").count() == 30

    case = Case.objects.get(pk=cases[7])
    with transaction.atomic(), connection.cursor() as cursor:
        before = job_table_reads(cursor)
        add_person(case)  # joins the case's waiting evaluation
        after = job_table_reads(cursor)

    # No sequential scan, and one index scan that fetched one row: the case's own waiting job, found
    # by its key, not by reading every waiting job (an index of all of them exists, on priority).
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (0, 1, 1)
    assert waiting_jobs(cases[7]) == 1


def test_a_waiting_evaluation_does_not_start_before_the_act_that_joined_it_commits() -> None:
    """The act locks the waiting job until it commits; a worker fetches jobs `FOR UPDATE SKIP LOCKED`."""
    world = build_world()
    case_id = late_report(world, hours=30)
    worker_side = connections.create_connection(DEFAULT_DB_ALIAS)  # another session, as a worker's
    try:
        with transaction.atomic():
            add_person(Case.objects.get(pk=case_id))
            with worker_side.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM procrastinate_jobs WHERE status = 'todo' AND args->>'case_id' = %s "
                    "FOR UPDATE SKIP LOCKED",
                    [str(case_id)],
                )
                assert cursor.fetchall() == []  # the only waiting job is the act's until it commits
            worker_side.rollback()
        with worker_side.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM procrastinate_jobs WHERE status = 'todo' AND args->>'case_id' = %s "
                "FOR UPDATE SKIP LOCKED",
                [str(case_id)],
            )
            assert len(cursor.fetchall()) == 1  # committed: a worker may take it now
        worker_side.rollback()
    finally:
        worker_side.close()

    run_worker()
    assert waiting_jobs(case_id) == 0
    assert Finding.objects.get().case_id == case_id


def test_the_register_is_swept_on_the_configured_schedule() -> None:
    periodic = {task.periodic_id: task for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["monitor.sweep"].task is sweep_register
    assert periodic["monitor.sweep"].cron == settings.MONITOR_SWEEP_CRON
    assert sweep_register.queue == SWEEP_QUEUE != QUEUE  # a long sweep never holds up the evaluation of an act
