"""A person is under one preventive measure at a time: the one the judge grants replaces the one running."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.decisions import services as workflow
from oversight.decisions.models import Deadline, LegalEffect
from oversight.register.models import Participant
from tests.factories import World, draft, granted, make_case, submitted, suspect

pytestmark = pytest.mark.django_db


def running(person: Participant) -> set[str]:
    return set(LegalEffect.objects.filter(participant=person, ended_at__isnull=True).values_list("kind", flat=True))


def open_clocks(person: Participant) -> set[str]:
    return set(Deadline.objects.filter(participant=person, status="open").values_list("clock", flat=True))


def test_custody_granted_to_a_person_under_house_arrest_ends_the_house_arrest(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    house_arrest = granted(world, case, "house_arrest_petition", person)

    custody = granted(world, case, "custody_petition", person)

    house_arrest.refresh_from_db()
    assert house_arrest.ended_at == custody.started_at
    assert "person_becomes_suspect" in running(person)
    assert running(person) - {"person_becomes_suspect"} == {"custody_in_force"}
    assert custody.data["replaced"] == ["house_arrest_in_force"]
    assert open_clocks(person) == {"custody", "custody_extension_petition"}
    assert Deadline.objects.get(participant=person, clock="house_arrest").status == "cleared"


def test_bail_frees_a_person_in_custody(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    custody = granted(world, case, "custody_petition", person)

    bail = granted(world, case, "bail_petition", person)

    custody.refresh_from_db()
    assert custody.ended_at == bail.started_at
    assert running(person) - {"person_becomes_suspect"} == {"bail_set"}
    assert open_clocks(person) == set()
    assert bail.data == {"amount": 2_000_000, "replaced": ["custody_in_force"]}


def test_bail_ends_a_detention_and_its_clock(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    submitted(
        case,
        "detention",
        subject=person,
        content={"detained_at": (timezone.now() - dt.timedelta(hours=5)).isoformat(), "grounds": "Caught"},
    )
    assert "person_detained" in running(person)

    bail = granted(world, case, "bail_petition", person)

    assert running(person) - {"person_becomes_suspect"} == {"bail_set"}
    assert Deadline.objects.get(participant=person, clock="detention").status == "met"
    assert "replaced" not in bail.data


def test_house_arrest_after_a_detention_runs_from_the_moment_of_detention(world: World) -> None:
    """As custody does (CPC art. 151): the hours already held count towards the term (CPC art. 146)."""
    case = make_case(world)
    person = suspect(case, world)
    detained_at = timezone.now() - dt.timedelta(hours=20)
    content = {"detained_at": detained_at.isoformat(), "grounds": "Caught at the scene"}
    workflow.submit_decision(draft(case, "detention", subject=person, content=content).pk, actor=world.aigerim)

    house_arrest = granted(world, case, "house_arrest_petition", person)

    clock = Deadline.objects.get(participant=person, clock="house_arrest")
    assert clock.started_at == detained_at
    assert house_arrest.ends_at == clock.due_at
    assert Deadline.objects.get(participant=person, clock="detention").status == "met"
