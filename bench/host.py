"""What the machine's CPUs did, from /proc/stat: busy, idle waiting for a disk, or stolen by the host.

On a virtual machine the host's other guests show up nowhere but in `steal`, the time a virtual CPU
wanted to run and the hypervisor ran someone else. The benchmarks read it around every timed phase,
because a phase that loses a fifth of the CPUs to the host measures the host, not Oversight.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

# Above this share of the CPUs' time stolen during a timed phase, its figure says more about the
# host's other guests than about us. Idle, these machines show 1 to 6 %; one approvals run with 32 %
# stolen during pgbench halved its TPS and doubled every ratio.
STOLEN = 0.10


class Ticks(NamedTuple):
    """The machine's CPU time so far, in clock ticks summed over its CPUs (/proc/stat's first line)."""

    busy: int  # everything but idle and iowait (steal included: the guest wanted the CPU and did not get it)
    total: int
    steal: int
    io_wait: int


def ticks() -> Ticks | None:
    """The machine's CPU time so far; None where /proc/stat cannot be read (not Linux)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:9]
    except (OSError, IndexError):
        return None
    values = [int(value) for value in fields]  # user nice system idle iowait irq softirq steal
    idle = values[3] + values[4]  # idle and iowait
    return Ticks(busy=sum(values) - idle, total=sum(values), steal=values[7], io_wait=values[4])


class Shares(NamedTuple):
    """Shares of all the CPUs' time between two readings, 0 to 1."""

    busy: float
    stolen: float
    io_wait: float


def between(before: Ticks | None, after: Ticks | None) -> Shares | None:
    """What the CPUs did between two readings; None when either is missing or no time passed."""
    if before is None or after is None or after.total <= before.total:
        return None
    total = after.total - before.total
    return Shares(
        busy=round((after.busy - before.busy) / total, 2),
        stolen=round((after.steal - before.steal) / total, 2),
        io_wait=round((after.io_wait - before.io_wait) / total, 2),
    )


def stolen_since(before: Ticks | None) -> float | None:
    """The share of the CPUs' time stolen since `before` (a `ticks()` reading); None when unknown."""
    shares = between(before, ticks())
    return shares.stolen if shares is not None else None
