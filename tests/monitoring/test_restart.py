"""The acceptance point: a sweep stopped for six simulated hours and restarted raises each missed finding once.

T is Thursday 5 February 2026, 20:00 in Astana. The sweep runs at T, is down until T+6h, then runs
at T+6h, again at T+6h and at T+7h. Between T and T+6h clocks run out one after another: a detention
(T+1h), a review (T+2h), a qualification's announcement (T+3h), at midnight (T+4h) a participant's
petition, an investigation term and a custody term, a judge's ruling (T+5h), a case's thirty idle days
(T+5h30). Some of those clocks are even met late while the sweep is down: the violation happened,
and the restarted sweep must still see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db.models import Count

from oversight.decisions import services as workflow
from oversight.law.violations import RULES
from oversight.monitoring.models import Finding, SweepRun
from oversight.register import services as register
from oversight.register.models import ParticipantPetition
from tests.factories import World, submitted
from tests.monitoring import scenarios
from tests.monitoring.helpers import (
    ASTANA,
    DAY,
    HOUR,
    MINUTE,
    assert_facts,
    at,
    findings,
    opened_case,
    petition_extension,
    sanction_custody,
    sweep_at,
    the_finding,
)

pytestmark = pytest.mark.django_db

T = dt.datetime(2026, 2, 5, 20, 0, tzinfo=ASTANA)
MIDNIGHT = dt.datetime(2026, 2, 6, 0, 0, tzinfo=ASTANA)  # T+4h: where day and month terms end
assert MIDNIGHT == T + 4 * HOUR


def judge_ruling_due(world: World, due: dt.datetime) -> scenarios.Broken:
    """A search petition bolat files with erlan's court 24 hours before `due`."""
    case = opened_case(world, due - DAY)
    with at(due - DAY):
        petition = submitted(case, "search_petition")
        workflow.agree_decision(petition.pk, actor=world.bolat)
        workflow.petition_court(petition.pk, actor=world.bolat)
    facts = {"decision": petition.pk, "kind": "search_petition", "clock": "sanction_decision", "due_at": due}
    return scenarios.Broken("review_overdue", due + MINUTE, due, facts, case, petition)


def clocks_running_out_while_the_sweep_is_down(world: World) -> list[scenarios.Broken]:
    return [
        scenarios.detention_beyond_48_hours(world, T + HOUR - 2 * DAY),
        scenarios.overdue_review(world, T + 2 * HOUR - DAY),
        scenarios.qualification_not_announced(world, T + 2 * HOUR - DAY),
        scenarios.petition_left_undecided(world, dt.datetime(2026, 2, 2, 9, 0, tzinfo=ASTANA)),
        scenarios.investigation_term_run_out(world, dt.datetime(2025, 12, 5, 9, 0, tzinfo=ASTANA)),
        scenarios.custody_run_out(world, dt.datetime(2025, 12, 5, 9, 0, tzinfo=ASTANA)),
        judge_ruling_due(world, T + 5 * HOUR),
        scenarios.idle_for_thirty_days(world, T + 5 * HOUR + 30 * MINUTE - 30 * DAY),
    ]


def test_a_sweep_down_for_six_hours_raises_each_missed_finding_exactly_once(world: World) -> None:
    missed = clocks_running_out_while_the_sweep_is_down(world)
    assert all(T < broken.occurred_at <= T + 6 * HOUR for broken in missed)

    sweep_at(T)
    assert not Finding.objects.filter(occurred_at__gt=T).exists(), "nothing is raised before its clock runs out"
    before = set(Finding.objects.values_list("rule", "key"))
    assert before, "clocks that ran out before T (a custody petition due at midnight before) were raised at T"

    found = sweep_at(T + 6 * HOUR)

    raised = Finding.objects.filter(detected_at=T + 6 * HOUR)
    for broken in missed:
        assert_facts(raised.get(rule=broken.rule, case=broken.case, occurred_at=broken.occurred_at), broken.facts)
    assert sum(found.values()) == raised.count()
    assert all(T < finding.occurred_at <= T + 6 * HOUR for finding in raised)
    assert not set(raised.values_list("rule", "key")) & before, "what the sweep at T found is not found again"

    total = Finding.objects.count()
    assert sweep_at(T + 6 * HOUR) == {}
    assert sweep_at(T + 7 * HOUR) == {}
    assert Finding.objects.count() == total
    per_key = Finding.objects.values("rule", "key").annotate(times=Count("id"))
    assert {row["times"] for row in per_key} == {1}
    runs = list(SweepRun.objects.order_by("started_at", "pk").values_list("as_of", "found"))
    assert [as_of for as_of, _ in runs] == [T, T + 6 * HOUR, T + 6 * HOUR, T + 7 * HOUR]
    assert runs[1][1] == found
    assert runs[2][1] == runs[3][1] == {}
    # each full sweep says how long each rule's query took, so a slow rule can be found
    timed = SweepRun.objects.order_by("started_at", "pk").first()
    assert timed is not None
    assert set(timed.seconds) == {rule.code for rule in RULES}
    assert all(seconds >= 0 for seconds in timed.seconds.values())


def test_a_sweep_limited_to_some_cases_raises_only_theirs_and_the_full_sweep_does_not_repeat_them(
    world: World,
) -> None:
    missed = clocks_running_out_while_the_sweep_is_down(world)
    first, second = missed[0], missed[1]

    sweep_at(T + 6 * HOUR, case_ids=[first.the_case.pk])
    assert set(Finding.objects.values_list("case", flat=True)) == {first.the_case.pk}

    sweep_at(T + 6 * HOUR)
    assert Finding.objects.filter(rule=first.rule, case=first.case).count() == 1
    assert Finding.objects.filter(rule=second.rule, case=second.case).count() == 1


# --- clocks met late while the sweep was down -----------------------------------------------------------
# Each story lets a clock run out inside the window and returns the late act that ends the wait, still
# inside it. The act ends the wait, but the law was broken in between, and the sweep must raise it.


@dataclass(frozen=True)
class Late:
    broken: scenarios.Broken  # the clock, and the finding it must give
    act: Callable[[], object]  # what ends the wait, an hour after the clock ran out


def review_agreed_late(world: World) -> Late:
    broken = scenarios.overdue_review(world, T + HOUR - DAY)
    return Late(broken, lambda: workflow.agree_decision(broken.the_decision.pk, actor=world.bolat))


def qualification_announced_late(world: World) -> Late:
    broken = scenarios.qualification_not_announced(world, T - DAY)
    return Late(broken, lambda: workflow.announce_qualification(broken.the_decision.pk, actor=world.aigerim))


def petition_decided_late(world: World) -> Late:
    broken = scenarios.petition_left_undecided(world, dt.datetime(2026, 2, 2, 9, 0, tzinfo=ASTANA))
    petition = ParticipantPetition.objects.get(case=broken.case)
    return Late(
        broken, lambda: register.decide_petition(petition.pk, actor=world.aigerim, granted=False, answer="Not relevant")
    )


def detention_ended_late_by_custody(world: World) -> Late:
    broken = scenarios.detention_beyond_48_hours(world, T + HOUR - 2 * DAY)
    case, person = broken.the_case, broken.the_person
    with at(T - DAY):
        recognition = submitted(case, "recognition_as_suspect", subject=person)
        workflow.agree_decision(recognition.pk, actor=world.bolat)
    person.refresh_from_db()
    return Late(broken, lambda: sanction_custody(case, person, world, moment=broken.occurred_at + HOUR))


def custody_extension_filed_and_granted_late(world: World) -> Late:
    """Detained on 6 December: custody ends at 24:00 on 6 February, the petition is due 24 hours before.

    Filed and granted an hour late: the finding still names the custody end the petition was due against.
    """
    broken = scenarios.custody_extension_not_filed(world, dt.datetime(2025, 12, 6, 9, 0, tzinfo=ASTANA))
    assert (broken.occurred_at, broken.facts["custody_ends_at"]) == (MIDNIGHT, MIDNIGHT + DAY)

    def extend() -> None:
        extension = petition_extension(broken.the_case, broken.the_person, world, moment=MIDNIGHT + HOUR)
        workflow.grant_sanction(extension.pk, actor=world.erlan)

    return Late(broken, extend)


def custody_extended_late(world: World) -> Late:
    broken = scenarios.custody_run_out(world, dt.datetime(2025, 12, 5, 9, 0, tzinfo=ASTANA))
    assert broken.occurred_at == MIDNIGHT
    extension = petition_extension(broken.the_case, broken.the_person, world, moment=MIDNIGHT - 2 * DAY)
    return Late(broken, lambda: workflow.grant_sanction(extension.pk, actor=world.erlan))


def term_extended_late(world: World) -> Late:
    return _term_acted_on_late(world, "extension_of_terms")


def term_interrupted_late(world: World) -> Late:
    return _term_acted_on_late(world, "interruption_of_terms")


def _term_acted_on_late(world: World, kind: str) -> Late:
    broken = scenarios.investigation_term_run_out(world, dt.datetime(2025, 12, 5, 9, 0, tzinfo=ASTANA))
    assert broken.occurred_at == MIDNIGHT

    def act() -> None:
        decision = submitted(broken.the_case, kind)
        workflow.agree_decision(decision.pk, actor=world.bolat)

    return Late(broken, act)


LATE: list[Callable[[World], Late]] = [
    review_agreed_late,
    qualification_announced_late,
    petition_decided_late,
    detention_ended_late_by_custody,
    custody_extension_filed_and_granted_late,
    custody_extended_late,
    term_extended_late,
    term_interrupted_late,
]
LATE_IDS = [story.__name__ for story in LATE]


@pytest.mark.parametrize("story", LATE, ids=LATE_IDS)
def test_a_clock_met_late_while_the_sweep_was_down_is_still_raised_once(
    world: World, story: Callable[[World], Late]
) -> None:
    sweep_at(T)
    late = story(world)
    ran_out = late.broken.occurred_at
    assert T < ran_out < T + 5 * HOUR
    with at(ran_out + HOUR):
        late.act()

    sweep_at(T + 6 * HOUR)
    finding = the_finding(late.broken.rule)
    assert finding.occurred_at == ran_out
    assert (finding.case, finding.decision, finding.participant) == (
        late.broken.case,
        late.broken.decision,
        late.broken.participant,
    )
    assert_facts(finding, late.broken.facts)

    sweep_at(T + 7 * HOUR)
    assert findings(late.broken.rule) == [finding]


@pytest.mark.parametrize("story", LATE, ids=LATE_IDS)
def test_a_clock_raised_while_it_ran_is_not_raised_again_once_met_late(
    world: World, story: Callable[[World], Late]
) -> None:
    late = story(world)
    sweep_at(late.broken.occurred_at + MINUTE)
    raised = the_finding(late.broken.rule)
    with at(late.broken.occurred_at + HOUR):
        late.act()

    sweep_at(T + 6 * HOUR)
    assert findings(late.broken.rule) == [raised], "the late act describes the same fact under the same key"


@pytest.mark.parametrize("kind", ["completion_report", "termination"])
def test_a_term_that_ran_out_before_the_case_was_completed_or_terminated_is_still_raised(
    world: World, kind: str
) -> None:
    """The investigation ran past its term, then was closed an hour later while the sweep was down.

    Completion and termination clear `term_ends_at` and keep no record of the end they replaced (an
    extension keeps it as `previous_end`, an interruption as `remaining_seconds`), so no query can
    see that the term had already run out.
    """
    sweep_at(T)
    broken = scenarios.investigation_term_run_out(world, dt.datetime(2025, 12, 5, 9, 0, tzinfo=ASTANA))
    with at(MIDNIGHT + HOUR):
        decision = submitted(broken.the_case, kind)
        workflow.agree_decision(decision.pk, actor=world.bolat)

    sweep_at(T + 6 * HOUR)
    assert_facts(the_finding("investigation_term_expired"), broken.facts)
