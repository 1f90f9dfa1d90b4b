"""The API reports a clock closed by its act after the limit as late, and documents the value."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from oversight.decisions import services as workflow
from tests.factories import World, draft, make_case, suspect

pytestmark = pytest.mark.django_db


def test_the_case_shows_a_detention_released_past_48_hours_as_late_and_one_in_time_as_met(world: World) -> None:
    case = make_case(world)
    held, freed = suspect(case, world), suspect(case, world, last_name="Tokayeva")
    for person, hours_ago in ((held, 60), (freed, 5)):
        content = {"detained_at": (timezone.now() - dt.timedelta(hours=hours_ago)).isoformat(), "grounds": "Caught"}
        workflow.submit_decision(draft(case, "detention", subject=person, content=content).pk, actor=world.aigerim)
        workflow.release_person(case.pk, actor=world.bolat, participant_id=person.pk, reason="Released")

    response = Client().get(f"/api/cases/{case.pk}", headers={"Authorization": f"Bearer {world.token(world.bolat)}"})

    assert response.status_code == 200
    detention = {d["participant_id"]: d for d in response.json()["deadlines"] if d["clock"] == "detention"}
    assert detention[held.pk]["status"] == "late"
    assert detention[freed.pk]["status"] == "met"
    closed, due = (dt.datetime.fromisoformat(detention[held.pk][key]) for key in ("closed_at", "due_at"))
    assert closed - due > dt.timedelta(hours=11), "held 60 hours against a limit of 48"


def test_the_openapi_document_lists_late_among_the_deadline_statuses() -> None:
    document = Client().get("/api/openapi.json").json()
    status = document["components"]["schemas"]["DeadlineOut"]["properties"]["status"]
    assert status["enum"] == ["open", "met", "late", "cleared"]
