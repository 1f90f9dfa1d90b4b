"""The case card tells a clock met in time from one its act closed after the limit, and says how late."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from oversight.decisions import services as workflow
from oversight.register.models import Participant
from tests.factories import World, draft, make_case, suspect
from tests.web.test_monitoring_pages import in_english
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db
ASTANA = dt.timezone(dt.timedelta(hours=5))
DETAINED = dt.datetime(2026, 11, 14, 19, 31, tzinfo=ASTANA)
RELEASED = dt.datetime(2026, 12, 1, 8, 26, tzinfo=ASTANA)


def detained_then_released(world: World, released: dt.datetime) -> Participant:
    """Tokayeva is detained at 19:31 on 14 November; the 48-hour clock is due at 19:31 on the 16th."""
    with time_machine.travel(DETAINED - dt.timedelta(hours=8), tick=False):
        case = make_case(world)
        person = suspect(case, world, last_name="Tokayeva")
    with time_machine.travel(DETAINED + dt.timedelta(minutes=40), tick=False):
        content = {"detained_at": DETAINED.isoformat(), "grounds": "Caught at the scene"}
        workflow.submit_decision(draft(case, "detention", subject=person, content=content).pk, actor=world.aigerim)
    with time_machine.travel(released, tick=False):
        workflow.release_person(case.pk, actor=world.bolat, participant_id=person.pk, reason="Held unlawfully")
    return person


def detention_line(world: World, person: Participant, at: dt.datetime) -> str:
    in_english(world.bolat)
    with time_machine.travel(at, tick=False):
        page = signed_in(world.bolat).get(f"/cases/{person.case_id}/").content.decode()
    found = re.search(r"<li><strong>Detention</strong> — Tokayeva Arman.*?</li>", page, re.DOTALL)
    assert found, page
    return found.group(0)


def test_bolat_sees_a_detention_released_two_weeks_late_as_late_and_by_how_much(world: World) -> None:
    person = detained_then_released(world, RELEASED)
    line = detention_line(world, person, RELEASED + dt.timedelta(minutes=5))
    closed_late = "Closed late 2026-12-01 08:26 (due 2026-11-16 19:31): late by 14 d 12 h"
    assert f'<span class="due late">{closed_late}</span>' in line
    assert "Met" not in line


def test_bolat_sees_a_detention_released_in_time_as_met(world: World) -> None:
    released = DETAINED + dt.timedelta(hours=47, minutes=30)
    person = detained_then_released(world, released)
    line = detention_line(world, person, released + dt.timedelta(minutes=5))
    assert "Met 2026-11-16 19:01 (due 2026-11-16 19:31)" in line
    assert "late" not in line
