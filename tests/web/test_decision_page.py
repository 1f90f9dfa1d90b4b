"""The decision page names the clock behind its due date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.html import escape

from oversight.decisions import services as workflow
from oversight.decisions.forms import DecisionForm
from oversight.decisions.states import State
from oversight.law import KAZAKHSTAN, rulebook_in_force
from tests.factories import World, draft, granted, make_case, submitted, suspect
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


def test_an_extension_above_the_case_prosecutors_level_is_shown_to_them_with_who_reviews_it(world: World) -> None:
    """Nine months needs a regional office (CPC art. 192): the district prosecutor is told so, not offered
    buttons that the workflow would refuse; the regional senior prosecutor is offered them."""
    decision = submitted(make_case(world), "extension_of_terms", content={"total_months": 9, "grounds": "Audit"})

    district = signed_in(world.bolat).get(f"/decisions/{decision.pk}/")
    regional = signed_in(world.saule).get(f"/decisions/{decision.pk}/")

    assert district.context["may_review"] is False
    assert 'id="agree"' not in district.content.decode()
    assert "reviewed by a prosecutor of a regional office or above (CPC art. 192)" in district.content.decode()
    assert regional.context["may_review"] is True
    assert 'id="agree"' in regional.content.decode()
    assert 'id="reviewer-needed"' not in regional.content.decode()


def test_an_agreement_below_the_level_is_refused_in_the_readers_language_and_changes_nothing(world: World) -> None:
    decision = submitted(make_case(world), "extension_of_terms", content={"total_months": 9, "grounds": "Audit"})
    world.bolat.preferred_language = "ru"
    world.bolat.save(update_fields=["preferred_language"])
    client = signed_in(world.bolat)

    response = client.post(f"/decisions/{decision.pk}/agree/", follow=True)

    assert (
        "Действовать по этому решению может только прокурор областной прокуратуры или выше (ст. 192 УПК)."
        in response.content.decode()
    )
    decision.refresh_from_db()
    assert decision.state == State.SUBMITTED
    assert not decision.events.filter(code="decision.agreed").exists()


def test_a_pending_extension_shows_the_end_it_gives_the_term_and_the_agreement_gives_exactly_that(world: World) -> None:
    case = make_case(world)
    decision = submitted(case, "extension_of_terms", content={"total_months": 5, "grounds": "Audit"})

    page = signed_in(world.bolat).get(f"/decisions/{decision.pk}/")

    projection = page.context["projection"]
    assert projection.now == case.term_ends_at
    assert projection.then > projection.now
    assert 'id="projected-end"' in page.content.decode()
    workflow.agree_decision(decision.pk, actor=world.bolat)
    case.refresh_from_db()
    assert case.term_ends_at == projection.then
    after = signed_in(world.bolat).get(f"/decisions/{decision.pk}/")
    assert after.context["projection"] is None, "in force, the case card says when the term ends"


def test_a_pending_custody_extension_shows_the_end_it_gives_the_custody(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    custody = granted(world, case, "custody_petition", person)
    extension = submitted(case, "custody_extension_petition", subject=person)

    projection = signed_in(world.bolat).get(f"/decisions/{extension.pk}/").context["projection"]

    assert projection.now == custody.ends_at
    workflow.agree_decision(extension.pk, actor=world.bolat)
    workflow.petition_court(extension.pk, actor=world.bolat)
    workflow.grant_sanction(extension.pk, actor=world.erlan)
    custody.refresh_from_db()
    assert custody.ends_at == projection.then > projection.now


def test_a_decision_that_extends_nothing_projects_nothing(world: World) -> None:
    decision = submitted(make_case(world), "search_petition")

    assert signed_in(world.bolat).get(f"/decisions/{decision.pk}/").context["projection"] is None


def test_an_extension_that_would_be_refused_projects_nothing(world: World) -> None:
    """Two months in total is the term the case already has: no end is shown for an extension that extends nothing."""
    decision = draft(make_case(world), "extension_of_terms", content={"total_months": 2, "grounds": "Audit"})

    assert signed_in(world.aigerim).get(f"/decisions/{decision.pk}/").context["projection"] is None


def test_the_projection_counts_the_days_the_terms_stood_still(world: World) -> None:
    start = dt.datetime(2026, 9, 7, 10, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    with time_machine.travel(start, tick=False):
        case = make_case(world)
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        workflow.agree_decision(submitted(case, "interruption_of_terms").pk, actor=world.bolat)
    with time_machine.travel(start + dt.timedelta(days=40), tick=False):
        workflow.resume_terms(case.pk, actor=world.aigerim, reason="The suspect was found")
        extension = submitted(case, "extension_of_terms", content={"total_months": 3, "grounds": "Audit"})
        projection = signed_in(world.bolat).get(f"/decisions/{extension.pk}/").context["projection"]
        workflow.agree_decision(extension.pk, actor=world.bolat)
    case.refresh_from_db()
    # 3 months from Mon 7 Sep: Mon 7 Dec; stood still 40 days: Sat 16 Jan, moved to Mon 18 Jan.
    assert projection.then == case.term_ends_at == KAZAKHSTAN.end_of_day(dt.date(2027, 1, 18))


def test_an_agreed_petition_above_the_case_prosecutors_level_is_filed_by_the_higher_office(world: World) -> None:
    """Custody extended to 8 months is the regional office's to agree and to file (CPC art. 151): once
    Saule agreed it, the district prosecutor is told the filing is hers, and is offered no button."""
    case = make_case(world)
    person = suspect(case, world)
    granted(world, case, "custody_petition", person)
    extension = submitted(
        case, "custody_extension_petition", subject=person, content={"total_months": 8, "grounds": "Examinations"}
    )
    workflow.agree_decision(extension.pk, actor=world.saule)

    district = signed_in(world.bolat).get(f"/decisions/{extension.pk}/")
    regional = signed_in(world.saule).get(f"/decisions/{extension.pk}/")

    assert district.context["may_petition"] is False
    assert "The petition is filed with the judge by a prosecutor of a regional office or above" in (
        district.content.decode()
    )
    assert regional.context["may_petition"] is True
