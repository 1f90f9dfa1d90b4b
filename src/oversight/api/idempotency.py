"""Idempotency keys for every write: the first answer is stored in the change's own transaction.

A key is kept for `settings.IDEMPOTENCY_KEY_HOURS` at least; `purge` (the housekeeping queue's
hourly job, `api.tasks`) deletes older ones, so a request repeated after that runs afresh.

A request carrying `Idempotency-Key` inserts its key first (INSERT ... ON CONFLICT DO NOTHING), so
a concurrent twin waits on the unique index until the first commits, then reads its answer. A
failed request rolls back with its key, so retrying it runs it again; it had changed nothing.

The answer is written into the key's row at the end. When the request's gate (`api.guarded`) will
write the access-log row next, it asks for the answer as a rider of that row's statement
(`request.audit_riders`), so both go in one round trip; otherwise it is written at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from pydantic import BaseModel

from oversight.api.models import IdempotencyRecord
from oversight.kit import rows
from oversight.kit.errors import Conflict, Invalid

HEADER = "Idempotency-Key"
MAX_KEY = 200


def request_fingerprint(request: HttpRequest, operation: str) -> str:
    digest = hashlib.sha256()
    digest.update(operation.encode())
    digest.update(b"\0")
    digest.update(request.path.encode())
    digest.update(b"\0")
    digest.update(request.body or b"")
    return digest.hexdigest()


def respond_encoded(status: int, body: str, *, replayed: bool = False) -> HttpResponse:
    """An answer already written as JSON (by its schema, `model_dump_json`: UTF-8, names unescaped);
    a replay sends the same text again, byte for byte, and says so in `Idempotent-Replayed`."""
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def run_idempotent(
    request: HttpRequest,
    *,
    user_id: int,
    operation: str,
    status: int,
    schema: type[BaseModel],
    produce: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """Run `produce` once per (user, key) and answer with its body shaped by `schema`.

    Without a key, it simply runs in one transaction.
    """
    key = request.headers.get(HEADER)
    if key is None:
        with transaction.atomic(savepoint=False):
            return respond_encoded(status, schema.model_validate(produce()).model_dump_json())
    key = key.strip()
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise Invalid({HEADER: f"must be 1 to {MAX_KEY} printable characters"})
    fingerprint = request_fingerprint(request, operation)
    with transaction.atomic(savepoint=False):
        for _attempt in range(CLAIMS):
            inserted = _claim(user_id, key, operation, fingerprint)
            if inserted is not None:
                break
            earlier = earlier_answer(user_id, key)
            if earlier is not None:
                if earlier.request_hash != fingerprint:
                    raise Invalid({HEADER: "this key was already used for a different request"})
                return respond_encoded(earlier.status_code, earlier.response, replayed=True)
            # The key was there when claimed and gone when read: its time ran out and the purge took
            # it in between. The request is new again; claim the key afresh.
        else:  # purged between every claim and read: a client hammering an expiring key
            raise Conflict("this idempotency key is being retired right now; send the request again")
        # Written once: the answer's text, sent now and kept for a replay to send again.
        body = schema.model_validate(produce()).model_dump_json()
        answer = rows.Rider(ANSWER, {"answer_status": status, "answer_body": body, "answer_id": inserted})
        riders: list[rows.Rider] | None = getattr(request, "audit_riders", None)
        if riders is not None:
            riders.append(answer)  # written with the access-log row, in this transaction
        else:
            with connection.cursor() as cursor:
                cursor.execute(answer.sql, answer.params)
    return respond_encoded(status, body)


CLAIMS = 3  # a key found and then purged before it could be read is claimed again, at most this often


def _claim(user_id: int, key: str, operation: str, fingerprint: str) -> int | None:
    """Insert the key; its row's id, or None when the key is already there (then it is not locked: an
    earlier request's row that is still being written makes this wait until that request ends)."""
    with connection.cursor() as cursor:
        cursor.execute(CLAIM, [user_id, key, operation, fingerprint])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def earlier_answer(user_id: int, key: str) -> IdempotencyRecord | None:
    """The record of the key's first request, if it is still kept."""
    return IdempotencyRecord.objects.filter(user_id=user_id, key=key).first()


CLAIM = (
    f"INSERT INTO {IdempotencyRecord._meta.db_table} "  # noqa: S608 - table name from the model
    "(user_id, key, operation, request_hash, status_code, response, created_at) "
    "VALUES (%s, %s, %s, %s, 0, '', now()) "
    "ON CONFLICT (user_id, key) DO NOTHING RETURNING id"
)
ANSWER = (
    f"UPDATE {IdempotencyRecord._meta.db_table} SET status_code = %(answer_status)s, "  # noqa: S608 - table name from the model
    "response = %(answer_body)s WHERE id = %(answer_id)s"
)


PURGE_BATCH = 5_000


def purge(*, now: dt.datetime | None = None) -> int:
    """Delete the keys older than `settings.IDEMPOTENCY_KEY_HOURS`, with the answers kept with them, in
    batches of PURGE_BATCH rows, each its own transaction (no long lock on a table every write uses);
    return how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    purged = 0
    while True:
        with transaction.atomic(durable=True), connection.cursor() as cursor:
            cursor.execute(PURGE, {"cutoff": cutoff, "batch": PURGE_BATCH})
            deleted: int = cursor.rowcount
        purged += deleted
        if deleted < PURGE_BATCH:
            return purged


# The batch's ids found along the index on created_at, then deleted by their primary key.
PURGE = (
    f"DELETE FROM {IdempotencyRecord._meta.db_table} WHERE id = ANY(ARRAY("  # noqa: S608 - table name from the model
    f"SELECT id FROM {IdempotencyRecord._meta.db_table} WHERE created_at < %(cutoff)s LIMIT %(batch)s))"
)
