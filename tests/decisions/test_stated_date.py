"""A decision is dated within its case: not before the case was registered, not in the future."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.decisions import services as workflow
from oversight.decisions.models import Decision
from oversight.kit.errors import Invalid
from tests.factories import CONTENT, World, draft, make_case

pytestmark = pytest.mark.django_db


def test_a_draft_dated_before_its_case_was_registered_is_refused_and_nothing_is_written(world: World) -> None:
    case = make_case(world)
    before = Decision.objects.count()

    with pytest.raises(Invalid) as refused:
        workflow.draft_decision(
            case.pk,
            actor=world.aigerim,
            kind="interruption_of_terms",
            content=dict(CONTENT["interruption_of_terms"]),
            stated_date=dt.date(1990, 1, 1),
        )

    assert list(refused.value.errors) == ["stated_date"]
    assert "before its case was registered" in refused.value.errors["stated_date"]
    assert Decision.objects.count() == before


def test_an_edit_cannot_move_the_date_before_the_case_either(world: World) -> None:
    case = make_case(world)
    decision = draft(case, "interruption_of_terms")

    with pytest.raises(Invalid) as refused:
        workflow.edit_decision(
            decision.pk,
            actor=world.aigerim,
            content=dict(CONTENT["interruption_of_terms"]),
            stated_date=case.registered_at.date() - dt.timedelta(days=3),
        )

    assert list(refused.value.errors) == ["stated_date"]
    assert Decision.objects.get(pk=decision.pk).stated_date == decision.stated_date


def test_the_day_of_registration_is_a_valid_date(world: World) -> None:
    case = make_case(world)
    registered = timezone.localtime(case.registered_at).date()

    decision = workflow.draft_decision(
        case.pk,
        actor=world.aigerim,
        kind="interruption_of_terms",
        content=dict(CONTENT["interruption_of_terms"]),
        stated_date=registered,
    )

    assert decision.stated_date == registered
