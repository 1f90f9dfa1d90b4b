"""One story per violation rule: a case in aigerim's Astana unit that breaks it, and what the monitor must say.

Each story acts through the real services at explicit instants. Where the services make the
violation impossible (they refuse to act before an approval, or out of jurisdiction), the story
says so and alters one stored row afterwards, as a data-integrity breach or an import would.
Each returns a `Broken`: when to sweep, and the finding expected then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oversight.accounts.models import Organisation
from oversight.decisions import services as workflow
from oversight.decisions.models import Decision, DecisionEvent
from oversight.law import deadline_for
from oversight.register import services as register
from oversight.register.models import Case, CaseStatus, Participant
from tests.factories import World, draft, iin, make_case, submitted
from tests.monitoring.helpers import (
    ASTANA,
    DAY,
    HOUR,
    MINUTE,
    MONDAY,
    at,
    detain,
    opened_case,
    person_in,
    sanction_custody,
    suspect_in,
)


@dataclass(frozen=True)
class Broken:
    rule: str
    sweep_at: dt.datetime  # the first instant the finding must be there
    occurred_at: dt.datetime
    facts: dict[str, Any]
    case: Case | None
    decision: Decision | None = None
    participant: Participant | None = None
    unit: Organisation | None = None

    # The same, for stories known to name them (a story about a case names its case).
    @property
    def the_case(self) -> Case:
        assert self.case is not None, self.rule
        return self.case

    @property
    def the_decision(self) -> Decision:
        assert self.decision is not None, self.rule
        return self.decision

    @property
    def the_person(self) -> Participant:
        assert self.participant is not None, self.rule
        return self.participant


def overdue_review(world: World, start: dt.datetime = MONDAY) -> Broken:
    """aigerim submits Seitkali's recognition as suspect; bolat lets the 24-hour review clock run out."""
    case = opened_case(world, start)
    with at(start):
        person = person_in(case, last_name="Seitkali")
        recognition = submitted(case, "recognition_as_suspect", subject=person)
    due = start + dt.timedelta(hours=24)
    return Broken(
        "review_overdue",
        due + MINUTE,
        due,
        {
            "decision": recognition.pk,
            "kind": "recognition_as_suspect",
            "clock": "suspect_recognition_review",
            "due_at": due,
        },
        case,
        recognition,
        person,
    )


def late_registration(world: World, start: dt.datetime = MONDAY) -> Broken:
    """A report received 24 hours and one minute before aigerim registers it."""
    reported = start - dt.timedelta(hours=24) - MINUTE
    with at(start):
        case = register.register_case(
            actor=world.aigerim,
            unit_id=world.astana_unit.pk,
            form="pre_trial_investigation",
            articles=[register.ArticleInput("188", 2)],
            reported_at=reported,
        )
    due = reported + dt.timedelta(hours=24)
    return Broken(
        "report_registration_late",
        start,
        due,
        {"erdr_number": case.erdr_number, "reported_at": reported, "registered_at": start, "due_at": due},
        case,
    )


def detention_beyond_48_hours(world: World, start: dt.datetime = MONDAY) -> Broken:
    """Seitkali, detained at `start` with no exceptional ground, is still held 48 hours and a minute later."""
    case = opened_case(world, start)
    with at(start):
        person = person_in(case, last_name="Seitkali")
    detention = detain(case, person, detained_at=start, moment=start + HOUR)
    due = start + dt.timedelta(hours=48)
    return Broken(
        "detention_over_limit",
        due + MINUTE,
        due,
        {"person": person.full_name(), "detained_at": start, "due_at": due},
        case,
        detention,
        person,
    )


def custody_extension_not_filed(world: World, start: dt.datetime = MONDAY) -> Broken:
    """Custody sanctioned by erlan; the day before it ends passes with no extension petition from bolat."""
    case = opened_case(world, start)
    person = suspect_in(case, world, last_name="Seitkali", moment=start)
    detain(case, person, detained_at=start, moment=start)
    custody = sanction_custody(case, person, world, moment=start + HOUR)
    assert custody.ends_at is not None
    due = custody.ends_at - DAY
    return Broken(
        "custody_extension_not_petitioned",
        due + MINUTE,
        due,
        {"person": person.full_name(), "custody_ends_at": custody.ends_at, "due_at": due},
        case,
        custody.decision,
        person,
    )


def custody_run_out(world: World, start: dt.datetime = MONDAY) -> Broken:
    """Custody sanctioned by erlan runs out two months after the detention, and nothing is recorded."""
    case = opened_case(world, start)
    person = suspect_in(case, world, last_name="Seitkali", moment=start)
    detain(case, person, detained_at=start, moment=start)
    custody = sanction_custody(case, person, world, moment=start + HOUR)
    assert custody.ends_at == deadline_for("custody", start)
    return Broken(
        "custody_expired",
        custody.ends_at + MINUTE,
        custody.ends_at,
        {"person": person.full_name(), "custody_ends_at": custody.ends_at},
        case,
        custody.decision,
        person,
    )


def investigation_term_run_out(world: World, start: dt.datetime = MONDAY) -> Broken:
    """The two-month term of aigerim's investigation runs out with no extension or interruption."""
    case = opened_case(world, start)
    term_end = deadline_for("investigation_term.pre_trial_investigation", start)
    assert case.term_ends_at == term_end
    return Broken(
        "investigation_term_expired",
        term_end + MINUTE,
        term_end,
        {"erdr_number": case.erdr_number, "term_ends_at": term_end},
        case,
    )


def qualification_before_recognition(world: World, start: dt.datetime = MONDAY) -> Broken:
    """A qualification of Seitkali stored as drafted an hour before his recognition took effect.

    The services refuse a qualification of anyone not yet a suspect, so the qualification is drafted
    after the recognition and its stored drafting time then moved back, as a tampered record would be.
    """
    case = opened_case(world, start)
    person = suspect_in(case, world, last_name="Seitkali", moment=start + HOUR)
    with at(start + 2 * HOUR):
        qualification = draft(case, "qualification", subject=person)
    Decision.objects.filter(pk=qualification.pk).update(drafted_at=start)
    return Broken(
        "effect_before_approval",
        start + 3 * HOUR,
        start,
        {
            "decision": qualification.pk,
            "kind": "qualification",
            "person": person.full_name(),
            "drafted_at": start,
            "suspect_since": start + HOUR,
        },
        case,
        qualification,
        person,
    )


def search_in_force_without_agreement(world: World, start: dt.datetime = MONDAY) -> Broken:
    """A search authorised through the whole chain, whose record then loses bolat's agreement (a breach)."""
    case = opened_case(world, start)
    with at(start):
        petition = submitted(case, "search_petition")
        workflow.agree_decision(petition.pk, actor=world.bolat)
        workflow.petition_court(petition.pk, actor=world.bolat)
        workflow.grant_sanction(petition.pk, actor=world.erlan)
    DecisionEvent.objects.filter(decision=petition, code="decision.agreed").delete()
    return Broken(
        "in_force_without_approvals",
        start + HOUR,
        start,
        {"decision": petition.pk, "kind": "search_petition", "missing": "prosecutor_agreement"},
        case,
        petition,
    )


def qualification_not_announced(world: World, start: dt.datetime = MONDAY) -> Broken:
    """bolat agrees Seitkali's qualification; aigerim does not announce it within 24 hours."""
    case = opened_case(world, start)
    person = suspect_in(case, world, last_name="Seitkali", moment=start)
    with at(start + HOUR):
        qualification = submitted(case, "qualification", subject=person)
        workflow.agree_decision(qualification.pk, actor=world.bolat)
    due = start + HOUR + dt.timedelta(hours=24)
    return Broken(
        "qualification_not_announced",
        due + MINUTE,
        due,
        {"person": person.full_name(), "decision": qualification.pk, "due_at": due},
        case,
        qualification,
        person,
    )


def petition_left_undecided(world: World, start: dt.datetime = MONDAY) -> Broken:
    """Victim Seitkali petitions for a valuation of the phone on Monday; nobody decides it within three days."""
    case = opened_case(world, start)
    with at(start):
        person = person_in(case, last_name="Seitkali", role="victim")
        petition = register.file_petition(
            case.pk, actor=world.aigerim, participant_id=person.pk, request="Order a valuation of the phone"
        )
    due = deadline_for("petition_decision", start)
    assert petition.due_at == due
    return Broken(
        "petition_not_decided",
        due + MINUTE,
        due,
        {"person": person.full_name(), "filed_at": start, "due_at": due},
        case,
        None,
        person,
    )


def interrupt(case: Case, world: World, moment: dt.datetime) -> Decision:
    with at(moment):
        interruption = submitted(case, "interruption_of_terms")
        return workflow.agree_decision(interruption.pk, actor=world.bolat)


def resume(case: Case, moment: dt.datetime) -> None:
    """Stand-in for a resumption of the terms: the domain has no service or decision type for it yet."""
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.UNDER_INVESTIGATION,
        interrupted_at=None,
        term_ends_at=moment + 30 * DAY,
    )


def interrupted_four_times(world: World, start: dt.datetime = MONDAY) -> Broken:
    """aigerim's case has its terms interrupted, resumed and interrupted again, four times in all."""
    case = opened_case(world, start)
    last = start
    for round_ in range(4):
        if round_:
            resume(case, start + round_ * DAY)
        last = start + round_ * DAY + HOUR
        interrupt(case, world, last)
    return Broken(
        "repeated_interruptions",
        last + HOUR,
        last,
        {"erdr_number": case.erdr_number, "interruptions": 4, "limit": 3},
        case,
    )


def idle_for_thirty_days(world: World, start: dt.datetime = MONDAY) -> Broken:
    """Nothing is recorded on aigerim's case for thirty days and a minute after its registration."""
    case = opened_case(world, start)
    assert case.last_act_at == start
    return Broken(
        "case_idle",
        start + 30 * DAY + MINUTE,
        start + 30 * DAY,
        {"erdr_number": case.erdr_number, "last_act_at": start, "idle_days": 30},
        case,
    )


def backdated_interruption(world: World, start: dt.datetime = MONDAY) -> Broken:
    """Drafted on Monday and dated that day, submitted just after midnight on Wednesday, Astana time.

    In UTC the submission is still Tuesday evening: only the local date shows the two days.
    """
    case = opened_case(world, start)
    with at(start):
        decision = draft(case, "interruption_of_terms")
    wednesday = start.astimezone(ASTANA).replace(hour=0, minute=30) + 2 * DAY
    with at(wednesday):
        workflow.submit_decision(decision.pk, actor=world.aigerim)
    stated = start.astimezone(ASTANA).date()
    return Broken(
        "backdated_decision",
        wednesday + MINUTE,
        wednesday,
        {"decision": decision.pk, "kind": "interruption_of_terms", "stated_date": stated, "submitted_at": wednesday},
        case,
        decision,
    )


def defend(case: Case, *, last_name: str, identity: str) -> Participant:
    return register.add_participant(
        case.pk,
        actor=case.investigator,
        role="defender",
        last_name=last_name,
        first_name="Yerlan",
        iin=identity,
        birth_date=dt.date(1975, 1, 9),
    )


def defended_cases(world: World, start: dt.datetime, *, cases: int, by_one: int) -> Participant:
    """`cases` cases of aigerim's unit, each with a defender; one defender, Kairatov, holds `by_one` of them."""
    convenient: Participant | None = None
    convenient_identity = iin(born=dt.date(1975, 1, 9))
    with at(start):
        for number in range(cases):
            case = make_case(world)
            if number < by_one:
                convenient = defend(case, last_name="Kairatov", identity=convenient_identity)
            else:
                defend(case, last_name=f"Advocate{number}", identity=iin(born=dt.date(1975, 1, 9)))
    assert convenient is not None
    return convenient


def convenient_defender(world: World, start: dt.datetime = MONDAY) -> Broken:
    """Kairatov defends in 4 of the 10 defended cases of aigerim's unit: 40%, over the 30% threshold."""
    defender = defended_cases(world, start, cases=10, by_one=4)
    return Broken(
        "convenient_defender",
        start + HOUR,
        start + HOUR,
        {
            "unit": world.astana_unit.name_en,
            "defender": defender.full_name(),
            "cases": 4,
            "unit_cases": 10,
            "share": 40,
        },
        None,
        unit=world.astana_unit,
    )


def agreed_by_another_region(world: World, start: dt.datetime = MONDAY) -> Broken:
    """An interruption whose stored agreement names dana of Almaty, who does not supervise the case.

    The services refuse dana (the case is not hers to see), so the agreement is given by bolat and its
    event then rewritten, as a forged or mis-imported record would read.
    """
    case = opened_case(world, start)
    agreed = interrupt(case, world, start + HOUR)
    DecisionEvent.objects.filter(decision=agreed, code="decision.agreed").update(
        actor=world.dana, actor_organisation=world.almaty_district
    )
    return Broken(
        "review_out_of_jurisdiction",
        start + 2 * HOUR,
        start + HOUR,
        {"decision": agreed.pk, "reviewer": world.dana.full_name(), "office": world.almaty_district.name_en},
        case,
        agreed,
    )


SCENARIOS: dict[str, Callable[..., Broken]] = {
    "review_overdue": overdue_review,
    "report_registration_late": late_registration,
    "detention_over_limit": detention_beyond_48_hours,
    "custody_extension_not_petitioned": custody_extension_not_filed,
    "custody_expired": custody_run_out,
    "investigation_term_expired": investigation_term_run_out,
    "effect_before_approval": qualification_before_recognition,
    "in_force_without_approvals": search_in_force_without_agreement,
    "qualification_not_announced": qualification_not_announced,
    "petition_not_decided": petition_left_undecided,
    "repeated_interruptions": interrupted_four_times,
    "case_idle": idle_for_thirty_days,
    "backdated_decision": backdated_interruption,
    "convenient_defender": convenient_defender,
    "review_out_of_jurisdiction": agreed_by_another_region,
}
