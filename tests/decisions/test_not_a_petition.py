"""Filing with the judge a decision that needs no court says so, whatever state it is in."""

from __future__ import annotations

import pytest

from oversight.decisions import services as workflow
from oversight.decisions.models import DecisionEvent
from oversight.kit.errors import Conflict
from tests.factories import World, add_person, make_case, submitted

pytestmark = pytest.mark.django_db


def test_a_recognition_is_not_a_petition(world: World) -> None:
    case = make_case(world)
    recognition = submitted(case, "recognition_as_suspect", subject=add_person(case))
    events = DecisionEvent.objects.count()

    with pytest.raises(Conflict, match="is not a petition to the investigating judge"):
        workflow.petition_court(recognition.pk, actor=world.bolat)

    assert DecisionEvent.objects.count() == events


def test_an_agreed_search_petition_is_filed(world: World) -> None:
    petition = submitted(make_case(world), "search_petition")
    workflow.agree_decision(petition.pk, actor=world.bolat)

    assert workflow.petition_court(petition.pk, actor=world.bolat).state == "petitioned"
