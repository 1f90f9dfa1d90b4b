"""The decision page names the clock behind its due date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from oversight.decisions import services as workflow
from oversight.decisions.forms import DecisionForm
from oversight.decisions.states import State
from oversight.law import rulebook_in_force
from tests.factories import World, make_case, submitted, suspect
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def test_an_agreed_custody_petition_shows_the_detention_it_must_beat(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    detained_at = timezone.now() - dt.timedelta(hours=20)
    submitted(
        case,
        "detention",
        subject=person,
        content={"detained_at": detained_at.isoformat(), "grounds": "Caught in the act"},
    )
    petition = workflow.agree_decision(submitted(case, "custody_petition", subject=person).pk, actor=world.bolat)
    assert petition.state == State.AGREED

    page = signed_in(world.bolat).get(f"/decisions/{petition.pk}/")

    assert page.status_code == 200
    assert page.context["due_title"] == "Detention"
    assert '<p class="card">Detention: ' in page.content.decode()


def test_a_submitted_decision_shows_its_review_clock(world: World) -> None:
    decision = submitted(make_case(world), "search_petition")

    page = signed_in(world.bolat).get(f"/decisions/{decision.pk}/")

    assert page.context["due_title"]
    assert f'<p class="card">{escape(page.context["due_title"])}: ' in page.content.decode()


def test_the_interruption_form_tells_the_legal_ground_from_the_reasoning() -> None:
    interruption = rulebook_in_force(timezone.now()).decision_type("interruption_of_terms")
    with translation.override("ru"):
        form = DecisionForm(interruption, [])
        labels = [str(field.label) for field in form.fields.values()]

    assert "Основание по закону" in labels
    assert "Обоснование" in labels
    assert len(set(labels)) == len(labels)


def test_after_a_return_only_the_revision_returned_is_listed_as_earlier(world: World) -> None:
    decision = submitted(make_case(world), "interruption_of_terms")
    workflow.return_decision(decision.pk, actor=world.bolat, reason="Attach the wanted-list order")

    html = signed_in(world.aigerim).get(f"/decisions/{decision.pk}/").content.decode()

    earlier = html.split("Earlier revisions", 1)[1].split("</ul>", 1)[0]
    assert "Revision 1:" in earlier
    assert "Revision 2:" not in earlier
    assert "The decision (revision 2)" in html
