"""Django's PostgreSQL backend, with a per-request health check that asks the socket first.

With `CONN_HEALTH_CHECKS`, Django checks a persistent connection before the first query of every
request by sending `SELECT 1`: one more round trip on every API call (0.15 ms of Python per request
here, measured in bench/README.md). A sound idle connection has nothing to read: the server speaks
only when asked. A connection the server ended (a restart, `pg_terminate_backend`, an idle timeout)
has its last message or the end of the stream waiting on the socket. So the socket is polled without
waiting; only a connection with something to read, or one psycopg already knows to be broken, gets
Django's own check (`SELECT 1`, and closing it if that fails). A peer gone without a word (a cable
pulled) is found by neither check until the query times out, so nothing is lost against `SELECT 1`.
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_done: bool  # Django's own attributes, which django-stubs does not declare

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.settings_dict["CONN_HEALTH_CHECKS"]
            and not self.health_check_done
            and not self.pool
            and quiet_and_idle(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()


def quiet_and_idle(connection: psycopg.Connection[Any]) -> bool:
    """Whether the connection is open, outside a transaction, and has nothing waiting to be read."""
    if connection.closed or connection.broken:
        return False
    pgconn = connection.pgconn
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    try:
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN)
        return not poller.poll(0)
    except (OSError, ValueError, psycopg.Error):
        return False
