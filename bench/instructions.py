"""Instructions per workflow transition: what the service layer costs the CPU, counted rather than timed.

On a shared virtual machine a timed figure moves by a quarter from one run to the next, and the host
can speed up or slow down in the middle of an A/B comparison (bench/README.md). An instruction count
does not move. This runs N decisions' three transitions (draft, submit and agree a
`recognition_as_suspect`, as approvals.py does) through the service layer in one process under
valgrind's callgrind, counting only while they run (setup and warm-up are not counted), and prints
the instructions that process executed per transition: our Python, Django, psycopg and libpq.
PostgreSQL's work is not in it (a backend is another process); approvals.py shows that side.

    .venv/bin/python bench/instructions.py                     # 50 decisions
    .venv/bin/python bench/instructions.py --decisions 100

To compare two revisions, run it in each checkout against the same server (DATABASE_URL), or put the
other checkout's src first on PYTHONPATH. The world, cases and witnesses are made in this process,
outside valgrind; the child under valgrind only runs the transitions. It needs valgrind (with
callgrind_control) on PATH. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the bench package beside it

from bench import approvals, scratch  # noqa: E402

WARMUP = 10  # decisions run under valgrind before counting starts: caches, prepared statements


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--decisions", type=int, default=50, help="decisions counted (default 50)")
    parser.add_argument("--database", default="oversight_bench_instructions", help="scratch database (dropped)")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the run under valgrind: a JSON plan
    options = parser.parse_args(argv)
    if options.decisions < 1:
        parser.error("--decisions must be at least 1")
    if not approvals.BENCH_NAME.match(options.database):
        parser.error("--database must be a lower-case name containing 'bench' (it is dropped and recreated)")
    return options


def child(plan: dict[str, Any]) -> int:
    """Under valgrind: warm up, then count the transitions of the planned decisions."""
    os.environ["DATABASE_URL"] = plan["url"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.config.settings")
    import django

    django.setup()
    world = approvals.World(*plan["world"])
    investigator, prosecutor = approvals.users(world)
    slots = [tuple(slot) for slot in plan["slots"]]
    outcome = approvals.Outcome()
    for slot in slots[:WARMUP]:
        approvals.approve(slot, investigator, prosecutor, outcome)
    control = ["callgrind_control", "-i", "on", str(os.getpid())]
    subprocess.run(control, check=True, capture_output=True)
    counted = approvals.Outcome()
    for slot in slots[WARMUP:]:
        approvals.approve(slot, investigator, prosecutor, counted)
    subprocess.run([*control[:2], "off", *control[3:]], check=True, capture_output=True)
    errors = outcome.errors + counted.errors
    print(json.dumps({"transitions": counted.transitions, "in_force": len(counted.completed), "errors": errors}))
    return 1 if errors else 0


def counted_instructions(out_file: Path) -> int:
    """The instructions callgrind counted: its `totals:` line (its `summary:` line, which it also writes,
    says 0 when instrumentation starts switched off)."""
    match = re.search(r"^totals:\s*(\d+)", out_file.read_text(), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no totals in {out_file}")
    return int(match.group(1))


def run(options: argparse.Namespace) -> dict[str, Any]:
    missing = [tool for tool in ("valgrind", "callgrind_control") if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"{' and '.join(missing)} not found: install valgrind")
    target = approvals.locate_server(options.database)
    scratch.recreate_database(target, options.database)
    try:
        approvals.setup_django(target.url)
        world = approvals.seed_world()
        slots = approvals.build_slots(world, WARMUP + options.decisions, per_case=5)
        from django.db import connections

        connections.close_all()
        plan = {"url": target.url, "world": [world.unit_id, world.investigator_id, world.prosecutor_id], "slots": slots}
        with tempfile.TemporaryDirectory(prefix="oversight-callgrind-") as scratch_dir:
            out_file = Path(scratch_dir) / "callgrind.out"
            command = [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out_file}",
                sys.executable,
                str(Path(__file__).resolve()),
                "--child",
                json.dumps(plan),
            ]
            approvals.progress(f"{options.decisions} decisions under callgrind (a minute or more)")
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            lines = done.stdout.strip().splitlines()
            if done.returncode != 0 or not lines:
                raise RuntimeError(f"the run under valgrind failed ({done.returncode}): {done.stderr[-2000:]}")
            result: dict[str, Any] = json.loads(lines[-1])
            instructions = counted_instructions(out_file)
    finally:
        scratch.drop_database(target, options.database)
    transitions = int(result["transitions"])
    return {
        "decisions": options.decisions,
        "transitions": transitions,
        "decisions_in_force": result["in_force"],
        "instructions": instructions,
        "instructions_per_transition": round(instructions / transitions) if transitions else None,
        "errors": len(result["errors"]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    options = arguments(argv)
    if options.child is not None:
        return child(json.loads(options.child))
    figures = run(options)
    print(
        f"{figures['instructions_per_transition']:,} instructions per transition in the service layer's process "
        f"({figures['transitions']} transitions of {figures['decisions']} decisions, "
        f"{figures['decisions_in_force']} in force)"
    )
    print(json.dumps(figures), flush=True)
    return 1 if figures["errors"] or figures["decisions_in_force"] != figures["decisions"] else 0


if __name__ == "__main__":
    sys.exit(main())
