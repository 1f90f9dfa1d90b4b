"""The per-request health check of a persistent connection: no round trip while the connection is
sound, and a connection the server ended is still found and replaced (oversight.config.postgresql)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from oversight.config.postgresql.base import DatabaseWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def persistent() -> Iterator[DatabaseWrapper]:
    """A second connection to the test database, as a web worker holds one between requests."""
    wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
    assert isinstance(wrapper, DatabaseWrapper)
    assert wrapper.settings_dict["CONN_HEALTH_CHECKS"]
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def backend_pid(wrapper: DatabaseWrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid() /* before the request */")
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def last_statement_of(pid: int) -> str | None:
    """What the server last ran for that backend, read from another connection (the test's)."""
    with connection.cursor() as cursor:
        # The statistics views are a snapshot kept for the transaction (the test's): take a fresh one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def start_of_a_request(wrapper: DatabaseWrapper) -> None:
    """What Django does at the start of a request: the check is due again, and runs before the first query."""
    wrapper.health_check_done = False
    wrapper.close_if_health_check_failed()


def test_a_sound_idle_connection_is_kept_without_a_statement(persistent: DatabaseWrapper) -> None:
    pid = backend_pid(persistent)
    held = persistent.connection
    start_of_a_request(persistent)
    assert persistent.connection is held
    assert persistent.health_check_done
    # Django's own check would have sent SELECT 1; the server saw nothing since the last statement.
    assert last_statement_of(pid) == "SELECT pg_backend_pid() /* before the request */"


def test_a_connection_the_server_ended_is_closed_and_the_next_query_reconnects(persistent: DatabaseWrapper) -> None:
    pid = backend_pid(persistent)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])  # waits until the backend has ended
        ended = cursor.fetchone()
    assert ended == (True,), "the backend did not end within 10 s"
    assert last_statement_of(pid) is None

    start_of_a_request(persistent)
    assert persistent.connection is None  # closed, not handed to the request's first query
    assert backend_pid(persistent) != pid  # the first query opened a new connection and ran


def test_a_connection_left_inside_a_transaction_gets_djangos_own_check(persistent: DatabaseWrapper) -> None:
    pid = backend_pid(persistent)
    persistent.connection.execute("BEGIN")
    try:
        start_of_a_request(persistent)
        assert last_statement_of(pid) == "SELECT 1"
    finally:
        persistent.connection.execute("ROLLBACK")
