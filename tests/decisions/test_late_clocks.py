"""A clock closed by the act it awaited is met only if the act came by its due time; after it, late."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from oversight.decisions import services as workflow
from oversight.decisions.models import Deadline, Decision
from oversight.register.models import Participant
from tests.factories import CONTENT, World, add_person, draft, make_case, submitted, suspect

pytestmark = pytest.mark.django_db
ASTANA = dt.timezone(dt.timedelta(hours=5))
SUBMITTED = dt.datetime(2026, 11, 27, 10, 0, tzinfo=ASTANA)


def recognition_agreed_after(world: World, hours: float) -> Deadline:
    """Aigerim submits a recognition as suspect; Bolat agrees `hours` later (the review clock is 24 h)."""
    with time_machine.travel(SUBMITTED, tick=False):
        case = make_case(world)
        decision = submitted(case, "recognition_as_suspect", subject=add_person(case))
    with time_machine.travel(SUBMITTED + dt.timedelta(hours=hours), tick=False):
        workflow.agree_decision(decision.pk, actor=world.bolat)
    return Deadline.objects.get(decision=decision, clock="suspect_recognition_review")


def test_a_review_agreed_within_24_hours_is_met(world: World) -> None:
    clock = recognition_agreed_after(world, 23)
    assert (clock.status, clock.closed_at) == ("met", SUBMITTED + dt.timedelta(hours=23))


def test_a_review_agreed_after_24_hours_is_late_not_met(world: World) -> None:
    clock = recognition_agreed_after(world, 25)
    assert (clock.status, clock.closed_at) == ("late", clock.due_at + dt.timedelta(hours=1))


def test_a_review_agreed_at_the_very_due_time_is_met(world: World) -> None:
    assert recognition_agreed_after(world, 24).status == "met"


def detained(world: World, hours_ago: float) -> Participant:
    """A person detained `hours_ago`, recorded by Aigerim's protocol; the detention clock runs 48 h."""
    case = make_case(world)
    person = suspect(case, world)
    detained_at = timezone.now() - dt.timedelta(hours=hours_ago)
    content = {"detained_at": detained_at.isoformat(), "grounds": "Caught at the scene"}
    workflow.submit_decision(draft(case, "detention", subject=person, content=content).pk, actor=world.aigerim)
    return person


def test_a_person_released_within_48_hours_has_the_detention_clock_met(world: World) -> None:
    person = detained(world, 10)
    workflow.release_person(person.case_id, actor=world.bolat, participant_id=person.pk, reason="No grounds to hold")
    assert Deadline.objects.get(participant=person, clock="detention").status == "met"


def test_a_person_released_past_48_hours_has_the_detention_clock_late(world: World) -> None:
    person = detained(world, 14 * 24 + 60)
    workflow.release_person(person.case_id, actor=world.bolat, participant_id=person.pk, reason="Held unlawfully")
    clock = Deadline.objects.get(participant=person, clock="detention")
    assert clock.status == "late"
    assert clock.closed_at is not None
    assert clock.closed_at - clock.due_at > dt.timedelta(days=14)


def test_one_act_closes_each_clock_by_its_own_due_time(world: World) -> None:
    """The release closes every restraint clock of the person at once: each is judged against its own limit."""
    person = detained(world, 50)
    workflow.release_person(person.case_id, actor=world.bolat, participant_id=person.pk, reason="Held unlawfully")
    other = detained(world, 1)
    workflow.release_person(other.case_id, actor=world.bolat, participant_id=other.pk, reason="Not needed")
    statuses = dict(Deadline.objects.filter(clock="detention").values_list("participant_id", "status"))
    assert statuses == {person.pk: "late", other.pk: "met"}


def qualification_in_force(world: World) -> Decision:
    with time_machine.travel(SUBMITTED, tick=False):
        case = make_case(world)
        person = suspect(case, world)
        qualification = draft(case, "qualification", subject=person, content=CONTENT["qualification"])
        workflow.submit_decision(qualification.pk, actor=world.aigerim)
        return workflow.agree_decision(qualification.pk, actor=world.bolat)


@pytest.mark.parametrize(("hours", "status"), [(2, "met"), (30, "late")])
def test_a_qualification_announced_after_24_hours_is_late(world: World, hours: int, status: str) -> None:
    qualification = qualification_in_force(world)
    with time_machine.travel(SUBMITTED + dt.timedelta(hours=hours), tick=False):
        workflow.announce_qualification(qualification.pk, actor=world.aigerim)
    assert Deadline.objects.get(decision=qualification, clock="qualification_announcement").status == status
