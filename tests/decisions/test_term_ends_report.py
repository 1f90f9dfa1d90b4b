"""`manage.py term_ends_report` lists the running terms whose stored end the rule no longer gives."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from oversight.decisions import services as workflow
from oversight.law import KAZAKHSTAN
from oversight.register.models import Case
from tests.factories import World, make_case, submitted

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 9, 7, 10, tzinfo=dt.timezone(dt.timedelta(hours=5)))


def resumed(world: World) -> Case:
    """Registered on Mon 7 Sep, interrupted an hour later, resumed after 40 days: ends Thu 17 Dec."""
    with time_machine.travel(MONDAY, tick=False):
        case = make_case(world)
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        workflow.agree_decision(submitted(case, "interruption_of_terms").pk, actor=world.bolat)
    with time_machine.travel(MONDAY + dt.timedelta(days=40), tick=False):
        workflow.resume_terms(case.pk, actor=world.aigerim, reason="The suspect was found")
    return Case.objects.get(pk=case.pk)


def report() -> str:
    out = StringIO()
    with time_machine.travel(MONDAY + dt.timedelta(days=41), tick=False):
        call_command("term_ends_report", stdout=out)
    return out.getvalue()


def test_an_end_stored_by_the_old_rule_is_listed_beside_the_rules_and_nothing_is_written(world: World) -> None:
    old = resumed(world)
    fresh = resumed(world)
    assert fresh.term_ends_at == KAZAKHSTAN.end_of_day(dt.date(2026, 12, 17))
    # Before the fix the weekend its end was moved over (Sat 7 to Mon 9 Nov) was counted again: Mon 21 Dec.
    Case.objects.filter(pk=old.pk).update(term_ends_at=KAZAKHSTAN.end_of_day(dt.date(2026, 12, 21)))

    lines = report().splitlines()

    assert lines == [
        f"{old.erdr_number}  last day stored 2026-12-21  by the rule 2026-12-17  -4 days",
        "1 of 2 resumed or extended terms differ from the rule",
    ]
    assert Case.objects.get(pk=old.pk).term_ends_at == KAZAKHSTAN.end_of_day(dt.date(2026, 12, 21))


def test_a_term_that_came_back_run_out_is_compared_and_not_listed(world: World) -> None:
    with time_machine.travel(MONDAY, tick=False):
        case = make_case(world)
    assert case.term_ends_at is not None
    with time_machine.travel(case.term_ends_at + dt.timedelta(days=2), tick=False):
        workflow.agree_decision(submitted(case, "interruption_of_terms").pk, actor=world.bolat)
    with time_machine.travel(case.term_ends_at + dt.timedelta(days=9), tick=False):
        workflow.resume_terms(case.pk, actor=world.aigerim, reason="The expert examination is back")

    assert report().splitlines() == ["0 of 1 resumed or extended terms differ from the rule"]
