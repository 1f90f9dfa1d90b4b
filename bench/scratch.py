"""Scratch databases for the benchmarks, on the server Oversight uses: the embedded PostgreSQL under
./var/pgdata, or the server of DATABASE_URL. Only a benchmark's own database is ever created or dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from psycopg import Connection

# Options Django's PostgreSQL backend takes from OPTIONS for itself; libpq would refuse them.
DJANGO_ONLY_OPTIONS = frozenset({"server_side_binding", "pool", "isolation_level", "assume_role", "prepare_threshold"})


class OnServer(Protocol):
    @property
    def admin_url(self) -> str: ...


@dataclass(frozen=True)
class Server:
    admin_url: str  # the server's maintenance database, to create and drop scratch databases
    embedded: bool

    def database(self, name: str) -> str:
        """The URL of database `name` on this server."""
        from oversight.config.database import with_database

        return with_database(self.admin_url, name)


def locate_server() -> Server:
    import os

    from oversight.config.database import start_embedded_server, with_database

    configured = os.environ.get("DATABASE_URL", "").strip()
    if configured:
        return Server(with_database(configured, "postgres"), embedded=False)
    return Server(start_embedded_server(), embedded=True)  # starts the shared server if down; never stops it


def admin_connection(target: OnServer) -> Connection[Any]:
    """An autocommit connection to the server's maintenance database, read as Django reads the URL."""
    import psycopg

    from oversight.config.database import parse_database_url

    settings = parse_database_url(target.admin_url)
    options = {key: value for key, value in settings["OPTIONS"].items() if key not in DJANGO_ONLY_OPTIONS}
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        autocommit=True,
        **options,
    )


def recreate_database(target: OnServer, name: str) -> None:
    with admin_connection(target) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(target: OnServer, name: str) -> None:
    with admin_connection(target) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
