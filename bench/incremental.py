"""How long from an act's commit to its finding, through the real queue and the real worker.

Run against a database that `manage.py generate` filled (bench/monitor.py does it for each size):

    DATABASE_URL=postgresql://… .venv/bin/python bench/incremental.py --samples 200

It starts procrastinate's worker (`manage.py procrastinate worker`) on that database, then, one at a
time, records through the register's service a participant's petition filed four days ago, which the
monitor must find undecided past its term. The latency of each is the time from the service's commit
to the moment the finding can be read from another connection; the figures are printed as one JSON
object on the last line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.config.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from oversight.accounts.models import User  # noqa: E402
from oversight.config.database import database_url  # noqa: E402
from oversight.register import services as register  # noqa: E402

POLL = 0.001  # seconds between two looks for the finding
SEED = 2026
GIVE_UP = 30.0  # a finding later than this is a failure, not a slow sample


def candidates(count: int) -> list[tuple[int, int, int]]:
    """Open cases spread over the register, each with its investigator and a victim to petition."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (c.id) c.id, c.investigator_id, p.id
            FROM register_case c
            JOIN register_participant p ON p.case_id = c.id AND p.role = 'victim'
            JOIN accounts_user u ON u.id = c.investigator_id AND u.is_active
            WHERE c.status = 'under_investigation'
            ORDER BY c.id
            """
        )
        rows = [(int(a), int(b), int(c)) for a, b, c in cursor.fetchall()]
    # Spread over the whole register (regions, units, ages), the same cases on every run.
    return random.Random(SEED).sample(rows, min(count, len(rows)))


def start_worker() -> subprocess.Popen[bytes]:
    worker = subprocess.Popen(  # our own interpreter runs the project's manage.py
        [sys.executable, str(ROOT / "manage.py"), "procrastinate", "worker", "--queues", "monitor"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    with psycopg.connect(database_url(), autocommit=True) as watcher:
        while time.monotonic() < deadline:
            row = watcher.execute("SELECT count(*) FROM procrastinate_workers").fetchone()
            if row and row[0]:
                return worker
            if worker.poll() is not None:
                raise SystemExit("the worker stopped before it started")
            time.sleep(0.1)
    worker.terminate()
    raise SystemExit("the worker did not register within a minute")


def measure(samples: int) -> dict[str, Any]:
    chosen = candidates(samples)
    if not chosen:
        raise SystemExit("no open case with a victim: run manage.py generate first")
    users = {user.pk: user for user in User.objects.filter(pk__in={actor for _, actor, _ in chosen})}
    worker = start_worker()
    latencies: list[float] = []
    try:
        with psycopg.connect(database_url(), autocommit=True) as watcher:
            for case_id, actor_id, victim_id in chosen:
                petition = register.file_petition(
                    case_id,
                    actor=users[actor_id],
                    participant_id=victim_id,
                    request="Question a further witness",
                    filed_at=timezone.now() - dt.timedelta(days=4),
                )
                committed = time.perf_counter()
                key = f"petition:{petition.pk}"
                while True:
                    found = watcher.execute(
                        "SELECT 1 FROM monitoring_finding WHERE rule = 'petition_not_decided' AND key = %s", [key]
                    ).fetchone()
                    waited = time.perf_counter() - committed
                    if found:
                        latencies.append(waited)
                        break
                    if waited > GIVE_UP:
                        raise SystemExit(f"no finding for {key} after {GIVE_UP:.0f} s")
                    time.sleep(POLL)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "samples": len(latencies),
        "incremental_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "incremental_p99_ms": round(cuts[98] * 1000, 1),
        "incremental_max_ms": round(max(latencies) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    figures = measure(parser.parse_args().samples)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
