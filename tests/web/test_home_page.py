"""The home page: what awaits the user, and for a head of unit what their investigators must rework."""

from __future__ import annotations

import pytest

from oversight.decisions import services as workflow
from tests.factories import World, make_case, submitted
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def test_the_head_of_unit_sees_the_units_returned_and_refused_decisions(world: World) -> None:
    returned = submitted(make_case(world), "interruption_of_terms")
    workflow.return_decision(returned.pk, actor=world.bolat, reason="Attach the wanted-list order")
    refused = submitted(make_case(world), "search_petition")
    workflow.refuse_decision(refused.pk, actor=world.bolat, reason="No grounds to expect the goods there")
    still_waiting = submitted(make_case(world), "search_petition")

    page = signed_in(world.nurlan).get("/")

    shown = [decision.pk for decision, _title in page.context["unit_setbacks"]]
    assert sorted(shown) == sorted([returned.pk, refused.pk])
    assert still_waiting.pk not in shown
    html = page.content.decode()
    assert "Attach the wanted-list order" in html
    assert "Nothing awaits your act" not in html


def test_a_prosecutor_elsewhere_sees_nothing_of_the_unit(world: World) -> None:
    returned = submitted(make_case(world), "interruption_of_terms")
    workflow.return_decision(returned.pk, actor=world.bolat, reason="Attach the wanted-list order")

    page = signed_in(world.dana).get("/")

    assert page.context["unit_setbacks"] == []
    assert "Attach the wanted-list order" not in page.content.decode()
    assert "Nothing awaits your act" in page.content.decode()
