"""What a prosecutor does with a finding: acknowledge it, resolve it by an act of response, or dismiss it.

And what happens when nobody does: after the rulebook's escalation threshold the finding goes to
the office above. Every story starts from one finding: Seitkali's recognition, left unreviewed by
bolat past its 24 hours, raised by the sweep at `RAISED`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from oversight.accounts.models import User
from oversight.accounts.services import grant_role
from oversight.kit.errors import Conflict, Forbidden, Invalid, NotFound
from oversight.law import rulebook_in_force
from oversight.law.roles import Role
from oversight.monitoring import services as monitor
from oversight.monitoring.models import Finding, Response
from tests.factories import World, person
from tests.monitoring import scenarios
from tests.monitoring.helpers import HOUR, MINUTE, MONDAY, at, sweep_at, the_finding

pytestmark = pytest.mark.django_db

RAISED = MONDAY + dt.timedelta(hours=24) + MINUTE


@pytest.fixture
def finding(world: World) -> Finding:
    scenarios.overdue_review(world)
    sweep_at(RAISED)
    return the_finding("review_overdue")


def unchanged(finding: Finding) -> None:
    stored = Finding.objects.get(pk=finding.pk)
    assert (stored.status, stored.response, stored.note) == (finding.status, finding.response, finding.note)
    assert (stored.acknowledged_by, stored.closed_by) == (finding.acknowledged_by, finding.closed_by)


# --- the lifecycle ------------------------------------------------------------------------------------


@pytest.mark.parametrize("response", Response.values)
def test_bolat_acknowledges_the_finding_then_resolves_it_by_an_act_of_response(
    world: World, finding: Finding, response: str
) -> None:
    with at(RAISED + HOUR):
        acknowledged = monitor.acknowledge_finding(finding.pk, actor=world.bolat)
    assert acknowledged.status == "acknowledged"
    assert (acknowledged.acknowledged_by, acknowledged.acknowledged_at) == (world.bolat, RAISED + HOUR)

    with at(RAISED + 2 * HOUR):
        monitor.resolve_finding(finding.pk, actor=world.bolat, response=response, note="  Act No. 12 of 3 February  ")

    resolved = Finding.objects.get(pk=finding.pk)
    assert (resolved.status, resolved.response, resolved.note) == ("resolved", response, "Act No. 12 of 3 February")
    assert (resolved.closed_by, resolved.closed_at) == (world.bolat, RAISED + 2 * HOUR)
    assert (resolved.acknowledged_by, resolved.acknowledged_at) == (world.bolat, RAISED + HOUR)


def test_resolving_an_open_finding_acknowledges_it_at_the_same_time(world: World, finding: Finding) -> None:
    with at(RAISED + HOUR):
        monitor.resolve_finding(finding.pk, actor=world.saule, response="instruction", note="Instruction to review")
    resolved = Finding.objects.get(pk=finding.pk)
    assert resolved.status == "resolved"
    assert (resolved.acknowledged_by, resolved.acknowledged_at) == (world.saule, RAISED + HOUR)
    assert (resolved.closed_by, resolved.closed_at) == (world.saule, RAISED + HOUR)


def test_a_finding_is_dismissed_with_its_reason(world: World, finding: Finding) -> None:
    with at(RAISED + HOUR):
        monitor.dismiss_finding(finding.pk, actor=world.bolat, reason=" The review was given on paper in time ")
    dismissed = Finding.objects.get(pk=finding.pk)
    assert (dismissed.status, dismissed.response) == ("dismissed", "")
    assert dismissed.note == "The review was given on paper in time"
    assert (dismissed.closed_by, dismissed.closed_at) == (world.bolat, RAISED + HOUR)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_dismissal_without_a_reason_is_invalid_naming_reason_and_writes_nothing(
    world: World, finding: Finding, reason: str
) -> None:
    with pytest.raises(Invalid) as raised:
        monitor.dismiss_finding(finding.pk, actor=world.bolat, reason=reason)
    assert set(raised.value.errors) == {"reason"}
    unchanged(finding)


@pytest.mark.parametrize(
    ("response", "note", "fields"),
    [
        ("apology", "Instruction No. 12", {"response"}),
        ("", "Instruction No. 12", {"response"}),
        ("instruction", "", {"note"}),
        ("instruction", "  \n ", {"note"}),
        ("apology", "", {"response", "note"}),
    ],
)
def test_a_resolution_with_an_unknown_response_or_no_note_is_invalid_naming_the_field(
    world: World, finding: Finding, response: str, note: str, fields: set[str]
) -> None:
    with pytest.raises(Invalid) as raised:
        monitor.resolve_finding(finding.pk, actor=world.bolat, response=response, note=note)
    assert set(raised.value.errors) == fields
    unchanged(finding)


Verb = Callable[[int, User], Finding]
VERBS: dict[str, Verb] = {
    "acknowledge": lambda pk, actor: monitor.acknowledge_finding(pk, actor=actor),
    "resolve": lambda pk, actor: monitor.resolve_finding(pk, actor=actor, response="protest", note="Protest No. 4"),
    "dismiss": lambda pk, actor: monitor.dismiss_finding(pk, actor=actor, reason="Recorded on paper"),
}


@pytest.mark.parametrize("closing", ["resolve", "dismiss"])
@pytest.mark.parametrize("verb", list(VERBS))
def test_acting_on_a_closed_finding_is_a_conflict(world: World, finding: Finding, closing: str, verb: str) -> None:
    VERBS[closing](finding.pk, world.bolat)
    closed = Finding.objects.get(pk=finding.pk)
    with pytest.raises(Conflict):
        VERBS[verb](finding.pk, world.saule)
    unchanged(closed)


def test_acknowledging_twice_is_a_conflict(world: World, finding: Finding) -> None:
    monitor.acknowledge_finding(finding.pk, actor=world.bolat)
    with pytest.raises(Conflict):
        monitor.acknowledge_finding(finding.pk, actor=world.saule)
    assert Finding.objects.get(pk=finding.pk).acknowledged_by == world.bolat


@pytest.mark.parametrize("verb", list(VERBS))
def test_a_prosecutor_of_another_region_gets_not_found_and_changes_nothing(
    world: World, finding: Finding, verb: str
) -> None:
    assert not Finding.objects.visible_to(world.dana).exists()
    with pytest.raises(NotFound):
        VERBS[verb](finding.pk, world.dana)
    unchanged(finding)


@pytest.mark.parametrize("verb", list(VERBS))
@pytest.mark.parametrize("who", ["aigerim", "nurlan", "ruslan", "erlan", "asel", "admin", "kamila"])
def test_nobody_but_a_prosecutor_answers_a_finding(world: World, finding: Finding, verb: str, who: str) -> None:
    actor = getattr(world, who)
    with pytest.raises((Forbidden, NotFound)):
        VERBS[verb](finding.pk, actor)
    unchanged(finding)


@pytest.mark.parametrize("verb", list(VERBS))
def test_a_finding_that_does_not_exist_is_not_found(world: World, finding: Finding, verb: str) -> None:
    with pytest.raises(NotFound):
        VERBS[verb](finding.pk + 1000, world.bolat)


def test_the_supervising_office_and_the_offices_above_it_see_the_finding(world: World, finding: Finding) -> None:
    for who in ("bolat", "saule", "gulnara"):
        assert list(Finding.objects.visible_to(getattr(world, who))) == [finding], who
    for who in ("dana", "aigerim", "erlan", "asel", "admin"):
        assert not Finding.objects.visible_to(getattr(world, who)).exists(), who


# --- escalation ---------------------------------------------------------------------------------------

ESCALATION = dt.timedelta(hours=rulebook_in_force(MONDAY).monitor.escalation_hours.value)  # type: ignore[union-attr]


@pytest.fixture
def timur(world: World) -> User:
    """A prosecutor of the Astana city office, the office above bolat's; not a senior prosecutor."""
    user = person("timur", "Timurov", "Timur")
    grant_role(user, Role.PROSECUTOR, world.astana_office)
    return user


def test_escalation_threshold_is_the_rulebooks_24_hours() -> None:
    assert dt.timedelta(hours=24) == ESCALATION


def test_an_open_finding_unacknowledged_for_24_hours_goes_to_the_office_above(
    world: World, finding: Finding, timur: User
) -> None:
    assert finding.office == world.astana_district
    assert not Finding.objects.visible_to(timur).exists(), "the city office sees only its own findings"

    sweep_at(RAISED + ESCALATION)
    assert Finding.objects.get(pk=finding.pk).escalated_to is None, "not before the full 24 hours"

    sweep_at(RAISED + ESCALATION + MINUTE)
    escalated = Finding.objects.get(pk=finding.pk)
    assert escalated.escalated_to == world.astana_office
    assert escalated.escalated_at == RAISED + ESCALATION + MINUTE
    assert escalated.status == "open"
    assert list(Finding.objects.visible_to(timur)) == [escalated]
    assert list(Finding.objects.visible_to(world.saule)) == [escalated]
    assert not Finding.objects.visible_to(world.dana).exists()

    with at(RAISED + ESCALATION + HOUR):
        monitor.acknowledge_finding(finding.pk, actor=timur)
    assert Finding.objects.get(pk=finding.pk).acknowledged_by == timur


def test_an_escalated_finding_keeps_its_first_escalation(world: World, finding: Finding) -> None:
    sweep_at(RAISED + ESCALATION + MINUTE)
    sweep_at(RAISED + 3 * ESCALATION)
    escalated = Finding.objects.get(pk=finding.pk)
    assert (escalated.escalated_to, escalated.escalated_at) == (world.astana_office, RAISED + ESCALATION + MINUTE)


@pytest.mark.parametrize("verb", list(VERBS))
def test_a_finding_answered_in_time_is_not_escalated(world: World, finding: Finding, verb: str, timur: User) -> None:
    with at(RAISED + ESCALATION - MINUTE):
        VERBS[verb](finding.pk, world.bolat)
    sweep_at(RAISED + 2 * ESCALATION)
    answered = Finding.objects.get(pk=finding.pk)
    assert (answered.escalated_to, answered.escalated_at) == (None, None)
    assert not Finding.objects.visible_to(timur).exists()


def test_a_finding_is_not_escalated_by_the_very_sweep_that_raised_it(world: World) -> None:
    """A sweep judged as of an instant ahead of the wall clock (a dry run, a generated register's `as_of`).

    The finding is dated by the wall clock (`detected_at`) but escalation measures 24 hours back from
    the instant judged, so a finding raised as of three days ahead is escalated at once.
    """
    scenarios.overdue_review(world)
    with at(RAISED):
        monitor.sweep(now=RAISED + 3 * ESCALATION)
    raised = the_finding("review_overdue")
    assert (raised.escalated_to, raised.escalated_at) == (None, None)


def test_evaluating_one_case_raises_its_findings_but_escalates_nothing(world: World, finding: Finding) -> None:
    assert finding.case is not None
    sweep_at(RAISED + 2 * ESCALATION, case_ids=[finding.case.pk])
    assert Finding.objects.get(pk=finding.pk).escalated_to is None
    sweep_at(RAISED + 2 * ESCALATION)
    assert Finding.objects.get(pk=finding.pk).escalated_to == world.astana_office
