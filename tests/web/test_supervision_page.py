"""The supervision page counts what waits on an office's prosecutors, not what waits on the judge."""

from __future__ import annotations

import pytest

from oversight.accounts.services import grant_role
from oversight.decisions import services as workflow
from oversight.decisions.states import State
from oversight.law.roles import Role
from tests.factories import World, make_case, submitted
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def test_petitions_with_the_judge_are_not_the_offices_backlog(world: World) -> None:
    waiting_review = submitted(make_case(world), "search_petition")
    to_be_filed = submitted(make_case(world), "search_petition")
    workflow.agree_decision(to_be_filed.pk, actor=world.bolat)
    with_the_judge = submitted(make_case(world), "search_petition")
    workflow.agree_decision(with_the_judge.pk, actor=world.bolat)
    workflow.petition_court(with_the_judge.pk, actor=world.bolat)
    with_the_judge.refresh_from_db()
    assert with_the_judge.state == State.PETITIONED

    page = signed_in(world.saule).get("/supervision/")

    assert page.status_code == 200
    district = next(row for row in page.context["rows"] if row["office"] == world.astana_district)
    assert district["size"] == 2  # the review and the agreed petition to file; not the one before the judge
    listed = [decision.pk for decision, _title in page.context["oldest"]]
    assert sorted(listed) == sorted([waiting_review.pk, to_be_filed.pk])


def test_the_head_of_unit_sees_what_waits_for_the_prosecutor(world: World) -> None:
    submitted(make_case(world), "search_petition")
    with_the_judge = submitted(make_case(world), "search_petition")
    workflow.agree_decision(with_the_judge.pk, actor=world.bolat)
    workflow.petition_court(with_the_judge.pk, actor=world.bolat)

    page = signed_in(world.nurlan).get("/supervision/")

    assert page.status_code == 200
    aigerim = next(person for person in page.context["investigators"] if person.pk == world.aigerim.pk)
    assert aigerim.waiting == 1


def test_the_head_of_unit_counts_only_the_work_done_in_their_unit(world: World) -> None:
    """An investigator who also works in another unit: what they do there is none of this head's business."""
    grant_role(world.ruslan, Role.INVESTIGATOR, world.astana_unit)
    elsewhere = make_case(world, investigator=world.ruslan)
    assert elsewhere.unit_id == world.almaty_unit.pk
    submitted(elsewhere, "search_petition")
    here = make_case(world, investigator=world.ruslan, unit=world.astana_unit)
    submitted(here, "search_petition")

    page = signed_in(world.nurlan).get("/supervision/")

    ruslan = [person for person in page.context["investigators"] if person.pk == world.ruslan.pk]
    assert [(person.open_cases, person.waiting) for person in ruslan] == [(1, 1)], "the Astana case and draft only"

    # The head also holds a prosecutor's grant in the office that supervises the Almaty unit, so reaches
    # its cases: still not this page's figures, which are about the head's own unit.
    grant_role(world.nurlan, Role.PROSECUTOR, world.almaty_district)
    page = signed_in(world.nurlan).get("/supervision/")
    ruslan = [person for person in page.context["investigators"] if person.pk == world.ruslan.pk]
    assert [(person.open_cases, person.waiting) for person in ruslan] == [(1, 1)]


def test_the_list_puts_the_soonest_deadline_first(world: World) -> None:
    later = submitted(make_case(world), "search_petition")
    sooner = submitted(make_case(world), "search_petition")
    assert later.submitted_at is not None
    type(sooner).objects.filter(pk=sooner.pk).update(due_at=later.submitted_at)  # due before the other

    page = signed_in(world.saule).get("/supervision/")

    assert [decision.pk for decision, _title in page.context["oldest"]] == [sooner.pk, later.pk]
