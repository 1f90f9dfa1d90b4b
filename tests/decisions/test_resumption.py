"""Resuming interrupted terms (CPC art. 45 p. 7): the term runs on with the time it had left."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from oversight.accounts.models import User
from oversight.accounts.services import grant_role
from oversight.decisions import services as workflow
from oversight.decisions.models import LegalEffect
from oversight.kit.errors import Conflict, Forbidden, Invalid, NotFound
from oversight.law import KAZAKHSTAN, deadline_for, rulebook_in_force
from oversight.law.roles import Role
from oversight.monitoring import services as monitor
from oversight.monitoring.models import Finding
from oversight.register.models import Case, CaseEvent, CaseStatus
from tests.factories import World, make_case, submitted, suspect

pytestmark = pytest.mark.django_db
ASTANA = dt.timezone(dt.timedelta(hours=5))
MONDAY = dt.datetime(2026, 9, 7, 10, 0, tzinfo=ASTANA)


def interrupted(world: World, at: dt.datetime = MONDAY) -> Case:
    """A case registered at `at`, whose terms the prosecutor agreed to interrupt an hour later."""
    with time_machine.travel(at, tick=False):
        case = make_case(world)
    with time_machine.travel(at + dt.timedelta(hours=1), tick=False):
        workflow.agree_decision(submitted(case, "interruption_of_terms").pk, actor=world.bolat)
    case.refresh_from_db()
    assert case.status == CaseStatus.INTERRUPTED
    return case


def test_the_term_runs_on_from_the_resumption_with_the_time_it_had_left(world: World) -> None:
    with time_machine.travel(MONDAY, tick=False):
        ends_before = make_case(world).term_ends_at
    case = interrupted(world)
    assert ends_before is not None
    assert case.term_ends_at is None
    left = ends_before - (MONDAY + dt.timedelta(hours=1))

    resumed_at = MONDAY + dt.timedelta(days=40, hours=3)
    with time_machine.travel(resumed_at, tick=False):
        returned = workflow.resume_terms(case.pk, actor=world.aigerim, reason="The suspect was found in Karaganda")

    case.refresh_from_db()
    assert returned.pk == case.pk
    assert case.status == CaseStatus.UNDER_INVESTIGATION
    assert case.interrupted_at is None
    # 2 months from Mon 7 Sep: Sat 7 Nov, moved to Mon 9 Nov; stood still from 7 Sep to 17 Oct, 40 days:
    # Thu 17 Dec (from Sat 7 Nov, not from the Monday it had been moved to), at 24:00 Astana time.
    assert ends_before == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 9))
    assert case.term_ends_at == KAZAKHSTAN.end_of_day(dt.date(2026, 12, 17))
    assert case.last_act_at == resumed_at
    interruption = LegalEffect.objects.get(case=case, kind="terms_interrupted")
    assert interruption.ended_at == resumed_at, "the interruption is over, and its record says when"
    event = CaseEvent.objects.get(case=case, code="case.terms_resumed")
    assert (event.actor, event.at) == (world.aigerim, resumed_at)
    assert event.data["reason"] == "The suspect was found in Karaganda"
    assert event.data["remaining_seconds"] == left.total_seconds()
    assert event.data["interruption"] == interruption.decision_id


def test_a_resumed_case_can_be_interrupted_again_and_the_monitor_counts_every_interruption(world: World) -> None:
    case = interrupted(world)
    limit = rulebook_in_force(MONDAY).monitor
    assert limit is not None
    for cycle in range(limit.max_interruptions.value):
        at = MONDAY + dt.timedelta(days=10 * (cycle + 1))
        with time_machine.travel(at, tick=False):
            workflow.resume_terms(case.pk, actor=world.aigerim, reason=f"Lead number {cycle + 1}")
        with time_machine.travel(at + dt.timedelta(hours=2), tick=False):
            workflow.agree_decision(submitted(case, "interruption_of_terms").pk, actor=world.bolat)
    assert LegalEffect.objects.filter(case=case, kind="terms_interrupted", ended_at__isnull=True).count() == 1
    assert CaseEvent.objects.filter(case=case, code="case.terms_resumed").count() == limit.max_interruptions.value
    monitor.sweep()
    assert Finding.objects.filter(case=case, rule="repeated_interruptions").count() == 1


def test_an_extension_after_a_resumption_adds_the_time_the_terms_stood_still(world: World) -> None:
    case = interrupted(world)
    resumed_at = MONDAY + dt.timedelta(days=40, hours=1)
    with time_machine.travel(resumed_at, tick=False):
        workflow.resume_terms(case.pk, actor=world.aigerim, reason="The suspect was found")
    with time_machine.travel(resumed_at + dt.timedelta(days=5), tick=False):
        extension = submitted(case, "extension_of_terms", content={"total_months": 3, "grounds": "Audit pending"})
        workflow.agree_decision(extension.pk, actor=world.bolat)
    case.refresh_from_db()
    # 3 months from Mon 7 Sep: Mon 7 Dec; stood still 40 days (7 Sep to 17 Oct): Sat 16 Jan, moved to Mon 18.
    assert case.term_total_months == 3
    assert deadline_for("investigation_term.pre_trial_investigation", case.term_started_at, amount=3) == (
        KAZAKHSTAN.end_of_day(dt.date(2026, 12, 7))
    )
    assert case.term_ends_at == KAZAKHSTAN.end_of_day(dt.date(2027, 1, 18))


def test_a_term_that_had_run_out_comes_back_run_out(world: World) -> None:
    """Interrupting after the term lapsed hides the lapse; resuming shows it again, to the monitor too."""
    with time_machine.travel(MONDAY, tick=False):
        case = make_case(world)
    term_end = case.term_ends_at
    assert term_end is not None
    with time_machine.travel(term_end + dt.timedelta(days=2), tick=False):
        workflow.agree_decision(submitted(case, "interruption_of_terms").pk, actor=world.bolat)
    with time_machine.travel(term_end + dt.timedelta(days=30), tick=False):
        workflow.resume_terms(case.pk, actor=world.aigerim, reason="The expert examination is back")
        case.refresh_from_db()
        assert case.term_ends_at == term_end, "it ran out when it ran out, not a second time"
        monitor.sweep()
    finding = Finding.objects.get(case=case, rule="investigation_term_expired")
    assert finding.occurred_at == term_end


def test_a_supervising_prosecutor_resumes_terms_by_cancelling_the_interruption(world: World) -> None:
    case = interrupted(world)
    workflow.resume_terms(case.pk, actor=world.bolat, reason="The interruption had no ground: the suspect is known")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.UNDER_INVESTIGATION
    assert CaseEvent.objects.get(case=case, code="case.terms_resumed").actor == world.bolat


def unchanged(case: Case) -> bool:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.status == CaseStatus.INTERRUPTED
        and not CaseEvent.objects.filter(case=case, code="case.terms_resumed").exists()
        and LegalEffect.objects.get(case=case, kind="terms_interrupted").ended_at is None
    )


def test_a_reason_is_required_and_its_absence_writes_nothing(world: World) -> None:
    case = interrupted(world)
    with pytest.raises(Invalid) as raised:
        workflow.resume_terms(case.pk, actor=world.aigerim, reason="  ")
    assert raised.value.errors == {"reason": "a reason is required"}
    assert unchanged(case)


def test_only_an_interrupted_case_is_resumed(world: World) -> None:
    case = make_case(world)
    with pytest.raises(Conflict, match="are not interrupted"):
        workflow.resume_terms(case.pk, actor=world.aigerim, reason="Nothing to resume")
    case = interrupted(world)
    workflow.resume_terms(case.pk, actor=world.aigerim, reason="Found")
    with pytest.raises(Conflict, match="are not interrupted"):
        workflow.resume_terms(case.pk, actor=world.aigerim, reason="Found twice")
    assert CaseEvent.objects.filter(case=case, code="case.terms_resumed").count() == 1


def test_who_may_resume(world: World) -> None:
    case = interrupted(world)
    for outsider in (world.ruslan, world.dana, world.erlan, world.asel, world.admin):
        with pytest.raises(NotFound):
            workflow.resume_terms(case.pk, actor=outsider, reason="Not mine to resume")
    colleague = User.objects.create_user(username="timur", password=None, last_name="Timurov")
    grant_role(colleague, Role.INVESTIGATOR, world.astana_unit)
    with pytest.raises(NotFound):  # an investigator of the unit reaches only the cases assigned to them
        workflow.resume_terms(case.pk, actor=colleague, reason="Not my case")
    assert unchanged(case)
    workflow.resume_terms(case.pk, actor=world.nurlan, reason="The head of unit resumes it")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.UNDER_INVESTIGATION


def test_a_judge_who_reaches_the_case_through_a_petition_may_not_resume_it(world: World) -> None:
    with time_machine.travel(MONDAY, tick=False):
        case = make_case(world)
        petition = submitted(case, "custody_petition", subject=suspect(case, world))
        workflow.agree_decision(petition.pk, actor=world.bolat)
        workflow.petition_court(petition.pk, actor=world.bolat)
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        workflow.agree_decision(submitted(case, "interruption_of_terms").pk, actor=world.bolat)
    with pytest.raises(Forbidden, match="resumes its terms"):
        workflow.resume_terms(case.pk, actor=world.erlan, reason="A judge does not resume terms")
    assert unchanged(case)
