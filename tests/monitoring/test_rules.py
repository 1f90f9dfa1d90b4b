"""Each violation rule: the story that breaks it is raised once, with its facts; the closest lawful story is not.

The breaking stories live in `scenarios.py` (the restart and catalogue tests reuse them); the lawful ones sit here,
one or a few per rule, each a minute or a unit on the right side of the line the rule draws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

import pytest
from django.db import connection

from oversight.decisions import services as workflow
from oversight.decisions.models import Deadline, Decision, DecisionEvent, LegalEffect
from oversight.kit.errors import Conflict
from oversight.law import deadline_for
from oversight.law.violations import BY_CODE
from oversight.monitoring.models import Finding
from oversight.register import services as register
from oversight.register.models import Case, Participant
from tests.factories import CONTENT, World, draft, submitted, suspect
from tests.monitoring import scenarios
from tests.monitoring.helpers import (
    ASTANA,
    DAY,
    HOUR,
    MINUTE,
    MONDAY,
    assert_facts,
    at,
    detain,
    findings,
    open_clock,
    opened_case,
    person_in,
    petition_extension,
    sanction_custody,
    suspect_in,
    sweep_at,
    the_finding,
)
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rule", list(scenarios.SCENARIOS))
def test_a_broken_rule_is_raised_once_naming_the_case_the_decision_and_the_person(world: World, rule: str) -> None:
    broken = scenarios.SCENARIOS[rule](world)
    assert broken.rule == rule

    found = sweep_at(broken.sweep_at)

    finding = the_finding(rule)
    assert found[rule] == 1
    assert finding.case == broken.case
    assert finding.decision == broken.decision
    assert finding.participant == broken.participant
    assert finding.unit == broken.unit
    assert finding.office == world.astana_district, "the office supervising aigerim's unit must act"
    assert finding.occurred_at == broken.occurred_at
    assert finding.detected_at == broken.sweep_at
    assert (finding.severity, finding.status) == (BY_CODE[rule].severity.value, "open")
    assert finding.rulebook_version == "kz-2022"
    assert_facts(finding, broken.facts)


# --- review_overdue ---------------------------------------------------------------------------------


def submitted_recognition(world: World) -> Decision:
    case = opened_case(world)
    with at(MONDAY):
        return submitted(case, "recognition_as_suspect", subject=person_in(case, last_name="Seitkali"))


REVIEWS: dict[str, Callable[[World, Decision], Decision]] = {
    "agreed": lambda world, d: workflow.agree_decision(d.pk, actor=world.bolat),
    "refused": lambda world, d: workflow.refuse_decision(d.pk, actor=world.bolat, reason="No evidence"),
    "returned": lambda world, d: workflow.return_decision(d.pk, actor=world.bolat, reason="Name the CCTV"),
}


@pytest.mark.parametrize("review", list(REVIEWS))
def test_a_review_one_minute_before_its_deadline_is_not_overdue(world: World, review: str) -> None:
    recognition = submitted_recognition(world)
    due = MONDAY + dt.timedelta(hours=24)
    with at(due - MINUTE):
        REVIEWS[review](world, recognition)
    sweep_at(due + HOUR)
    assert findings("review_overdue") == []


def test_a_review_still_awaited_at_the_very_instant_of_its_deadline_is_not_yet_overdue(world: World) -> None:
    submitted_recognition(world)
    due = MONDAY + dt.timedelta(hours=24)
    sweep_at(due)
    assert findings("review_overdue") == []
    sweep_at(due + dt.timedelta(seconds=1))
    assert len(findings("review_overdue")) == 1


def awaiting_consent(world: World) -> tuple[Decision, str, dt.datetime]:
    """A member of parliament's recognition, agreed by bolat: the General Prosecutor has two days."""
    case = opened_case(world)
    with at(MONDAY):
        member = person_in(case, last_name="Seitkali", special_subject="member_of_parliament")
        recognition = submitted(case, "recognition_as_suspect", subject=member)
        workflow.agree_decision(recognition.pk, actor=world.bolat)
    # Two days after Monday, ending at 24:00 local time of Wednesday.
    return recognition, "special_subject_consent", dt.datetime(2026, 2, 5, 0, 0, tzinfo=ASTANA)


def before_the_judge(world: World) -> tuple[Decision, str, dt.datetime]:
    """A search petition filed by bolat with erlan's court: the judge has 24 hours."""
    case = opened_case(world)
    with at(MONDAY):
        petition = submitted(case, "search_petition")
        workflow.agree_decision(petition.pk, actor=world.bolat)
        workflow.petition_court(petition.pk, actor=world.bolat)
    return petition, "sanction_decision", MONDAY + dt.timedelta(hours=24)


@pytest.mark.parametrize("waiting", [awaiting_consent, before_the_judge], ids=["consent", "judge"])
def test_a_decision_waiting_past_the_consent_or_the_judges_clock_is_overdue_too(
    world: World, waiting: Callable[[World], tuple[Decision, str, dt.datetime]]
) -> None:
    decision, clock, due = waiting(world)
    sweep_at(due)
    assert findings("review_overdue") == []
    sweep_at(due + MINUTE)
    finding = the_finding("review_overdue")
    assert finding.decision == decision
    assert finding.facts["clock"] == clock
    assert dt.datetime.fromisoformat(finding.facts["due_at"]) == due


# --- report_registration_late -------------------------------------------------------------------------


def test_a_report_registered_exactly_24_hours_after_it_came_in_is_in_time(world: World) -> None:
    with at(MONDAY):
        register.register_case(
            actor=world.aigerim,
            unit_id=world.astana_unit.pk,
            form="pre_trial_investigation",
            articles=[register.ArticleInput("188", 2)],
            reported_at=MONDAY - dt.timedelta(hours=24),
        )
    sweep_at(MONDAY + HOUR)
    assert findings("report_registration_late") == []


# --- detention_over_limit -----------------------------------------------------------------------------


def detained_witness(world: World, *, exceptional_ground: str = "") -> tuple[Case, Decision]:
    case = opened_case(world)
    with at(MONDAY):
        person = person_in(case, last_name="Seitkali")
    return case, detain(case, person, detained_at=MONDAY, moment=MONDAY + HOUR, exceptional_ground=exceptional_ground)


def test_a_detention_at_47_hours_59_minutes_is_within_its_term(world: World) -> None:
    detained_witness(world)
    sweep_at(MONDAY + dt.timedelta(hours=47, minutes=59))
    assert findings("detention_over_limit") == []


def test_a_detention_at_71_hours_with_the_exception_recorded_is_within_its_term(world: World) -> None:
    detained_witness(world, exceptional_ground="Identity could not be established")
    sweep_at(MONDAY + dt.timedelta(hours=71))
    assert findings("detention_over_limit") == []


def test_the_exceptional_term_runs_out_at_72_hours(world: World) -> None:
    _, detention = detained_witness(world, exceptional_ground="Identity could not be established")
    sweep_at(MONDAY + dt.timedelta(hours=72) + MINUTE)
    finding = the_finding("detention_over_limit")
    assert finding.decision == detention
    assert dt.datetime.fromisoformat(finding.facts["due_at"]) == MONDAY + dt.timedelta(hours=72)


def test_custody_sanctioned_at_47_hours_59_minutes_ends_the_detention_in_time(world: World) -> None:
    case = opened_case(world)
    person = suspect_in(case, world, last_name="Seitkali", moment=MONDAY)
    detain(case, person, detained_at=MONDAY, moment=MONDAY + HOUR)
    sanction_custody(case, person, world, moment=MONDAY + dt.timedelta(hours=47, minutes=59))
    sweep_at(MONDAY + dt.timedelta(hours=49))
    assert findings("detention_over_limit") == []


def detained_member_of_parliament(world: World) -> Decision:
    """A special subject detained on Monday at 10:00; the protocol, submitted at 11:00, awaits consent."""
    case = opened_case(world)
    with at(MONDAY):
        person = person_in(case, last_name="Seitkali", special_subject="member_of_parliament")
    detention = detain(case, person, detained_at=MONDAY, moment=MONDAY + HOUR)
    assert detention.state == "awaiting_consent", "not in force before the General Prosecutor's consent"
    return detention


def test_a_special_subject_held_past_48_hours_while_consent_is_awaited_is_found(world: World) -> None:
    """The person is held from the moment in the protocol, whether or not the protocol is in force yet."""
    detention = detained_member_of_parliament(world)
    sweep_at(MONDAY + dt.timedelta(hours=47, minutes=59))
    assert findings("detention_over_limit") == []

    sweep_at(MONDAY + dt.timedelta(hours=48, minutes=1))
    finding = the_finding("detention_over_limit")
    assert (finding.decision, finding.participant) == (detention, detention.subject)
    assert dt.datetime.fromisoformat(finding.facts["due_at"]) == MONDAY + dt.timedelta(hours=48)
    assert finding.facts["person"].startswith("Seitkali")

    with at(MONDAY + dt.timedelta(hours=50)):  # consent comes late: the same violation, raised once
        assert workflow.consent_decision(detention.pk, actor=world.gulnara).state == "in_force"
    sweep_at(MONDAY + dt.timedelta(hours=51))
    assert the_finding("detention_over_limit") == finding


@pytest.mark.parametrize("hours", [47, 49])
def test_a_special_subjects_detention_refused_consent_after_its_term_is_found_however_late_the_sweep(
    world: World, hours: int
) -> None:
    detention = detained_member_of_parliament(world)
    with at(MONDAY + dt.timedelta(hours=hours)):
        workflow.refuse_consent(detention.pk, actor=world.gulnara, reason="No grounds to detain a deputy")
    sweep_at(MONDAY + dt.timedelta(days=5))  # the first sweep since: the wait is over, the fact is not
    assert len(findings("detention_over_limit")) == (1 if hours > 48 else 0)


def test_a_special_subjects_detention_consented_in_time_runs_its_term_like_any_other(world: World) -> None:
    detention = detained_member_of_parliament(world)
    with at(MONDAY + dt.timedelta(hours=30)):
        workflow.consent_decision(detention.pk, actor=world.gulnara)
    sweep_at(MONDAY + dt.timedelta(hours=47, minutes=59))
    assert findings("detention_over_limit") == []
    sweep_at(MONDAY + dt.timedelta(hours=48, minutes=1))
    assert the_finding("detention_over_limit").key == f"detention:{detention.pk}"


@pytest.mark.parametrize(("hours", "raised"), [(47, 0), (49, 1)])
def test_a_special_subject_released_while_consent_is_awaited_was_held_until_the_release(
    world: World, hours: int, raised: int
) -> None:
    """The release ends the holding, not the consent: one that comes later finds the detention over."""
    detention = detained_member_of_parliament(world)
    assert detention.subject is not None
    with at(MONDAY + dt.timedelta(hours=hours)):
        ended = workflow.release_person(
            detention.case_id, actor=world.aigerim, participant_id=detention.subject.pk, reason="Consent not in time"
        )
    assert ended == [], "no effect was in force"
    sweep_at(MONDAY + dt.timedelta(hours=60), case_ids=[detention.case_id])  # the evaluation after an act
    assert len(findings("detention_over_limit")) == raised

    with at(MONDAY + dt.timedelta(hours=70)):
        assert workflow.consent_decision(detention.pk, actor=world.gulnara).state == "in_force"
    effect = LegalEffect.objects.get(decision=detention, kind="person_detained")
    assert (effect.started_at, effect.ended_at) == (MONDAY, MONDAY + dt.timedelta(hours=hours))
    assert effect.data["released_before_consent"] is True
    assert not Deadline.objects.filter(decision=detention, clock="detention").exists(), "no clock for a past holding"
    sweep_at(MONDAY + dt.timedelta(days=4))
    assert len(findings("detention_over_limit")) == raised
    with at(MONDAY + dt.timedelta(hours=71)), pytest.raises(Conflict):
        workflow.release_person(
            detention.case_id, actor=world.aigerim, participant_id=detention.subject.pk, reason="Again"
        )


def test_a_release_from_something_else_does_not_end_a_later_detention(world: World) -> None:
    """A release ends the restraints then in force, and a protocol awaiting consent only if it names it:
    a detention recorded afterwards runs its own clock."""
    custody = in_custody(world)
    with at(MONDAY + 10 * DAY):
        workflow.release_person(custody.case.pk, actor=world.aigerim, participant_id=custody.person.pk, reason="Bail")
    detained = MONDAY + 10 * DAY - HOUR  # held again by the time the release was typed in
    detention = detain(custody.case, custody.person, detained_at=detained, moment=MONDAY + 10 * DAY + HOUR)
    effect = LegalEffect.objects.get(decision=detention, kind="person_detained")
    assert effect.ended_at is None
    assert Deadline.objects.get(decision=detention, clock="detention").status == "open"
    sweep_at(detained + dt.timedelta(hours=48, minutes=1))
    assert the_finding("detention_over_limit").decision == detention


def test_a_special_subject_detained_again_after_a_release_is_held_by_the_new_protocol(world: World) -> None:
    first = detained_member_of_parliament(world)
    assert first.subject is not None
    with at(MONDAY + 2 * HOUR):
        workflow.release_person(first.case_id, actor=world.aigerim, participant_id=first.subject.pk, reason="Freed")
        workflow.withdraw_decision(first.pk, actor=world.aigerim, reason="Released before the consent")
    again = MONDAY + 5 * HOUR
    second = detain(first.case, first.subject, detained_at=again, moment=again + HOUR)
    assert second.state == "awaiting_consent"

    card = signed_in(world.aigerim).get(f"/cases/{first.case_id}/").content.decode()
    assert f'id="release-held-{second.pk}"' in card, "held again, under the second protocol"
    assert f'id="release-held-{first.pk}"' not in card
    sweep_at(again + dt.timedelta(hours=48, minutes=1))
    assert the_finding("detention_over_limit").decision == second


def test_custody_sanctioned_while_the_detention_awaits_consent_ends_that_holding_and_counts_from_it(
    world: World,
) -> None:
    """The General Prosecutor consented to the custody petition and the judge granted it before the
    detention protocol's own consent came: the person is held under custody from then on, and its term
    counts from the moment of actual detention in the protocol (CPC art. 151)."""
    case = opened_case(world)
    with at(MONDAY):
        deputy = suspect(case, world, last_name="Mazhilisov", special_subject="member_of_parliament")
    detention = detain(case, deputy, detained_at=MONDAY, moment=MONDAY + HOUR)
    assert detention.state == "awaiting_consent"
    with at(MONDAY + 30 * HOUR):
        petition = submitted(case, "custody_petition", subject=deputy)
        workflow.agree_decision(petition.pk, actor=world.bolat)
        workflow.consent_decision(petition.pk, actor=world.gulnara)
        workflow.petition_court(petition.pk, actor=world.bolat)
        workflow.grant_sanction(petition.pk, actor=world.erlan)
    custody = LegalEffect.objects.get(decision=petition, kind="custody_in_force")
    assert custody.started_at == MONDAY, "custody counts from the detention in the protocol"
    card = signed_in(world.aigerim).get(f"/cases/{case.pk}/").content.decode()
    assert f'id="release-held-{detention.pk}"' not in card, "held under custody now, not the pending protocol"
    sweep_at(MONDAY + 60 * HOUR)
    assert findings("detention_over_limit") == []

    with at(MONDAY + 70 * HOUR):
        assert workflow.consent_decision(detention.pk, actor=world.gulnara).state == "in_force"
    held = LegalEffect.objects.get(decision=detention, kind="person_detained")
    assert (held.started_at, held.ended_at) == (MONDAY, MONDAY + 30 * HOUR)
    assert not Deadline.objects.filter(decision=detention, clock="detention").exists()
    sweep_at(MONDAY + 80 * HOUR)
    assert findings("detention_over_limit") == []


@pytest.mark.parametrize(("hours", "raised"), [(47, 0), (49, 1)])
def test_a_special_subjects_detention_withdrawn_after_its_term_is_found(world: World, hours: int, raised: int) -> None:
    detention = detained_member_of_parliament(world)
    with at(MONDAY + dt.timedelta(hours=hours)):
        workflow.withdraw_decision(detention.pk, actor=world.aigerim, reason="Released; the protocol is withdrawn")
    sweep_at(MONDAY + dt.timedelta(days=5), case_ids=[detention.case_id])
    assert len(findings("detention_over_limit")) == raised


def test_findings_raised_under_the_effects_key_take_the_protocols_and_are_not_raised_again(world: World) -> None:
    """monitoring migration 0006: before it, a detention's finding was keyed by its legal effect."""
    migration = import_module("oversight.monitoring.migrations.0006_detention_findings_keyed_by_protocol")
    _, detention = detained_witness(world)
    sweep_at(MONDAY + dt.timedelta(hours=49))
    effect = LegalEffect.objects.get(decision=detention, kind="person_detained")
    Finding.objects.filter(rule="detention_over_limit").update(key=f"effect:{effect.pk}")

    with connection.cursor() as cursor:
        cursor.execute(migration.TO_PROTOCOL)
    assert the_finding("detention_over_limit").key == f"detention:{detention.pk}"
    sweep_at(MONDAY + dt.timedelta(hours=50))
    assert len(findings("detention_over_limit")) == 1
    with connection.cursor() as cursor:
        cursor.execute(migration.TO_EFFECT)
    assert the_finding("detention_over_limit").key == f"effect:{effect.pk}"


# --- custody_extension_not_petitioned and custody_expired -------------------------------------------------


@dataclass(frozen=True)
class Custody:
    case: Case
    person: Participant
    effect: LegalEffect
    ends_at: dt.datetime


def in_custody(world: World) -> Custody:
    """Seitkali, suspect, detained on Monday at 10:00 and held in custody from 11:00 on erlan's sanction."""
    case = opened_case(world)
    person = suspect_in(case, world, last_name="Seitkali", moment=MONDAY)
    detain(case, person, detained_at=MONDAY, moment=MONDAY)
    effect = sanction_custody(case, person, world, moment=MONDAY + HOUR)
    assert effect.ends_at is not None
    return Custody(case, person, effect, effect.ends_at)


def test_custody_runs_two_months_from_the_detention_and_the_petition_is_due_a_day_before(world: World) -> None:
    custody = in_custody(world)
    assert custody.ends_at == dt.datetime(2026, 4, 3, 0, 0, tzinfo=ASTANA)  # 24:00 of 2 April
    petition_due = open_clock(custody.person, "custody_extension_petition").due_at
    assert petition_due == dt.datetime(2026, 4, 2, 0, 0, tzinfo=ASTANA)


def test_an_extension_petition_filed_one_minute_before_its_due_time_is_in_time(world: World) -> None:
    custody = in_custody(world)
    due = custody.ends_at - DAY
    petition_extension(custody.case, custody.person, world, moment=due - MINUTE)
    sweep_at(due + HOUR)
    assert findings("custody_extension_not_petitioned") == []


def test_custody_extended_one_minute_before_it_ends_has_not_expired(world: World) -> None:
    custody = in_custody(world)
    extension = petition_extension(custody.case, custody.person, world, moment=custody.ends_at - DAY - MINUTE)
    with at(custody.ends_at - MINUTE):
        workflow.grant_sanction(extension.pk, actor=world.erlan)
    sweep_at(custody.ends_at + MINUTE)
    assert findings("custody_expired") == []

    extended_end = deadline_for("custody", MONDAY, amount=4)
    assert LegalEffect.objects.get(pk=custody.effect.pk).ends_at == extended_end
    sweep_at(extended_end + MINUTE)
    finding = the_finding("custody_expired")
    assert dt.datetime.fromisoformat(finding.facts["custody_ends_at"]) == extended_end, "the extended end"


def test_custody_still_runs_out_after_the_investigation_is_completed(world: World) -> None:
    """Completion hands the case to the prosecutor; the person stays in custody and its term still binds."""
    custody = in_custody(world)
    with at(MONDAY + 10 * DAY):
        report = submitted(custody.case, "completion_report")
        workflow.agree_decision(report.pk, actor=world.bolat)
    assert Case.objects.get(pk=custody.case.pk).status == "completed"
    sweep_at(custody.ends_at + MINUTE)
    assert the_finding("custody_expired").participant == custody.person
    assert the_finding("custody_extension_not_petitioned").participant == custody.person


def test_custody_is_extended_after_the_investigation_is_completed(world: World) -> None:
    """The file is read and the indictment drawn up after completion: the judge extends the custody that
    still runs (CPC art. 151), so the prosecutor can petition for it, in time, and nothing is raised."""
    custody = in_custody(world)
    with at(MONDAY + 10 * DAY):
        report = submitted(custody.case, "completion_report")
        workflow.agree_decision(report.pk, actor=world.bolat)
    extension = petition_extension(custody.case, custody.person, world, moment=custody.ends_at - DAY - MINUTE)
    with at(custody.ends_at - MINUTE):
        workflow.grant_sanction(extension.pk, actor=world.erlan)
    assert Case.objects.get(pk=custody.case.pk).status == "completed"
    sweep_at(custody.ends_at + MINUTE)
    assert findings("custody_expired") == []
    assert findings("custody_extension_not_petitioned") == []
    assert LegalEffect.objects.get(pk=custody.effect.pk).ends_at == deadline_for("custody", MONDAY, amount=4)


def test_custody_clocks_of_the_pre_trial_stage_stop_once_the_case_is_sent_to_court(world: World) -> None:
    custody = in_custody(world)
    with at(MONDAY + 10 * DAY):
        protocol = submitted(custody.case, "protocol_of_accusation", subject=custody.person)
        workflow.agree_decision(protocol.pk, actor=world.bolat)
    assert Case.objects.get(pk=custody.case.pk).status == "sent_to_court"
    sweep_at(custody.ends_at + MINUTE)
    assert findings("custody_expired") == []
    assert findings("custody_extension_not_petitioned") == []


# --- investigation_term_expired -----------------------------------------------------------------------


def term_end(case: Case) -> dt.datetime:
    assert case.term_ends_at is not None
    return case.term_ends_at


@pytest.mark.parametrize("kind", ["extension_of_terms", "interruption_of_terms"])
def test_terms_extended_or_interrupted_one_minute_before_they_run_out_have_not_expired(world: World, kind: str) -> None:
    case = opened_case(world)
    with at(term_end(case) - MINUTE):
        decision = submitted(case, kind)
        workflow.agree_decision(decision.pk, actor=world.bolat)
    sweep_at(term_end(case) + MINUTE)
    assert findings("investigation_term_expired") == []


def test_terms_still_running_at_their_last_instant_have_not_expired(world: World) -> None:
    case = opened_case(world)
    sweep_at(term_end(case))
    assert findings("investigation_term_expired") == []


# --- effect_before_approval ---------------------------------------------------------------------------


@pytest.mark.parametrize("after", [dt.timedelta(0), MINUTE], ids=["same-instant", "one-minute-after"])
def test_a_qualification_drafted_once_the_recognition_took_effect_is_lawful(world: World, after: dt.timedelta) -> None:
    case = opened_case(world)
    person = suspect_in(case, world, last_name="Seitkali", moment=MONDAY + HOUR)
    with at(MONDAY + HOUR + after):
        qualification = draft(case, "qualification", subject=person)
    assert qualification.drafted_at - after == person.suspect_since
    sweep_at(MONDAY + 2 * HOUR)
    assert findings("effect_before_approval") == []


def test_a_custody_petition_naming_someone_never_recognised_as_suspect_is_raised(world: World) -> None:
    """The petition is drafted for suspect Seitkali, then its stored subject replaced by a mere witness (a breach)."""
    case = opened_case(world)
    seitkali = suspect_in(case, world, last_name="Seitkali", moment=MONDAY)
    with at(MONDAY):
        witness = person_in(case, last_name="Omarov", role="witness")
        petition = draft(case, "custody_petition", subject=seitkali)
    Decision.objects.filter(pk=petition.pk).update(subject=witness)
    sweep_at(MONDAY + HOUR)
    finding = the_finding("effect_before_approval")
    assert (finding.decision, finding.participant) == (petition, witness)
    assert finding.facts["person"] == "Omarov Arman Serikuly"
    assert finding.facts["suspect_since"] is None


def test_a_draft_readdressed_to_a_person_once_they_are_suspect_does_not_act_before_approval(world: World) -> None:
    """aigerim drafts a qualification for Seitkali, then, once Omarov is a suspect too, edits it to name him."""
    case = opened_case(world)
    seitkali = suspect_in(case, world, last_name="Seitkali", moment=MONDAY)
    with at(MONDAY + HOUR):
        qualification = draft(case, "qualification", subject=seitkali)
    omarov = suspect_in(case, world, last_name="Omarov", moment=MONDAY + 2 * HOUR)
    with at(MONDAY + 3 * HOUR):
        workflow.edit_decision(
            qualification.pk, actor=world.aigerim, content=dict(CONTENT["qualification"]), subject_id=omarov.pk
        )
        workflow.submit_decision(qualification.pk, actor=world.aigerim)
    sweep_at(MONDAY + 4 * HOUR)
    assert findings("effect_before_approval") == []


# --- in_force_without_approvals -----------------------------------------------------------------------


def special_subject_bail(world: World) -> Decision:
    """Bail for a member of parliament: bolat agrees, gulnara consents, erlan grants."""
    case = opened_case(world)
    with at(MONDAY):
        member = person_in(case, last_name="Seitkali", special_subject="member_of_parliament")
        recognition = submitted(case, "recognition_as_suspect", subject=member)
        workflow.agree_decision(recognition.pk, actor=world.bolat)
        workflow.consent_decision(recognition.pk, actor=world.gulnara)
        bail = submitted(case, "bail_petition", subject=member)
        workflow.agree_decision(bail.pk, actor=world.bolat)
        workflow.consent_decision(bail.pk, actor=world.gulnara)
        workflow.petition_court(bail.pk, actor=world.bolat)
        return workflow.grant_sanction(bail.pk, actor=world.erlan)


@pytest.mark.parametrize(
    ("erased", "missing"),
    [
        (["decision.agreed"], "prosecutor_agreement"),
        (["decision.consented"], "special_subject_consent"),
        (["sanction.granted"], "judicial_sanction"),
        (
            ["decision.agreed", "decision.consented", "sanction.granted"],
            "prosecutor_agreement, special_subject_consent, judicial_sanction",
        ),
    ],
)
def test_a_decision_in_force_names_every_approval_missing_from_its_record(
    world: World, erased: list[str], missing: str
) -> None:
    bail = special_subject_bail(world)
    assert bail.state == "in_force"
    DecisionEvent.objects.filter(decision=bail, code__in=erased).delete()
    sweep_at(MONDAY + HOUR)
    finding = the_finding("in_force_without_approvals")
    assert (finding.decision, finding.participant) == (bail, bail.subject)
    assert finding.facts["missing"] == missing


def test_decisions_in_force_with_every_approval_recorded_are_lawful(world: World) -> None:
    special_subject_bail(world)
    case = opened_case(world)
    with at(MONDAY):
        person = person_in(case, last_name="Omarov")
    detention = detain(case, person, detained_at=MONDAY, moment=MONDAY)
    assert detention.state == "in_force", "a detention protocol needs no approval"
    sweep_at(MONDAY + HOUR)
    assert Decision.objects.filter(state="in_force").count() == 3
    assert findings("in_force_without_approvals") == []


# --- qualification_not_announced ----------------------------------------------------------------------


def test_a_qualification_announced_one_minute_before_its_24_hours_is_in_time(world: World) -> None:
    case = opened_case(world)
    person = suspect_in(case, world, last_name="Seitkali", moment=MONDAY)
    with at(MONDAY + HOUR):
        qualification = submitted(case, "qualification", subject=person)
        workflow.agree_decision(qualification.pk, actor=world.bolat)
    due = MONDAY + HOUR + dt.timedelta(hours=24)
    with at(due - MINUTE):
        workflow.announce_qualification(qualification.pk, actor=world.aigerim)
    sweep_at(due + HOUR)
    assert findings("qualification_not_announced") == []


# --- petition_not_decided -----------------------------------------------------------------------------


def test_a_petition_filed_on_monday_is_due_at_the_end_of_thursday_and_decided_a_minute_before(world: World) -> None:
    case = opened_case(world)
    with at(MONDAY):
        victim = person_in(case, last_name="Seitkali", role="victim")
        petition = register.file_petition(case.pk, actor=world.aigerim, participant_id=victim.pk, request="Valuation")
    assert petition.due_at == dt.datetime(2026, 2, 6, 0, 0, tzinfo=ASTANA)  # 24:00 of Thursday 5 February
    with at(petition.due_at - MINUTE):
        register.decide_petition(petition.pk, actor=world.aigerim, granted=True, answer="Valuation ordered")
    sweep_at(petition.due_at + HOUR)
    assert findings("petition_not_decided") == []


# --- repeated_interruptions ---------------------------------------------------------------------------


def test_three_interruptions_are_exactly_the_limit(world: World) -> None:
    case = opened_case(world)
    for round_ in range(3):
        if round_:
            scenarios.resume(case, MONDAY + round_ * DAY)
        scenarios.interrupt(case, world, MONDAY + round_ * DAY + HOUR)
    assert LegalEffect.objects.filter(case=case, kind="terms_interrupted").count() == 3
    sweep_at(MONDAY + 3 * DAY)
    assert findings("repeated_interruptions") == []


# --- case_idle ----------------------------------------------------------------------------------------


def test_a_case_idle_for_exactly_thirty_days_is_not_yet_idle(world: World) -> None:
    opened_case(world)
    sweep_at(MONDAY + 30 * DAY)
    assert findings("case_idle") == []


def test_an_act_on_day_29_keeps_the_case_moving(world: World) -> None:
    case = opened_case(world)
    with at(MONDAY + 29 * DAY):
        person_in(case, last_name="Seitkali", role="witness")
    sweep_at(MONDAY + 30 * DAY + MINUTE)
    assert findings("case_idle") == []


def test_a_case_with_interrupted_terms_is_not_idle(world: World) -> None:
    case = opened_case(world)
    scenarios.interrupt(case, world, MONDAY + HOUR)
    sweep_at(MONDAY + 60 * DAY)
    assert findings("case_idle") == []


# --- backdated_decision -------------------------------------------------------------------------------


@pytest.mark.parametrize("stated", [dt.date(2026, 2, 3), dt.date(2026, 2, 4)], ids=["day-before", "same-day"])
def test_a_decision_dated_at_most_one_day_before_its_submission_is_not_backdated(world: World, stated: dt.date) -> None:
    case = opened_case(world)
    wednesday = dt.datetime(2026, 2, 4, 0, 30, tzinfo=ASTANA)
    with at(wednesday):
        decision = workflow.draft_decision(
            case.pk,
            actor=world.aigerim,
            kind="interruption_of_terms",
            content=dict(CONTENT["interruption_of_terms"]),
            stated_date=stated,
        )
        workflow.submit_decision(decision.pk, actor=world.aigerim)
    sweep_at(wednesday + HOUR)
    assert findings("backdated_decision") == []


# --- convenient_defender ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cases", "by_one"), [(10, 3), (9, 4)], ids=["exactly-30-percent", "fewer-than-10-defended-cases"]
)
def test_a_defender_at_the_threshold_or_in_a_small_unit_is_not_raised(world: World, cases: int, by_one: int) -> None:
    scenarios.defended_cases(world, MONDAY, cases=cases, by_one=by_one)
    sweep_at(MONDAY + HOUR)
    assert findings("convenient_defender") == []


# --- review_out_of_jurisdiction -----------------------------------------------------------------------


@pytest.mark.parametrize("reviewer", ["bolat", "saule", "gulnara"])
def test_the_supervising_office_or_an_office_above_it_reviews_lawfully(world: World, reviewer: str) -> None:
    case = opened_case(world)
    with at(MONDAY):
        interruption = submitted(case, "interruption_of_terms")
        workflow.agree_decision(interruption.pk, actor=getattr(world, reviewer))
    sweep_at(MONDAY + HOUR)
    assert findings("review_out_of_jurisdiction") == []
