"""Concurrent requests over HTTP, in real concurrent transactions.

DESIGN.md: two prosecutors acting on the same decision at once, exactly one wins and the other gets
a clear conflict; every write is idempotent under an `Idempotency-Key`. These tests commit (the
`transactional_db` fixture) and send requests from many threads at once, each with its own
database connection, so the row locks and the unique index do the work they do in production.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from oversight.api.models import IdempotencyRecord
from oversight.decisions.models import Decision, DecisionEvent, LegalEffect
from tests.factories import World, add_person, build_world, draft, make_case, submitted

pytestmark = pytest.mark.django_db(transaction=True)

PROBLEM = "application/problem+json"
REASON = "The evidence does not show involvement"


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    content_type: str
    replayed: str | None
    raw: bytes  # the body as sent


def post(token: str, path: str, body: dict[str, Any], *, key: str | None = None) -> Reply:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    response = Client().post(
        "/api" + path,
        data=json.dumps(body),
        content_type="application/json",
        **headers,  # type: ignore[arg-type]
    )
    return Reply(
        response.status_code,
        response.json(),
        response.headers.get("Content-Type", ""),
        response.headers.get("Idempotent-Replayed"),
        response.content,
    )


def race(count: int, request: Callable[[int], Reply]) -> list[Reply]:
    """Run `request(i)` in `count` threads released together; each thread closes its own connection."""
    barrier = threading.Barrier(count)
    replies: dict[int, Reply] = {}
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            replies[index] = request(index)
        except BaseException as error:  # reported in the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request never finished (deadlock?)"
    assert not failures, failures
    return [replies[index] for index in range(count)]


def decision_row(decision: Decision) -> dict[str, Any]:
    return dict(Decision.objects.filter(pk=decision.pk).values().get())


def assert_problem(reply: Reply, status: int) -> None:
    assert reply.status == status, reply
    assert reply.content_type.startswith(PROBLEM), reply
    assert reply.body["status"] == status, reply
    assert isinstance(reply.body["detail"], str), reply
    assert reply.body["detail"], reply


@pytest.fixture
def live_world(transactional_db: None) -> World:
    """The personas, committed, so that every thread's connection sees them."""
    return build_world()


@pytest.fixture
def recognition(live_world: World) -> Decision:
    """Aigerim's recognition of a witness as suspect, awaiting the prosecutor (bolat or saule)."""
    case = make_case(live_world)
    return submitted(case, "recognition_as_suspect", subject=add_person(case))


def test_of_fifty_prosecutors_agreeing_and_refusing_at_once_exactly_one_wins(
    live_world: World, recognition: Decision
) -> None:
    tokens = {"bolat": live_world.token(live_world.bolat), "saule": live_world.token(live_world.saule)}
    # Every combination of prosecutor and verb, interleaved.
    calls = [("bolat" if (i // 2) % 2 == 0 else "saule", "agree" if i % 2 == 0 else "refuse") for i in range(50)]

    def act(index: int) -> Reply:
        actor, verb = calls[index]
        body = {"comment": "Agreed"} if verb == "agree" else {"reason": REASON}
        return post(tokens[actor], f"/decisions/{recognition.pk}/{verb}", body)

    replies = race(50, act)

    assert Counter(reply.status for reply in replies) == {200: 1, 409: 49}, [r.status for r in replies]
    for reply in replies:
        if reply.status == 409:
            assert_problem(reply, 409)
            assert reply.body["code"] == "conflict"
    winner = next(index for index, reply in enumerate(replies) if reply.status == 200)
    actor, verb = calls[winner]
    recognition.refresh_from_db()
    expected_state = "in_force" if verb == "agree" else "refused"
    assert recognition.state == expected_state
    assert replies[winner].body["state"] == expected_state
    decided = DecisionEvent.objects.filter(decision=recognition, code__in=["decision.agreed", "decision.refused"])
    assert decided.count() == 1
    event = decided.get()
    assert event.code == {"agree": "decision.agreed", "refuse": "decision.refused"}[verb]
    assert event.actor == getattr(live_world, actor)
    assert (event.from_state, event.to_state) == ("submitted", expected_state)
    assert list(recognition.events.order_by("at", "pk").values_list("code", flat=True)) == [
        "decision.drafted",
        "decision.submitted",
        event.code,
    ]
    # A clear conflict: the losers read what was done, and by whom.
    done = f"{event.code.removeprefix('decision.')} by {event.actor.full_name()}"
    losers = [reply for reply in replies if reply.status == 409]
    assert all(done in reply.body["detail"] for reply in losers), (done, losers[0].body)


def test_a_replayed_request_returns_the_first_answer_and_changes_nothing(
    live_world: World, recognition: Decision
) -> None:
    bolat = live_world.token(live_world.bolat)
    path, body = f"/decisions/{recognition.pk}/agree", {"comment": "Agreed"}

    first = post(bolat, path, body, key="agree-7f3a")
    assert first.status == 200, first
    assert first.replayed is None
    row, events = decision_row(recognition), DecisionEvent.objects.count()

    again = post(bolat, path, body, key="agree-7f3a")
    assert (again.status, again.body) == (first.status, first.body)
    assert (again.raw, again.content_type) == (first.raw, first.content_type), "the same bytes, not only the same JSON"
    assert again.replayed == "true"
    assert decision_row(recognition) == row
    assert DecisionEvent.objects.count() == events
    assert IdempotencyRecord.objects.count() == 1

    # The same key for a different request is refused, naming the header, and changes nothing.
    other = post(bolat, path, {"comment": "Agreed, on reflection"}, key="agree-7f3a")
    assert_problem(other, 422)
    assert [error["field"] for error in other.body["errors"]] == ["Idempotency-Key"]
    assert decision_row(recognition) == row
    assert DecisionEvent.objects.count() == events
    assert IdempotencyRecord.objects.count() == 1

    # Keys belong to their user: saule's request under bolat's key is her own, and finds it decided.
    saule = post(live_world.token(live_world.saule), path, body, key="agree-7f3a")
    assert_problem(saule, 409)
    assert saule.replayed is None
    assert decision_row(recognition) == row


def test_twenty_replays_racing_the_first_call_all_get_its_answer(live_world: World, recognition: Decision) -> None:
    bolat = live_world.token(live_world.bolat)
    path, body = f"/decisions/{recognition.pk}/agree", {"comment": "Agreed"}

    replies = race(21, lambda _: post(bolat, path, body, key="agree-race"))

    assert {reply.status for reply in replies} == {200}, [(r.status, r.body) for r in replies]
    assert len({reply.raw for reply in replies}) == 1, "every replay sends the first answer's bytes"
    assert Counter(reply.replayed for reply in replies) == {None: 1, "true": 20}
    assert replies[0].body["state"] == "in_force"
    recognition.refresh_from_db()
    assert recognition.state == "in_force"
    assert DecisionEvent.objects.filter(decision=recognition, code="decision.agreed").count() == 1
    assert recognition.events.count() == 3
    assert IdempotencyRecord.objects.filter(key="agree-race").count() == 1

    # Afterwards the key still answers with the first reply.
    later = post(bolat, path, body, key="agree-race")
    assert (later.status, later.body, later.replayed) == (200, replies[0].body, "true")


def test_a_failed_request_leaves_no_idempotency_record(live_world: World, recognition: Decision) -> None:
    bolat = live_world.token(live_world.bolat)
    path = f"/decisions/{recognition.pk}/refuse"
    row, events = decision_row(recognition), DecisionEvent.objects.count()

    failed = post(bolat, path, {"reason": "   "}, key="refuse-1")
    assert_problem(failed, 422)
    assert [error["field"] for error in failed.body["errors"]] == ["reason"]
    assert not IdempotencyRecord.objects.exists()
    assert DecisionEvent.objects.count() == events
    assert decision_row(recognition) == row

    # Sent again, it runs again (nothing was stored to replay) and fails the same way.
    again = post(bolat, path, {"reason": "   "}, key="refuse-1")
    assert_problem(again, 422)
    assert again.replayed is None
    assert not IdempotencyRecord.objects.exists()

    # The key was not spent: the corrected request under it is carried out.
    fixed = post(bolat, path, {"reason": REASON}, key="refuse-1")
    assert fixed.status == 200, fixed
    assert fixed.body["state"] == "refused"
    assert IdempotencyRecord.objects.filter(key="refuse-1").count() == 1
    assert DecisionEvent.objects.filter(decision=recognition, code="decision.refused").count() == 1


def test_of_two_decisions_closing_one_case_at_once_only_one_takes_effect(live_world: World) -> None:
    """Decisions taking effect on the same case are applied one after the other (the case row is locked).

    A termination and a completion report may await the prosecutor side by side; five cases, each
    with the pair agreed at once by two prosecutors, give ten requests racing in pairs.
    """
    cases = [make_case(live_world) for _ in range(5)]
    decisions = [submitted(case, kind) for case in cases for kind in ("termination", "completion_report")]
    tokens = {"bolat": live_world.token(live_world.bolat), "saule": live_world.token(live_world.saule)}

    def agree(index: int) -> Reply:
        actor = "bolat" if index % 2 == 0 else "saule"
        return post(tokens[actor], f"/decisions/{decisions[index].pk}/agree", {"comment": "Agreed"})

    replies = race(len(decisions), agree)

    assert Counter(reply.status for reply in replies) == {200: 5, 409: 5}, [(r.status, r.body) for r in replies]
    for reply in replies:
        if reply.status == 409:
            assert_problem(reply, 409)
    for case in cases:
        case.refresh_from_db()
        in_force = list(Decision.objects.filter(case=case, state="in_force"))
        assert len(in_force) == 1, case
        assert case.status == {"termination": "terminated", "completion_report": "completed"}[in_force[0].kind]
        assert LegalEffect.objects.filter(case=case).count() == 1
        assert Decision.objects.filter(case=case, state="submitted").count() == 1


def test_of_twelve_recognitions_of_one_witness_submitted_at_once_only_one_awaits_the_prosecutor(
    live_world: World,
) -> None:
    """One recognition of a person awaits the prosecutor at a time: the submissions after the first are 409.

    One after the other this holds (the second finds the first awaiting review); at once, each
    submission must see the one before it, which the lock on the case row it takes guarantees.
    """
    case = make_case(live_world)
    witness = add_person(case)
    decisions = [draft(case, "recognition_as_suspect", subject=witness) for _ in range(12)]
    token = live_world.token(live_world.aigerim)

    def submit(index: int) -> Reply:
        return post(token, f"/decisions/{decisions[index].pk}/submit", {})

    replies = race(len(decisions), submit)

    assert Counter(reply.status for reply in replies) == {200: 1, 409: 11}, [(r.status, r.body) for r in replies]
    for reply in replies:
        if reply.status == 409:
            assert_problem(reply, 409)
            assert reply.body["errors"][0]["field"] == "subject_id"
    assert Decision.objects.filter(subject=witness, state="submitted").count() == 1
    assert Decision.objects.filter(subject=witness, state="draft").count() == 11
