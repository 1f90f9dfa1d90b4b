"""Dates and identities the register takes from people: nothing before the law it knows, before the case, or
in the future; one IIN is one person, born on the date it begins with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.kit.errors import Invalid
from oversight.law.identifiers import make_iin
from oversight.register import services as register
from oversight.register.models import Case, CaseEvent, Participant, ParticipantPetition
from tests.factories import World, add_person, iin, make_case

ASTANA = dt.timezone(dt.timedelta(hours=5))


def counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "participants": Participant.objects.count(),
        "petitions": ParticipantPetition.objects.count(),
        "case_events": CaseEvent.objects.count(),
    }


def refused(error: pytest.ExceptionInfo[Invalid]) -> set[str]:
    return set(error.value.errors)


def test_a_report_from_before_any_rulebook_is_refused_naming_reported_at(world: World) -> None:
    before = counts()
    with pytest.raises(Invalid) as error:
        register.register_case(
            actor=world.aigerim,
            unit_id=world.astana_unit.pk,
            form="pre_trial_investigation",
            articles=[register.ArticleInput("188", 2)],
            reported_at=dt.datetime(1900, 1, 1, 10, tzinfo=ASTANA),
        )
    assert refused(error) == {"reported_at"}
    assert "2021-01-01" in error.value.errors["reported_at"]
    assert counts() == before


def test_aigerim_cannot_record_a_petition_filed_before_the_case_was_reported(world: World) -> None:
    case = make_case(world)
    victim = add_person(case, role="victim", last_name="Amanova")
    before = counts()
    for filed in (dt.datetime(2020, 5, 1, 10, tzinfo=ASTANA), case.reported_at - dt.timedelta(days=1)):
        with pytest.raises(Invalid) as error:
            register.file_petition(
                case.pk, actor=world.aigerim, participant_id=victim.pk, request="Order a valuation", filed_at=filed
            )
        assert refused(error) == {"filed_at"}
        assert "before the case was reported" in error.value.errors["filed_at"]
    assert counts() == before


def test_a_petition_dated_where_no_rulebook_is_in_force_is_an_error_not_a_crash(world: World) -> None:
    """An imported case reported before the register's first rulebook: the filing date still picks a rulebook."""
    case = make_case(world)
    victim = add_person(case, role="victim", last_name="Amanova")
    Case.objects.filter(pk=case.pk).update(reported_at=dt.datetime(2019, 3, 1, 9, tzinfo=ASTANA))
    before = counts()
    with pytest.raises(Invalid) as error:
        register.file_petition(
            case.pk,
            actor=world.aigerim,
            participant_id=victim.pk,
            request="Order a valuation",
            filed_at=dt.datetime(2020, 5, 1, 10, tzinfo=ASTANA),
        )
    assert refused(error) == {"filed_at"}
    assert "no rulebook is in force" in error.value.errors["filed_at"]
    assert counts() == before


def test_a_petition_filed_at_the_report_or_later_is_recorded(world: World) -> None:
    case = make_case(world)
    victim = add_person(case, role="victim", last_name="Amanova")
    petition = register.file_petition(
        case.pk, actor=world.aigerim, participant_id=victim.pk, request="Order a valuation", filed_at=case.reported_at
    )
    assert petition.filed_at == case.reported_at
    assert petition.due_at > timezone.now()


def test_a_birth_date_that_disagrees_with_the_iin_is_refused_naming_birth_date(world: World) -> None:
    case = make_case(world)
    before = counts()
    with pytest.raises(Invalid) as error:
        register.add_participant(
            case.pk,
            actor=world.aigerim,
            role="victim",
            last_name="Amanova",
            first_name="Aliya",
            iin="670226400737",  # born 26 February 1967
            birth_date=dt.date(1990, 1, 1),
        )
    assert refused(error) == {"birth_date"}
    assert "1967-02-26" in error.value.errors["birth_date"]
    assert counts() == before


def test_a_birth_date_that_agrees_with_the_iin_is_kept(world: World) -> None:
    case = make_case(world)
    person = register.add_participant(
        case.pk,
        actor=world.aigerim,
        role="victim",
        last_name="Amanova",
        first_name="Aliya",
        iin="670226400737",
        birth_date=dt.date(1967, 2, 26),
    )
    assert person.birth_date == dt.date(1967, 2, 26)


def test_an_iin_that_begins_with_a_birth_date_in_the_future_is_refused(world: World) -> None:
    case = make_case(world)
    before = counts()
    with pytest.raises(Invalid) as error:
        register.add_participant(
            case.pk,
            actor=world.aigerim,
            role="victim",
            last_name="Amanova",
            first_name="Aliya",
            iin=make_iin(dt.date(2099, 1, 1), female=True, serial=1),
        )
    assert refused(error) == {"iin"}
    assert counts() == before


def test_an_iin_already_held_in_the_case_by_another_person_is_refused_naming_iin(world: World) -> None:
    case = make_case(world)
    identity = iin()
    register.add_participant(
        case.pk, actor=world.aigerim, role="victim", last_name="Amanova", first_name="Aliya", iin=identity
    )
    before = counts()
    with pytest.raises(Invalid) as error:
        register.add_participant(
            case.pk, actor=world.aigerim, role="witness", last_name="Seitkali", first_name="Arman", iin=identity
        )
    assert refused(error) == {"iin"}
    assert "Amanova" in error.value.errors["iin"]
    assert counts() == before


def test_the_same_person_may_be_victim_and_civil_plaintiff_in_one_case(world: World) -> None:
    case = make_case(world)
    identity = iin(female=True, born=dt.date(1990, 5, 17))
    victim = register.add_participant(
        case.pk,
        actor=world.aigerim,
        role="victim",
        last_name="Amanova",
        first_name="Aliya",
        iin=identity,
        birth_date=dt.date(1990, 5, 17),
    )
    plaintiff = register.add_participant(
        case.pk, actor=world.aigerim, role="civil_plaintiff", last_name=" amanova ", first_name="ALIYA", iin=identity
    )
    assert {victim.role, plaintiff.role} == {"victim", "civil_plaintiff"}
    assert Participant.objects.filter(case=case, iin=identity).count() == 2
