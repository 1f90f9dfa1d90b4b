"""Each prosecutor's queue holds what is theirs to do; a senior prosecutor's is not every office's below."""

from __future__ import annotations

import pytest
from django.test import Client

from oversight.accounts.models import User
from oversight.decisions import services as workflow
from oversight.decisions.models import Decision
from oversight.register import services as register
from tests.factories import World, add_person, make_case, submitted

pytestmark = pytest.mark.django_db


def queue(user: User) -> set[int]:
    return set(Decision.objects.review_queue(user).values_list("pk", flat=True))


def extension(world: World, months: int) -> Decision:
    return submitted(
        make_case(world), "extension_of_terms", content={"total_months": months, "grounds": "Examinations pending"}
    )


def test_a_district_recognition_waits_for_the_district_office_not_for_the_seniors_above(world: World) -> None:
    case = make_case(world)
    recognition = submitted(case, "recognition_as_suspect", subject=add_person(case))

    assert recognition.pk in queue(world.bolat)
    assert recognition.pk not in queue(world.saule)
    assert recognition.pk not in queue(world.gulnara)
    assert Decision.objects.visible_to(world.saule).filter(pk=recognition.pk).exists()  # still within reach


def test_an_extension_goes_to_the_level_that_may_agree_it(world: World) -> None:
    district = extension(world, 3)
    regional = extension(world, 9)
    general = extension(world, 15)

    assert {d.level_required for d in (district, regional, general)} == {"district", "regional", "general"}
    assert queue(world.bolat) >= {district.pk}
    assert not queue(world.bolat) & {regional.pk, general.pk}  # he may not agree them: not in his queue
    assert queue(world.saule) & {district.pk, regional.pk, general.pk} == {regional.pk}
    assert queue(world.gulnara) & {district.pk, regional.pk, general.pk} == {general.pk}


def test_a_senior_prosecutor_assigned_to_a_district_case_finds_it_in_their_queue(world: World) -> None:
    case = make_case(world)
    register.assign_procedural_prosecutor(case.pk, actor=world.saule, prosecutor_id=world.saule.pk)
    recognition = submitted(case, "recognition_as_suspect", subject=add_person(case))

    assert recognition.pk in queue(world.saule)
    assert recognition.pk in queue(world.bolat)  # the office still sees its case


def test_the_general_prosecutors_office_sees_the_consents(world: World) -> None:
    case = make_case(world)
    deputy = add_person(case, special_subject="member_of_parliament")
    recognition = submitted(case, "recognition_as_suspect", subject=deputy)
    workflow.agree_decision(recognition.pk, actor=world.bolat)

    assert recognition.pk in queue(world.gulnara)
    assert recognition.pk not in queue(world.saule)


def test_the_api_shows_the_level_an_extension_needs(world: World) -> None:
    decision = extension(world, 9)

    response = Client().get(
        f"/api/decisions/{decision.pk}", headers={"Authorization": f"Bearer {world.token(world.saule)}"}
    )

    assert response.status_code == 200
    assert response.json()["level_required"] == "regional"


def test_a_procedural_prosecutor_does_not_queue_what_needs_a_higher_level_than_theirs(world: World) -> None:
    """Saule, a regional senior prosecutor, runs a district case: a 15-month extension of it is the
    General Prosecutor's Office's to agree (CPC art. 192), so it is in Gulnara's queue, not hers."""
    case = make_case(world)
    register.assign_procedural_prosecutor(case.pk, actor=world.saule, prosecutor_id=world.saule.pk)
    long = submitted(case, "extension_of_terms", content={"total_months": 15, "grounds": "Examinations pending"})
    short = submitted(case, "recognition_as_suspect", subject=add_person(case))

    assert short.pk in queue(world.saule)
    assert long.pk not in queue(world.saule)
    assert long.pk in queue(world.gulnara)
