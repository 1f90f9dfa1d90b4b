"""GET /api/decisions/{id} tells an API client what a pending extension would make of the term."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from oversight.decisions import services as workflow
from tests.factories import World, make_case, submitted

pytestmark = pytest.mark.django_db


def get(world: World, decision_id: int) -> dict[str, object]:
    response = Client().get(
        f"/api/decisions/{decision_id}", headers={"Authorization": f"Bearer {world.token(world.bolat)}"}
    )
    assert response.status_code == 200, response.content
    body: dict[str, object] = response.json()
    return body


def test_a_pending_extension_names_the_end_it_would_give_and_the_agreement_gives_it(world: World) -> None:
    case = make_case(world)
    extension = submitted(case, "extension_of_terms", content={"total_months": 4, "grounds": "Audit pending"})

    projected = get(world, extension.pk)["projected_end"]

    assert isinstance(projected, dict)
    assert projected["now"] is not None
    assert dt.datetime.fromisoformat(str(projected["now"])) == case.term_ends_at
    workflow.agree_decision(extension.pk, actor=world.bolat)
    case.refresh_from_db()
    assert dt.datetime.fromisoformat(str(projected["then"])) == case.term_ends_at
    assert get(world, extension.pk)["projected_end"] is None


def test_a_decision_that_extends_nothing_has_no_projection(world: World) -> None:
    decision = submitted(make_case(world), "search_petition")

    assert get(world, decision.pk)["projected_end"] is None
