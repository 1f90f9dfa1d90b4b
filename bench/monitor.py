"""The legality monitor at national scale: generate a synthetic register, sweep it, score the findings.

For each size (100,000 and 1,000,000 cases by default) the benchmark creates a scratch database of its
own on the server Oversight uses (the embedded PostgreSQL under ./var/pgdata, or the server of
DATABASE_URL), migrates it, and in a child process:

1. runs `manage.py generate`'s code (`oversight.monitoring.synthetic.generate`) with a fixed seed and
   times it;
2. runs the full sweep, `oversight.monitoring.services.sweep(now=dataset.as_of)`, and times it;
3. scores the findings (rule, key) against the violations the generator planted (recall and
   precision, overall and by rule);
4. sweeps a second time, timed: it must raise nothing new.

5. then, with procrastinate's worker running on that database, records acts one by one through the
   register's service and times each from its commit to its finding (bench/incremental.py):
   the incremental evaluation's p50 and p99.

It prints a table and, as its very last line, one JSON object with the figures. Figures are
printed, never asserted; the exit status is non-zero only when a phase could not run. Each scratch
database is dropped at the end (`--keep-database` keeps them for EXPLAIN ANALYZE by hand).

    .venv/bin/python bench/monitor.py                      # 100k and 1M
    .venv/bin/python bench/monitor.py --sizes 20000,100000
    MONITOR_SIZES=100000 .venv/bin/python bench/monitor.py
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the bench package beside it

from bench import host, scratch  # noqa: E402

DEFAULT_SIZES = (100_000, 1_000_000)
DEFAULT_SEED = 2026
DEFAULT_PREFIX = "bench_monitor"
# Only a database whose name says it is a benchmark's is ever dropped.
BENCH_NAME = re.compile(r"^(?=.*bench)[a-z_][a-z0-9_]*$")
BYTES_PER_CASE = 9_000  # database size per generated case, measured with a margin (about 7.5 kB)
TARGETS = {
    "recall": 1.0,
    "precision": 1.0,
    "sweep_seconds_1m": 60.0,
    "sweep_ratio": 12.0,
    "generate_seconds_1m": 600.0,
    "incremental_p99_ms": 1000.0,
}


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- the database -------------------------------------------------------------------------------------


def free_disk_bytes(target: scratch.Server) -> int | None:
    if not target.embedded:
        return None  # the server's disk is not ours to look at
    from oversight.config.database import embedded_data_directory

    return shutil.disk_usage(embedded_data_directory()).free


# --- one size, in a child process ---------------------------------------------------------------------


def run_one(size: int, seed: int, url: str) -> dict[str, Any]:
    """Migrate, generate, sweep twice and score, in the database at `url`; returns the figures."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from oversight.monitoring import services, synthetic
    from oversight.monitoring.models import Finding, InjectedViolation, SweepRun

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.monotonic() - started
    progress(f"{size:,} cases: migrated in {migrated:.1f} s; generating")
    started, cpus = time.monotonic(), host.ticks()
    summary = synthetic.generate(cases=size, seed=seed, progress=sys.stderr)
    generate_seconds = time.monotonic() - started
    stolen = {"generate": host.stolen_since(cpus)}
    progress(f"{size:,} cases: generated in {generate_seconds:.1f} s; sweeping as of {summary.as_of.isoformat()}")

    started, cpus = time.monotonic(), host.ticks()
    first = services.sweep(now=summary.as_of)
    sweep_seconds = time.monotonic() - started
    stolen["sweep"] = host.stolen_since(cpus)
    progress(f"{size:,} cases: swept in {sweep_seconds:.1f} s ({sum(first.values())} findings); sweeping again")
    first_run = SweepRun.objects.order_by("started_at").first()
    rule_seconds = dict(sorted((first_run.seconds if first_run else {}).items(), key=lambda item: -item[1]))
    progress(
        f"{size:,} cases: slowest rules " + ", ".join(f"{rule} {s:.2f} s" for rule, s in list(rule_seconds.items())[:4])
    )
    started, cpus = time.monotonic(), host.ticks()
    second = services.sweep(now=summary.as_of)
    second_seconds = time.monotonic() - started
    stolen["second_sweep"] = host.stolen_since(cpus)

    found = set(Finding.objects.values_list("rule", "key"))
    planted = set(InjectedViolation.objects.filter(dataset_id=summary.dataset_id).values_list("rule", "key"))
    true_positives = found & planted
    by_rule: dict[str, dict[str, int]] = {}
    for rule, _ in planted | found:
        by_rule.setdefault(rule, {"planted": 0, "found": 0, "true": 0})
    for rule, _ in planted:
        by_rule[rule]["planted"] += 1
    for rule, _ in found:
        by_rule[rule]["found"] += 1
    for rule, _ in true_positives:
        by_rule[rule]["true"] += 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database_bytes = int(cursor.fetchone()[0])
    return {
        "cases": size,
        "seed": seed,
        "as_of": summary.as_of.isoformat(),
        "migrate_seconds": round(migrated, 2),
        "generate_seconds": round(generate_seconds, 2),
        "generate_phases": {name: round(value, 2) for name, value in summary.phases.items() if ":" not in name},
        "rows": sum(count for table, count in summary.rows.items() if not table.startswith("accounts_")),
        "database_bytes": database_bytes,
        "sweep_seconds": round(sweep_seconds, 3),
        "second_sweep_seconds": round(second_seconds, 3),
        # the share of the CPUs' time the host stole while each was timed (see bench/host.py)
        "cpu_stolen": stolen,
        "rule_seconds": rule_seconds,
        "second_sweep_new": sum(second.values()),
        "planted": len(planted),
        "found": len(found),
        "true_positives": len(true_positives),
        "recall": round(len(true_positives) / len(planted), 6) if planted else None,
        "precision": round(len(true_positives) / len(found), 6) if found else None,
        "by_rule": dict(sorted(by_rule.items())),
    }


# --- the run ------------------------------------------------------------------------------------------


def parse_sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    if not sizes or any(size < 100 for size in sizes):
        raise ValueError("sizes are case counts of at least 100, separated by commas")
    return sizes


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_sizes = os.environ.get("MONITOR_SIZES", ",".join(str(size) for size in DEFAULT_SIZES))
    parser.add_argument(
        "--sizes", default=default_sizes, help=f"case counts, comma-separated (default {default_sizes})"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"generator seed (default {DEFAULT_SEED})")
    parser.add_argument(
        "--database-prefix",
        default=DEFAULT_PREFIX,
        help=f"scratch databases are named <prefix>_<size> (default {DEFAULT_PREFIX})",
    )
    parser.add_argument("--keep-database", action="store_true", help="leave the scratch databases for inspection")
    parser.add_argument(
        "--samples", type=int, default=200, help="acts whose evaluation through the queue is timed (default 200)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: this size only
    parser.add_argument("--url", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    try:
        options.size_list = parse_sizes(options.sizes)
    except ValueError as error:
        parser.error(str(error))
    if not BENCH_NAME.match(f"{options.database_prefix}_1"):
        parser.error("--database-prefix must be a lower-case name containing 'bench' (its databases are dropped)")
    return options


def child(size: int, seed: int, url: str) -> dict[str, Any] | None:
    """Run one size in a fresh interpreter (Django binds one database per process); None when it failed."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one", str(size), "--seed", str(seed), "--url", url]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])))
    completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT, check=False)
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        return None
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def incremental(url: str, samples: int) -> dict[str, Any] | None:
    """bench/incremental.py on the generated register: acts committed one by one, each finding awaited."""
    command = [sys.executable, str(ROOT / "bench" / "incremental.py"), "--samples", str(samples)]
    env = dict(os.environ, DATABASE_URL=url)
    completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT, check=False)
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        return None
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def table(results: Sequence[dict[str, Any]]) -> str:
    header = (
        f"{'cases':>10}  {'generate s':>10}  {'sweep s':>8}  {'2nd sweep s':>11}  {'new':>4}  {'planted':>7}  "
        f"{'found':>6}  {'recall':>7}  {'precision':>9}  {'database':>9}"
    )
    header += f"  {'act p50 ms':>10}  {'act p99 ms':>10}  {'sweep stolen':>12}"
    lines = [header, "-" * len(header)]
    for result in results:
        act = result.get("incremental") or {}
        lines.append(
            f"{result['cases']:>10,}  {result['generate_seconds']:>10.1f}  {result['sweep_seconds']:>8.2f}  "
            f"{result['second_sweep_seconds']:>11.2f}  {result['second_sweep_new']:>4}  {result['planted']:>7}  "
            f"{result['found']:>6}  {result['recall']:>7.4f}  {result['precision']:>9.4f}  "
            f"{result['database_bytes'] / 2**30:>7.2f} GB  {act.get('incremental_p50_ms', float('nan')):>10.1f}  "
            f"{act.get('incremental_p99_ms', float('nan')):>10.1f}  "
            f"{_share(result.get('cpu_stolen', {}).get('sweep')):>12}"
        )
    return "\n".join(lines)


def disturbances(results: Sequence[dict[str, Any]]) -> list[str]:
    """The timed phases during which the host stole more than `host.STOLEN` of the CPUs' time."""
    return [
        f"the hypervisor took {stolen:.0%} of the CPUs' time during {phase.replace('_', ' ')} of {result['cases']:,}"
        for result in results
        for phase, stolen in result.get("cpu_stolen", {}).items()
        if stolen is not None and stolen > host.STOLEN
    ]


def report(options: argparse.Namespace, results: list[dict[str, Any]], failures: list[str], load: list[float]) -> int:
    for message in failures:
        progress(f"error: {message}")
    disturbed = disturbances(results)
    by_size = {str(result["cases"]): result for result in results}
    sweeps = {size: result["sweep_seconds"] for size, result in by_size.items()}
    smallest, largest = min(options.size_list), max(options.size_list)
    sweep_ratio = ratio(sweeps.get(str(largest)), sweeps.get(str(smallest))) if largest != smallest else None
    recalls = [result["recall"] for result in results if result["recall"] is not None]
    precisions = [result["precision"] for result in results if result["precision"] is not None]
    recall = min(recalls) if recalls else None
    precision = min(precisions) if precisions else None
    million = by_size.get("1000000")
    at_scale = million is not None and "100000" in by_size  # the ratio target is 1M against 100k
    met: dict[str, bool | None] = {
        "recall": recall == TARGETS["recall"],
        "precision": precision == TARGETS["precision"],
        "sweep_seconds_1m": million["sweep_seconds"] <= TARGETS["sweep_seconds_1m"] if million else None,
        "sweep_ratio": sweep_ratio is not None and sweep_ratio <= TARGETS["sweep_ratio"] if at_scale else None,
        "generate_seconds_1m": million["generate_seconds"] <= TARGETS["generate_seconds_1m"] if million else None,
        "second_sweep_finds_nothing": all(result["second_sweep_new"] == 0 for result in results),
        "incremental_p99_ms": all(
            (result.get("incremental") or {}).get("incremental_p99_ms", float("inf")) <= TARGETS["incremental_p99_ms"]
            for result in results
        )
        if results
        else None,
    }
    line: dict[str, Any] = {
        "sizes": list(options.size_list),
        "seed": options.seed,
        "generate_seconds": {size: result["generate_seconds"] for size, result in by_size.items()},
        "sweep_seconds": sweeps,
        "second_sweep_seconds": {size: result["second_sweep_seconds"] for size, result in by_size.items()},
        "second_sweep_new": {size: result["second_sweep_new"] for size, result in by_size.items()},
        "recall": recall,
        "precision": precision,
        "sweep_ratio": sweep_ratio,
        "sweep_ratio_sizes": f"{largest}/{smallest}",
        # the evaluation of an act on the largest register measured
        "incremental_p50_ms": ((by_size.get(str(largest)) or {}).get("incremental") or {}).get("incremental_p50_ms"),
        "incremental_p99_ms": ((by_size.get(str(largest)) or {}).get("incremental") or {}).get("incremental_p99_ms"),
        "incremental_p99_ms_by_size": {
            size: (result.get("incremental") or {}).get("incremental_p99_ms") for size, result in by_size.items()
        },
        "targets": TARGETS,
        "met": met,
        "per_size": results,
        "load_average_1m": [round(value, 2) for value in load],
        "quiet": not disturbed,
        "disturbances": disturbed,
        "cpus": os.cpu_count(),
        "errors": len(failures),
    }
    if results:
        print(table(results))
    print(
        f"sweep {largest:,}/{smallest:,} ratio: {sweep_ratio}; 1-minute load average "
        f"{' -> '.join(f'{value:.2f}' for value in load)} on {os.cpu_count()} CPUs"
    )
    for disturbance in disturbed:
        print(f"NOT QUIET: {disturbance}; do not compare this run's timings")
    verdicts = {True: "met", False: "not met", None: "not measured"}
    caveat = " (timings from a run that was not quiet: see above)" if disturbed else ""
    print("targets: " + ", ".join(f"{name} {verdicts[ok]}" for name, ok in met.items()) + caveat)
    print(json.dumps(line), flush=True)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    options = arguments(argv)
    if options.one is not None:
        print(json.dumps(run_one(options.one, options.seed, options.url)), flush=True)
        return 0
    load = [os.getloadavg()[0]]
    target = scratch.locate_server()
    results: list[dict[str, Any]] = []
    failures: list[str] = []
    for size in options.size_list:
        name = f"{options.database_prefix}_{size}"
        free = free_disk_bytes(target)
        if free is not None and free < size * BYTES_PER_CASE * 1.5:
            failures.append(f"{size:,} cases: only {free / 2**30:.1f} GB free on the database's disk; skipped")
            continue
        progress(f"{size:,} cases in database {name} on {'the embedded server' if target.embedded else 'DATABASE_URL'}")
        try:
            scratch.recreate_database(target, name)
            url = target.database(name)
            result = child(size, options.seed, url)
            if result is None:
                failures.append(f"{size:,} cases: the run failed (see its traceback above)")
            else:
                progress(f"{size:,} cases: measuring the evaluation of {options.samples} acts through the queue")
                cpus = host.ticks()
                result["incremental"] = incremental(url, options.samples)
                result["cpu_stolen"]["incremental"] = host.stolen_since(cpus)
                if result["incremental"] is None:
                    failures.append(f"{size:,} cases: the incremental measurement failed")
                results.append(result)
        except Exception as error:
            failures.append(f"{size:,} cases: {type(error).__name__}: {error}")
            traceback.print_exc()
        finally:
            if options.keep_database:
                progress(f"kept database {name}")
            else:
                with contextlib.suppress(Exception):
                    scratch.drop_database(target, name)
    load.append(os.getloadavg()[0])
    return report(options, results, failures, load)


if __name__ == "__main__":
    sys.exit(main())
