"""One decision of a kind per person, or per case, awaits its approvals at a time."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from oversight.decisions import services as workflow
from oversight.decisions.models import Decision, DecisionEvent
from oversight.decisions.states import State
from oversight.kit.errors import Conflict
from tests.factories import World, add_person, draft, make_case, submitted

pytestmark = pytest.mark.django_db


def test_a_second_recognition_of_the_same_person_waits_until_the_first_is_decided(world: World) -> None:
    case = make_case(world)
    person = add_person(case)
    first = submitted(case, "recognition_as_suspect", subject=person)
    second = draft(case, "recognition_as_suspect", subject=person)
    events = DecisionEvent.objects.count()

    with pytest.raises(Conflict) as refused:
        workflow.submit_decision(second.pk, actor=world.aigerim)

    assert f"No. {first.pk}" in refused.value.detail
    assert refused.value.field == "subject_id"
    second.refresh_from_db()
    assert second.state == State.DRAFT
    assert DecisionEvent.objects.count() == events  # nothing written

    workflow.refuse_decision(first.pk, actor=world.bolat, reason="No evidence links the person to the theft")
    assert workflow.submit_decision(second.pk, actor=world.aigerim).state == State.SUBMITTED


def test_recognitions_of_two_people_and_two_searches_may_wait_side_by_side(world: World) -> None:
    case = make_case(world)
    submitted(case, "recognition_as_suspect", subject=add_person(case))
    other = submitted(case, "recognition_as_suspect", subject=add_person(case, last_name="Omarov"))
    submitted(case, "search_petition")
    another = submitted(case, "search_petition", content={"place": "Garage 4", "grounds": "Stolen goods"})

    assert other.state == State.SUBMITTED
    assert another.state == State.SUBMITTED


def test_a_second_interruption_of_the_same_case_is_a_conflict(world: World) -> None:
    case = make_case(world)
    submitted(case, "interruption_of_terms")
    second = draft(case, "interruption_of_terms")

    with pytest.raises(Conflict) as refused:
        workflow.submit_decision(second.pk, actor=world.aigerim)

    assert case.erdr_number in refused.value.detail
    assert Decision.objects.get(pk=second.pk).state == State.DRAFT


def test_the_api_answers_409_naming_the_subject(world: World) -> None:
    case = make_case(world)
    person = add_person(case)
    submitted(case, "recognition_as_suspect", subject=person)
    second = draft(case, "recognition_as_suspect", subject=person)

    response = Client().post(
        f"/api/decisions/{second.pk}/submit",
        data=json.dumps({}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token(world.aigerim)}"},
    )

    assert response.status_code == 409
    body = response.json()
    assert body["errors"][0]["field"] == "subject_id"
    assert Decision.objects.get(pk=second.pk).state == State.DRAFT


def test_the_rulebook_api_says_which_types_wait_one_at_a_time_and_in_which_case_statuses(world: World) -> None:
    response = Client().get("/api/rulebook", headers={"Authorization": f"Bearer {world.token(world.bolat)}"})

    assert response.status_code == 200
    types = {t["code"]: t for t in response.json()["decision_types"]}
    assert types["recognition_as_suspect"]["one_pending_at_a_time"] is True
    assert types["custody_petition"]["one_pending_at_a_time"] is True
    assert types["search_petition"]["one_pending_at_a_time"] is False
    assert types["custody_extension_petition"]["case_statuses"] == ["completed", "interrupted", "under_investigation"]
    assert types["search_petition"]["case_statuses"] == ["interrupted", "under_investigation"]
