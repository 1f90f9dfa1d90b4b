"""The workflow service, told as stories about the personas in tests/factories.py."""

from __future__ import annotations

import datetime as dt
import itertools
from importlib import import_module

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import RoleGrant
from oversight.accounts.services import grant_role
from oversight.decisions import services as workflow
from oversight.decisions.models import Deadline, Decision, DecisionEvent, DecisionRevision, LegalEffect
from oversight.decisions.presentation import drafting_choices
from oversight.decisions.states import State
from oversight.kit.errors import Conflict, Forbidden, Invalid, NotFound
from oversight.law import deadline_for, rulebook
from oversight.law.roles import Post, Role
from oversight.register.models import Case, CaseStatus
from tests.factories import World, add_person, draft, make_case, person, submitted, suspect

pytestmark = pytest.mark.django_db
ASTANA = dt.timezone(dt.timedelta(hours=5))


def events(decision: Decision) -> list[tuple[str, str, str]]:
    return list(decision.events.order_by("at", "pk").values_list("code", "from_state", "to_state"))


def test_recognition_returned_revised_and_agreed_makes_the_person_a_suspect(world: World) -> None:
    case = make_case(world)
    person = add_person(case)
    decision = draft(case, "recognition_as_suspect", subject=person)
    workflow.submit_decision(decision.pk, actor=world.aigerim)
    person.refresh_from_db()
    assert person.role == "witness_with_right_to_defence", "no suspect before the prosecutor agrees"

    workflow.return_decision(decision.pk, actor=world.bolat, reason="Name the CCTV footage relied on")
    revised = {"articles": [{"article": "188", "part": 2}], "grounds": "Victim's statement; CCTV of 3 March"}
    workflow.edit_decision(decision.pk, actor=world.aigerim, content=revised)
    workflow.submit_decision(decision.pk, actor=world.aigerim)
    decision = workflow.agree_decision(decision.pk, actor=world.bolat)

    person.refresh_from_db()
    assert decision.state == "in_force"
    assert person.role == "suspect"
    assert person.suspect_since == decision.in_force_at
    assert LegalEffect.objects.get(decision=decision).kind == "person_becomes_suspect"
    revisions = DecisionRevision.objects.filter(decision=decision).order_by("number")
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].content["grounds"] == "Identified by the victim and CCTV", "the returned revision is kept"
    assert revisions[1].content["grounds"] == revised["grounds"]
    assert events(decision) == [
        ("decision.drafted", "", "draft"),
        ("decision.submitted", "draft", "submitted"),
        ("decision.returned", "submitted", "returned"),
        ("decision.edited", "returned", "returned"),
        ("decision.submitted", "returned", "submitted"),
        ("decision.agreed", "submitted", "in_force"),
    ]
    assert decision.events.get(code="decision.returned").reason == "Name the CCTV footage relied on"


def test_a_refused_recognition_leaves_the_person_as_they_were(world: World) -> None:
    case = make_case(world)
    person = add_person(case)
    decision = submitted(case, "recognition_as_suspect", subject=person)
    decision = workflow.refuse_decision(decision.pk, actor=world.bolat, reason="No evidence of involvement")
    person.refresh_from_db()
    assert decision.state == "refused"
    assert decision.closed_reason == "No evidence of involvement"
    assert person.role == "witness_with_right_to_defence"
    assert person.suspect_since is None
    assert not LegalEffect.objects.filter(decision=decision).exists()


def test_refusal_and_return_need_a_reason_and_write_nothing_without_one(world: World) -> None:
    decision = submitted(make_case(world), "interruption_of_terms")
    before = decision.events.count()
    for verb in (workflow.refuse_decision, workflow.return_decision):
        with pytest.raises(Invalid) as raised:
            verb(decision.pk, actor=world.bolat, reason="   ")
        assert raised.value.errors == {"reason": "a reason is required"}
    decision.refresh_from_db()
    assert decision.state == "submitted"
    assert decision.events.count() == before


def test_the_review_clock_runs_24_hours_from_submission_day_and_night(world: World) -> None:
    late_evening = dt.datetime(2026, 11, 27, 23, 40, tzinfo=ASTANA)
    with time_machine.travel(late_evening, tick=False):
        case = make_case(world)
        person = add_person(case)
        decision = submitted(case, "recognition_as_suspect", subject=person)
    assert decision.due_at == late_evening + dt.timedelta(hours=24)
    deadline = Deadline.objects.get(decision=decision)
    assert (deadline.clock, deadline.status) == ("suspect_recognition_review", "open")
    with time_machine.travel(late_evening + dt.timedelta(hours=23, minutes=59), tick=False):
        workflow.agree_decision(decision.pk, actor=world.bolat)
    deadline.refresh_from_db()
    assert deadline.status == "met"
    assert deadline.closed_at is not None


def test_nobody_reviews_their_own_draft_even_holding_both_roles(world: World) -> None:
    grant_role(world.aigerim, Role.PROSECUTOR, world.astana_district)
    decision = submitted(make_case(world), "interruption_of_terms")
    with pytest.raises(Forbidden, match="Nobody reviews a decision they drafted"):
        workflow.agree_decision(decision.pk, actor=world.aigerim)
    assert Decision.objects.get(pk=decision.pk).state == "submitted"


def test_out_of_jurisdiction_is_not_found_and_changes_nothing(world: World) -> None:
    case = make_case(world)
    decision = submitted(case, "interruption_of_terms")
    for actor in (world.dana, world.ruslan, world.zhanna, world.admin, world.asel):
        with pytest.raises(NotFound):
            workflow.agree_decision(decision.pk, actor=actor)
    with pytest.raises(NotFound):
        workflow.draft_decision(case.pk, actor=world.ruslan, kind="termination", content={})
    assert Decision.objects.get(pk=decision.pk).state == "submitted"


def test_an_investigator_cannot_agree_and_a_prosecutor_cannot_submit_anothers_draft(world: World) -> None:
    decision = draft(make_case(world), "interruption_of_terms")
    with pytest.raises(Forbidden):
        workflow.submit_decision(decision.pk, actor=world.bolat)
    workflow.submit_decision(decision.pk, actor=world.aigerim)
    with pytest.raises(Forbidden):
        workflow.agree_decision(decision.pk, actor=world.nurlan)


def test_a_decided_decision_is_a_conflict_that_names_who_decided_and_when(world: World) -> None:
    decision = submitted(make_case(world), "interruption_of_terms")
    workflow.refuse_decision(decision.pk, actor=world.bolat, reason="Suspect's whereabouts are known")
    with pytest.raises(Conflict) as raised:
        workflow.agree_decision(decision.pk, actor=world.saule)
    assert "refused by Bolatova Bolat" in raised.value.detail


def test_special_subject_needs_the_general_prosecutors_consent(world: World) -> None:
    case = make_case(world)
    member = add_person(case, special_subject="member_of_parliament")
    decision = submitted(case, "recognition_as_suspect", subject=member)
    assert (decision.needs_agreement, decision.needs_consent, decision.needs_sanction) == (True, True, False)
    decision = workflow.agree_decision(decision.pk, actor=world.bolat)
    member.refresh_from_db()
    assert decision.state == "awaiting_consent"
    assert member.role != "suspect"
    assert Deadline.objects.get(decision=decision, status="open").clock == "special_subject_consent"
    with pytest.raises(NotFound):  # the Astana city head does not reach another's consent queue item either
        workflow.consent_decision(decision.pk, actor=world.dana)
    with pytest.raises(Forbidden):
        workflow.consent_decision(decision.pk, actor=world.saule)
    decision = workflow.consent_decision(decision.pk, actor=world.gulnara)
    member.refresh_from_db()
    assert decision.state == "in_force"
    assert member.role == "suspect"


def test_custody_takes_effect_only_when_the_judge_grants_it(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    detained_at = timezone.now() - dt.timedelta(hours=20)
    detention = submitted(
        case,
        "detention",
        subject=person,
        content={"detained_at": detained_at.isoformat(), "grounds": "Caught in the act"},
    )
    assert detention.state == "in_force", "a detention protocol needs no approval for an ordinary person"
    detention_clock = Deadline.objects.get(participant=person, clock="detention")
    assert detention_clock.due_at == detained_at + dt.timedelta(hours=48)

    petition = submitted(case, "custody_petition", subject=person)
    petition = workflow.agree_decision(petition.pk, actor=world.bolat)
    assert petition.state == "agreed"
    assert petition.due_at == detention_clock.due_at
    assert not LegalEffect.objects.filter(kind="custody_in_force").exists()
    petition = workflow.petition_court(petition.pk, actor=world.bolat)
    assert petition.state == "petitioned"
    assert petition.court == world.astana_court
    with pytest.raises(NotFound):
        workflow.grant_sanction(petition.pk, actor=world.zhanna)
    petition = workflow.grant_sanction(petition.pk, actor=world.erlan)

    custody = LegalEffect.objects.get(kind="custody_in_force")
    assert petition.state == "in_force"
    assert custody.started_at == detained_at, "custody runs from the moment of actual detention"
    assert custody.ends_at == deadline_for("custody", detained_at)
    detention_clock.refresh_from_db()
    assert detention_clock.status == "met"
    clocks = dict(Deadline.objects.filter(participant=person, status="open").values_list("clock", "due_at"))
    assert clocks["custody"] == custody.ends_at
    assert clocks["custody_extension_petition"] == custody.ends_at - dt.timedelta(days=1)


def test_the_judge_may_deny_and_then_nothing_takes_effect(world: World) -> None:
    case = make_case(world)
    petition = submitted(case, "search_petition")
    workflow.agree_decision(petition.pk, actor=world.bolat)
    workflow.petition_court(petition.pk, actor=world.bolat)
    petition = workflow.deny_sanction(petition.pk, actor=world.erlan, reason="No grounds to expect the goods there")
    assert petition.state == "denied"
    assert not LegalEffect.objects.filter(decision=petition).exists()


def test_custody_extension_needs_a_prosecutor_of_the_level_the_total_reaches(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    petition = submitted(case, "custody_petition", subject=person)
    workflow.agree_decision(petition.pk, actor=world.bolat)
    workflow.petition_court(petition.pk, actor=world.bolat)
    workflow.grant_sanction(petition.pk, actor=world.erlan)
    custody = LegalEffect.objects.get(kind="custody_in_force")

    extension = submitted(
        case,
        "custody_extension_petition",
        subject=person,
        content={"total_months": 8, "grounds": "Expert examinations pending"},
    )
    with pytest.raises(Forbidden, match="regional"):
        workflow.agree_decision(extension.pk, actor=world.bolat)
    workflow.agree_decision(extension.pk, actor=world.saule)
    workflow.petition_court(extension.pk, actor=world.saule)
    assert Deadline.objects.get(participant=person, clock="custody_extension_petition").status == "met"
    workflow.grant_sanction(extension.pk, actor=world.erlan)
    custody.refresh_from_db()
    assert custody.ends_at == deadline_for("custody", custody.started_at, amount=8)
    assert custody.data["total_months"] == 8


def test_interruption_stops_the_terms_and_blocks_an_extension(world: World) -> None:
    case = make_case(world)
    extension = submitted(case, "extension_of_terms")
    interruption = submitted(case, "interruption_of_terms")
    workflow.agree_decision(interruption.pk, actor=world.bolat)
    case.refresh_from_db()
    assert case.status == CaseStatus.INTERRUPTED
    assert case.term_ends_at is None
    with pytest.raises(Conflict, match="interrupted"):
        workflow.agree_decision(extension.pk, actor=world.bolat)
    assert Decision.objects.get(pk=extension.pk).state == "submitted"


def test_extension_sets_the_new_term_from_the_start_of_the_investigation(world: World) -> None:
    case = make_case(world)
    extension = submitted(case, "extension_of_terms", content={"total_months": 5, "grounds": "Audit pending"})
    workflow.agree_decision(extension.pk, actor=world.bolat)
    case.refresh_from_db()
    assert case.term_total_months == 5
    assert case.term_ends_at == deadline_for(
        "investigation_term.pre_trial_investigation", case.term_started_at, amount=5
    )


def test_termination_on_rehabilitating_ground_ends_measures_and_clocks(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    petition = submitted(case, "house_arrest_petition", subject=person)
    workflow.agree_decision(petition.pk, actor=world.bolat)
    workflow.petition_court(petition.pk, actor=world.bolat)
    workflow.grant_sanction(petition.pk, actor=world.erlan)
    termination = submitted(case, "termination")
    workflow.agree_decision(termination.pk, actor=world.bolat)
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED
    assert case.termination_rehabilitating is True
    assert not Deadline.objects.filter(case=case, status="open").exists()
    assert LegalEffect.objects.get(kind="house_arrest_in_force").ended_at == case.terminated_at
    with pytest.raises(Conflict):
        draft(case, "search_petition")


def test_only_the_general_prosecutor_or_the_first_deputy_consents_for_a_special_subject(world: World) -> None:
    """DOMAIN: consent of the General Prosecutor or First Deputy; any other's makes the results inadmissible."""
    case = make_case(world)
    member = add_person(case, special_subject="member_of_parliament")
    decision = submitted(case, "recognition_as_suspect", subject=member)
    workflow.agree_decision(decision.pk, actor=world.bolat)
    other = person("yerzhan", "Yerzhanov", "Yerzhan")
    grant_role(other, Role.SENIOR_PROSECUTOR, world.gpo)  # a senior prosecutor of the same office, no such post

    with pytest.raises(Forbidden):
        workflow.consent_decision(decision.pk, actor=other)
    grant_role(world.gulnara, Role.SENIOR_PROSECUTOR, world.gpo)  # granted again, naming no post: she keeps hers
    assert workflow.consent_decision(decision.pk, actor=world.gulnara).state == "in_force"
    with pytest.raises(Invalid) as raised:
        grant_role(world.saule, Role.SENIOR_PROSECUTOR, world.astana_office, post=Post.FIRST_DEPUTY)
    assert "post" in raised.value.errors


@pytest.mark.parametrize("closing", ["termination", "completion_report", "protocol_of_accusation"])
def test_closing_an_interrupted_case_ends_the_interruption(world: World, closing: str) -> None:
    case = make_case(world)
    person = suspect(case, world)
    interruption = submitted(case, "interruption_of_terms")
    workflow.agree_decision(interruption.pk, actor=world.bolat)
    subject = {"subject": person} if closing == "protocol_of_accusation" else {}
    decision = workflow.agree_decision(submitted(case, closing, **subject).pk, actor=world.bolat)
    case.refresh_from_db()
    assert (
        case.status
        == {
            "termination": CaseStatus.TERMINATED,
            "completion_report": CaseStatus.COMPLETED,
            "protocol_of_accusation": CaseStatus.SENT_TO_COURT,
        }[closing]
    )
    assert LegalEffect.objects.get(decision=interruption).ended_at == decision.in_force_at
    assert case.interrupted_at is None, "the case card and the API no longer say its terms are interrupted"


def test_cases_closed_before_the_fix_no_longer_say_their_terms_are_interrupted(world: World) -> None:
    """register migration 0006 clears interrupted_at where the case is no longer interrupted."""
    migration = import_module("oversight.register.migrations.0006_closed_cases_not_interrupted")
    closed, interrupted = make_case(world), make_case(world)
    for case in (closed, interrupted):
        workflow.agree_decision(submitted(case, "interruption_of_terms").pk, actor=world.bolat)
    workflow.agree_decision(submitted(closed, "termination").pk, actor=world.bolat)
    moment = timezone.now()
    Case.objects.filter(pk=closed.pk).update(interrupted_at=moment)  # as closing left it before

    with connection.cursor() as cursor:
        cursor.execute(migration.CLEAR)

    assert Case.objects.get(pk=closed.pk).interrupted_at is None
    assert Case.objects.get(pk=interrupted.pk).interrupted_at is not None


def test_the_indictment_follows_the_agreed_report_on_completion(world: World) -> None:
    """DOMAIN: investigator's report on completion -> prosecutor drafts or approves the indictment."""
    case = make_case(world)
    person = suspect(case, world)
    report = submitted(case, "completion_report")
    workflow.agree_decision(report.pk, actor=world.bolat)
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED

    # The investigation is over: its acts can no longer be drafted. The prosecutor is offered the
    # indictment; the investigator the indictment too (since 1 July 2026 the prosecutor may approve
    # one) and the measures of restraint, which outlive the investigation.
    with pytest.raises(Conflict):
        draft(case, "search_petition")
    with pytest.raises(Conflict):
        draft(case, "recognition_as_suspect")
    assert [code for code, _ in drafting_choices(jurisdiction_of(world.bolat), case)] == ["indictment"]
    assert {code for code, _ in drafting_choices(jurisdiction_of(world.aigerim), case)} == {
        "indictment",
        "custody_petition",
        "custody_extension_petition",
        "house_arrest_petition",
        "bail_petition",
    }
    indictment = submitted(
        case,
        "indictment",
        subject=person,
        actor=world.bolat,
        content={"articles": [{"article": "188"}], "summary": "x"},
    )
    assert indictment.state == "in_force", "the prosecutor's own indictment needs nobody's agreement"
    case.refresh_from_db()
    person.refresh_from_db()
    assert case.status == CaseStatus.SENT_TO_COURT
    assert person.role == "accused"


def test_an_agreed_petition_no_longer_needed_is_withdrawn_and_the_next_one_may_follow(world: World) -> None:
    """The person was released before the prosecutor filed: the agreed petition must not wait for ever,
    nor block the next custody petition for the same person."""
    case = make_case(world)
    person = suspect(case, world)
    petition = submitted(case, "custody_petition", subject=person)
    workflow.agree_decision(petition.pk, actor=world.bolat)
    with pytest.raises(Conflict):
        submitted(case, "custody_petition", subject=person)

    petition = workflow.withdraw_decision(petition.pk, actor=world.aigerim, reason="The suspect was released")
    assert petition.state == "withdrawn"
    assert not LegalEffect.objects.filter(decision=petition).exists()
    again = submitted(case, "custody_petition", subject=person)
    assert again.state == "submitted"
    workflow.agree_decision(again.pk, actor=world.bolat)
    workflow.petition_court(again.pk, actor=world.bolat)
    with pytest.raises(Conflict):  # before the investigating judge, only the judge ends it
        workflow.withdraw_decision(again.pk, actor=world.aigerim)


def test_withdrawal_before_review_clears_the_clock(world: World) -> None:
    decision = submitted(make_case(world), "interruption_of_terms")
    decision = workflow.withdraw_decision(decision.pk, actor=world.aigerim, reason="Suspect found")
    assert decision.state == "withdrawn"
    assert Deadline.objects.get(decision=decision).status == "cleared"
    with pytest.raises(Conflict):
        workflow.agree_decision(decision.pk, actor=world.bolat)


def test_a_detention_over_48_hours_needs_the_recorded_exception(world: World) -> None:
    case = make_case(world)
    person = add_person(case)
    detained_at = timezone.now() - dt.timedelta(hours=1)
    submitted(
        case,
        "detention",
        subject=person,
        content={
            "detained_at": detained_at.isoformat(),
            "grounds": "Caught in the act",
            "exceptional_ground": "Identity could not be established",
        },
    )
    assert Deadline.objects.get(clock="detention").due_at == detained_at + dt.timedelta(hours=72)


def test_a_decision_is_judged_by_the_rulebook_in_force_when_it_was_submitted(world: World) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 29, 10, 0, tzinfo=ASTANA), tick=False):
        case = make_case(world)
        person = suspect(case, world)
    # Before Law No. 331-VIII only the prosecutor draws up the indictment.
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, 0, tzinfo=ASTANA), tick=False), pytest.raises(Forbidden):
        draft(case, "indictment", subject=person, content={"articles": [{"article": "188"}], "summary": "x"})
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, 0, tzinfo=ASTANA), tick=False):
        indictment = submitted(
            case,
            "indictment",
            subject=person,
            content={"articles": [{"article": "188", "part": 2}], "summary": "Evidence"},
        )
    assert indictment.rulebook_version == "kz-2026-07"
    assert indictment.needs_agreement
    assert indictment.state == "submitted"
    assert (
        rulebook("kz-2022")
        .decision_type("indictment")
        .required_approvals(subject_is_special=False, drafted_by_investigative_body=True)
        == ()
    )


def test_a_type_unknown_to_the_rulebook_in_force_is_invalid(world: World) -> None:
    case = make_case(world)
    with (
        time_machine.travel(dt.datetime(2021, 6, 1, 12, 0, tzinfo=ASTANA), tick=False),
        pytest.raises(Invalid) as raised,
    ):
        workflow.draft_decision(case.pk, actor=world.aigerim, kind="completion_report", content={})
    assert "kind" in raised.value.errors
    with pytest.raises(Invalid) as raised:
        workflow.draft_decision(case.pk, actor=world.aigerim, kind="confession", content={})
    assert set(raised.value.errors) == {"kind"}


def test_submission_names_every_missing_field(world: World) -> None:
    case = make_case(world)
    decision = workflow.draft_decision(case.pk, actor=world.aigerim, kind="termination", content={})
    with pytest.raises(Invalid) as raised:
        workflow.submit_decision(decision.pk, actor=world.aigerim)
    assert set(raised.value.errors) == {"content.ground", "content.grounds"}
    assert Decision.objects.get(pk=decision.pk).state == "draft"


def test_a_suspect_is_made_only_through_a_decision(world: World) -> None:
    case = make_case(world)
    from oversight.register import services as register

    with pytest.raises(Invalid) as raised:
        register.add_participant(
            case.pk, actor=world.aigerim, role="suspect", last_name="A", first_name="B", iin="900517300017"
        )
    assert "role" in raised.value.errors


def test_every_state_change_wrote_exactly_one_event(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    petition = submitted(case, "bail_petition", subject=person)
    workflow.agree_decision(petition.pk, actor=world.bolat)
    workflow.petition_court(petition.pk, actor=world.bolat)
    workflow.grant_sanction(petition.pk, actor=world.erlan)
    for decision in Decision.objects.all():
        chain = list(DecisionEvent.objects.filter(decision=decision).order_by("at", "pk"))
        assert chain[0].from_state == ""
        assert chain[-1].to_state == decision.state
        for before, after in itertools.pairwise(chain):
            assert after.from_state == before.to_state


def test_a_petition_goes_only_to_a_court_of_the_cases_region(world: World) -> None:
    petition = submitted(make_case(world), "search_petition")
    workflow.agree_decision(petition.pk, actor=world.bolat)
    with pytest.raises(Invalid) as raised:
        workflow.petition_court(petition.pk, actor=world.bolat, court_id=world.almaty_court.pk)
    assert set(raised.value.errors) == {"court_id"}
    assert Decision.objects.get(pk=petition.pk).state == "agreed"
    petition = workflow.petition_court(petition.pk, actor=world.bolat, court_id=world.astana_court.pk)
    assert petition.court == world.astana_court


def test_who_may_not_release_is_refused_before_the_reason_is_read(world: World) -> None:
    """A judge reaches the case through a petition but does not release; a blank reason is not the point."""
    case = make_case(world)
    person = suspect(case, world)
    petition = submitted(case, "custody_petition", subject=person)
    workflow.agree_decision(petition.pk, actor=world.bolat)
    workflow.petition_court(petition.pk, actor=world.bolat)
    with pytest.raises(Forbidden, match="releases a person"):
        workflow.release_person(case.pk, actor=world.erlan, participant_id=person.pk, reason=" ")
    with pytest.raises(Invalid):
        workflow.release_person(case.pk, actor=world.aigerim, participant_id=person.pk, reason=" ")


def test_a_revoked_grant_stops_the_next_transition_although_the_visibility_filter_is_compiled_once(
    world: World,
) -> None:
    """The compiled filter is cached per jurisdiction; a changed grant is another jurisdiction."""
    case = make_case(world)
    first = submitted(case, "recognition_as_suspect", subject=add_person(case))
    second = submitted(case, "recognition_as_suspect", subject=add_person(case, last_name="Omarov"))
    workflow.agree_decision(first.pk, actor=world.bolat)  # compiles and caches bolat's reach

    RoleGrant.objects.filter(user=world.bolat).delete()

    with pytest.raises(NotFound):
        workflow.agree_decision(second.pk, actor=world.bolat)
    second.refresh_from_db()
    assert second.state == State.SUBMITTED


def test_the_agreement_writes_the_new_suspect_and_the_effect_in_its_own_statement(world: World) -> None:
    case = make_case(world)
    person = add_person(case)
    decision = submitted(case, "recognition_as_suspect", subject=person)
    with CaptureQueriesContext(connection) as queries:
        agreed = workflow.agree_decision(decision.pk, actor=world.bolat)

    writes = [query["sql"] for query in queries.captured_queries if "register_participant" in query["sql"]]
    transition = [sql for sql in writes if 'UPDATE "register_participant"' in sql]
    assert len(transition) == 1
    assert 'INSERT INTO "decisions_legaleffect"' in transition[0]
    assert "INSERT INTO decisions_decisionevent" in transition[0]
    person.refresh_from_db()
    assert (person.role, person.suspect_since) == ("suspect", agreed.in_force_at)
    effect = LegalEffect.objects.get(decision=decision)
    assert (effect.kind, effect.participant_id, effect.started_at) == (
        "person_becomes_suspect",
        person.pk,
        agreed.in_force_at,
    )
    assert effect.data["previous_role"] == "witness_with_right_to_defence"


def workflow_fields(decision: Decision) -> dict[str, object]:
    fields = [field for field in Decision._meta.concrete_fields if field.name in workflow.WORKFLOW_FIELDS]
    assert len(fields) == len(workflow.WORKFLOW_FIELDS)
    return {field.name: getattr(decision, field.attname) for field in fields}


def test_the_row_holds_what_each_transition_returns(world: World) -> None:
    """A transition writes back only the fields it changed: none it changed may be left out."""

    def stored(decision: Decision) -> Decision:
        assert workflow_fields(Decision.objects.get(pk=decision.pk)) == workflow_fields(decision)
        return decision

    case = make_case(world)
    person = add_person(case)
    recognition = draft(case, "recognition_as_suspect", subject=person)
    stored(workflow.submit_decision(recognition.pk, actor=world.aigerim))
    stored(workflow.return_decision(recognition.pk, actor=world.bolat, reason="Name the footage"))
    workflow.edit_decision(
        recognition.pk,
        actor=world.aigerim,
        content={"articles": [{"article": "188", "part": 2}], "grounds": "Victim's statement; CCTV of 3 March"},
    )
    resubmitted = stored(workflow.submit_decision(recognition.pk, actor=world.aigerim))
    assert resubmitted.revision == 2
    assert resubmitted.content["grounds"] == "Victim's statement; CCTV of 3 March"
    agreed = stored(workflow.agree_decision(recognition.pk, actor=world.bolat, comment="Well founded"))
    assert agreed.state == "in_force"
    assert agreed.agreed_by == world.bolat
    assert agreed.in_force_at is not None

    petition = submitted(case, "search_petition")
    stored(workflow.agree_decision(petition.pk, actor=world.bolat))
    stored(workflow.petition_court(petition.pk, actor=world.bolat))
    stored(workflow.grant_sanction(petition.pk, actor=world.erlan))

    refused = submitted(case, "interruption_of_terms")
    stored(workflow.refuse_decision(refused.pk, actor=world.bolat, reason="The suspect is known"))
    withdrawn = submitted(case, "interruption_of_terms")
    stored(workflow.withdraw_decision(withdrawn.pk, actor=world.aigerim, reason="Suspect found"))


def test_content_edited_in_place_under_lock_is_written_too(world: World) -> None:
    """The workflow fields noted under lock are compared with the instance's: an object edited in place
    would compare equal to itself, so such a field is written whatever it compares to."""
    decision = submitted(make_case(world), "interruption_of_terms")
    locked, _ = workflow._lock(world.bolat, decision.pk)
    locked.content["grounds"] = "Edited in place"
    locked.state = "refused"
    workflow._record(
        locked,
        "decision.refused",
        actor=world.bolat,
        grant=workflow.prosecutor_grant(
            jurisdiction_of(world.bolat), locked.case, locked, rulebook(locked.rulebook_version)
        ),
        at=timezone.now(),
        from_state=State.SUBMITTED,
        to_state=State.REFUSED,
        reason="Test",
    )
    stored = Decision.objects.get(pk=decision.pk)
    assert stored.state == "refused"
    assert stored.content["grounds"] == "Edited in place"
