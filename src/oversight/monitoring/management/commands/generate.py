"""`manage.py generate --cases N --seed S`: fill an empty register with a synthetic national one.

Kazakhstan's offices, bodies, units and courts, their people, and N cases with their decisions,
events, clocks and effects, plus a known set of planted violations of every rule of the legality
monitor (see `oversight.monitoring.synthetic`). The same seed on an empty database gives the same
rows. The database must be migrated and hold no case and no organisation; the command refuses
anything else rather than mix the synthetic register with a real or demo one.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from oversight.monitoring import synthetic


def _instant(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("give the instant with its UTC offset, e.g. 2026-11-02T10:30:00+05:00")
    return moment


class Command(BaseCommand):
    help = "Fill an empty, migrated database with a synthetic register of N cases and planted violations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help=f"how many cases (at least {synthetic.MIN_CASES})")
        parser.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
        parser.add_argument(
            "--as-of",
            type=_instant,
            default=synthetic.DEFAULT_AS_OF,
            help=f"the instant the register is judged at, ISO 8601 with offset (default "
            f"{synthetic.DEFAULT_AS_OF.isoformat()})",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress line on stderr")

    def handle(self, *args: Any, **options: Any) -> None:
        cases: int = options["cases"]
        if cases < synthetic.MIN_CASES:
            raise CommandError(f"--cases must be at least {synthetic.MIN_CASES}")
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("the database is not fully migrated: run `manage.py migrate` first")
        try:
            summary = synthetic.generate(
                cases=cases,
                seed=options["seed"],
                as_of=options["as_of"],
                progress=None if options["no_progress"] else sys.stderr,
            )
        except synthetic.RegisterNotEmpty as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Dataset {summary.dataset_id}: {summary.cases:,} cases from seed {summary.seed}, judged as of "
            f"{summary.as_of.isoformat()}, in {summary.seconds:.1f} s."
        )
        rows = sum(count for table, count in summary.rows.items() if not table.startswith("accounts_"))
        self.stdout.write(f"Rows written: {rows:,} (the register), {summary.rows['accounts_user']:,} users.")
        planted = sum(summary.injected.values())
        self.stdout.write(f"Planted violations: {planted} ({planted * 100 / summary.cases:.2f}% of the cases):")
        for rule, count in sorted(summary.injected.items()):
            self.stdout.write(f"  {rule:<34} {count}")
