"""Idempotency keys are kept for IDEMPOTENCY_KEY_HOURS, then deleted with the answers kept with them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client, override_settings
from django.utils import timezone
from procrastinate.contrib.django import app

from oversight.api import idempotency
from oversight.api.models import IdempotencyRecord
from oversight.api.tasks import HOUSEKEEPING_QUEUE, purge_idempotency_keys
from oversight.monitoring.tasks import QUEUE as ACTS_QUEUE
from oversight.register.models import Case
from tests.factories import World

pytestmark = pytest.mark.django_db

REPORTED_AT = (timezone.now() - dt.timedelta(hours=1)).replace(microsecond=0).isoformat()


def register(world: World, key: str) -> tuple[int, Any]:
    """The same registration every time (a retry sends the very same request), under `key`."""
    body = {
        "unit_id": world.astana_unit.pk,
        "form": "pre_trial_investigation",
        "articles": [{"article": "188", "part": 2}],
        "reported_at": REPORTED_AT,
        "summary": "Theft from a parked car",
    }
    response = Client().post(
        "/api/cases",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token(world.aigerim)}", "Idempotency-Key": key},
    )
    return response.status_code, response.json()


def aged(key: str, hours: float) -> None:
    IdempotencyRecord.objects.filter(key=key).update(created_at=timezone.now() - dt.timedelta(hours=hours))


def test_keys_older_than_their_time_go_and_younger_ones_stay(world: World) -> None:
    lifetime = settings.IDEMPOTENCY_KEY_HOURS
    for key, hours in (("old", lifetime + 1), ("just-expired", lifetime + 0.01), ("young", lifetime - 0.5)):
        assert register(world, key)[0] == 201
        aged(key, hours)
    assert register(world, "now")[0] == 201

    assert idempotency.purge() == 2

    assert sorted(IdempotencyRecord.objects.values_list("key", flat=True)) == ["now", "young"]
    assert Case.objects.count() == 4, "the purge deletes keys, never what their requests did"


def test_within_its_time_a_key_replays_and_after_the_purge_it_runs_afresh(world: World) -> None:
    status, first = register(world, "retry-me")
    assert status == 201
    aged("retry-me", settings.IDEMPOTENCY_KEY_HOURS - 1)
    idempotency.purge()
    assert register(world, "retry-me") == (201, first), "replayed: the first answer, nothing new"
    assert Case.objects.count() == 1

    aged("retry-me", settings.IDEMPOTENCY_KEY_HOURS + 1)
    idempotency.purge()
    status, second = register(world, "retry-me")
    assert status == 201
    assert second["id"] != first["id"]
    assert Case.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_retry_that_meets_the_purge_between_claim_and_read_runs_afresh(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim finds the key; before its first answer is read, the hourly purge (another connection)
    deletes it and commits. The request is new again: it runs, and never answers 500."""
    status, first = register(world, "edge")
    assert status == 201
    aged("edge", settings.IDEMPOTENCY_KEY_HOURS + 1)
    read = idempotency.earlier_answer
    purger = connections.create_connection(DEFAULT_DB_ALIAS)

    def purged_first(user_id: int, key: str) -> IdempotencyRecord | None:
        cutoff = timezone.now() - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
        with purger.cursor() as cursor:  # autocommit: the deletion is committed when this returns
            cursor.execute(idempotency.PURGE, {"cutoff": cutoff, "batch": idempotency.PURGE_BATCH})
        return read(user_id, key)

    monkeypatch.setattr(idempotency, "earlier_answer", purged_first)
    try:
        status, second = register(world, "edge")
    finally:
        purger.close()
    assert status == 201
    assert second["id"] != first["id"]
    assert Case.objects.count() == 2
    assert json.loads(IdempotencyRecord.objects.get(key="edge").response)["id"] == second["id"]


@override_settings(IDEMPOTENCY_KEY_HOURS=1)
def test_the_purge_works_in_batches_until_nothing_old_is_left(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idempotency, "PURGE_BATCH", 2)
    for number in range(5):
        assert register(world, f"k{number}")[0] == 201
    IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))

    assert idempotency.purge() == 5
    assert not IdempotencyRecord.objects.exists()


def test_the_purge_runs_on_its_schedule_on_the_housekeeping_queue(world: World) -> None:
    periodic = {task.periodic_id: task for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["api.purge_idempotency_keys"].task is purge_idempotency_keys
    assert periodic["api.purge_idempotency_keys"].cron == settings.HOUSEKEEPING_CRON
    assert purge_idempotency_keys.queue == HOUSEKEEPING_QUEUE != ACTS_QUEUE
    assert register(world, "stale")[0] == 201
    aged("stale", settings.IDEMPOTENCY_KEY_HOURS + 1)
    assert purge_idempotency_keys(timestamp=0) == 1  # what the worker runs: the purge itself
    assert not IdempotencyRecord.objects.exists()
