"""The register: ERDR numbers, participants, and who is responsible for a case."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from oversight.accounts.services import grant_role
from oversight.kit.errors import Conflict, Forbidden, Invalid, NotFound
from oversight.law.roles import Role
from oversight.register import services as register
from oversight.register.models import Case, CaseEvent
from tests.factories import World, add_person, build_world, make_case, person


def test_erdr_numbers_carry_year_region_unit_and_a_sequence(world: World) -> None:
    first, second = make_case(world), make_case(world)
    assert first.erdr_number[2:9] == "7171001"
    assert int(second.erdr_number[-6:]) == int(first.erdr_number[-6:]) + 1
    assert make_case(world, investigator=world.ruslan).erdr_number[2:9] == "7575001"


def test_an_imported_erdr_number_is_kept_and_a_duplicate_is_a_conflict(world: World) -> None:
    case = make_case(world)
    with pytest.raises(Conflict):
        register.register_case(
            actor=world.aigerim,
            unit_id=world.astana_unit.pk,
            form="inquiry",
            articles=[register.ArticleInput("188")],
            reported_at=case.reported_at,
            erdr_number=case.erdr_number,
        )
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_never_share_a_number() -> None:
    world = build_world()
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(10)

    def register_one() -> None:
        try:
            barrier.wait()
            numbers.append(make_case(world).erdr_number)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register_one) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == 10
    assert sorted(int(number[-6:]) for number in numbers) == list(range(1, 11))


@pytest.mark.django_db
def test_investigator_sees_own_cases_head_of_unit_all_prosecutors_their_office_and_below(world: World) -> None:
    colleague = person("kanat", "Kanatov", "Kanat")
    grant_role(colleague, Role.INVESTIGATOR, world.astana_unit)
    own = make_case(world)
    colleagues = make_case(world, investigator=colleague)
    almaty = make_case(world, investigator=world.ruslan)
    visible = {
        name: set(Case.objects.visible_to(getattr(world, name)).values_list("pk", flat=True))
        for name in ("aigerim", "nurlan", "bolat", "saule", "dana", "gulnara", "erlan", "asel", "admin")
    }
    assert visible["aigerim"] == {own.pk}
    assert visible["nurlan"] == visible["bolat"] == visible["saule"] == {own.pk, colleagues.pk}
    assert visible["dana"] == {almaty.pk}
    assert visible["gulnara"] == {own.pk, colleagues.pk, almaty.pk}
    assert visible["erlan"] == visible["asel"] == visible["admin"] == set()


@pytest.mark.django_db
def test_a_role_change_takes_effect_at_once(world: World) -> None:
    case = make_case(world)
    assert Case.objects.visible_to(world.dana).filter(pk=case.pk).count() == 0
    grant_role(world.dana, Role.PROSECUTOR, world.astana_district)
    assert Case.objects.visible_to(world.dana).filter(pk=case.pk).count() == 1
    world.dana.role_grants.filter(organisation=world.astana_district).delete()
    assert Case.objects.visible_to(world.dana).filter(pk=case.pk).count() == 0


@pytest.mark.django_db
def test_only_the_head_of_the_office_replaces_the_procedural_prosecutor(world: World) -> None:
    case = make_case(world)
    with pytest.raises(Forbidden):
        register.assign_procedural_prosecutor(case.pk, actor=world.bolat, prosecutor_id=world.bolat.pk)
    with pytest.raises(Invalid):
        register.assign_procedural_prosecutor(case.pk, actor=world.saule, prosecutor_id=world.dana.pk)
    register.assign_procedural_prosecutor(case.pk, actor=world.saule, prosecutor_id=world.bolat.pk)
    register.assign_procedural_prosecutor(case.pk, actor=world.saule, prosecutor_id=world.saule.pk)
    case.refresh_from_db()
    assert case.procedural_prosecutor == world.saule
    moves = CaseEvent.objects.filter(case=case, code="case.procedural_prosecutor_assigned").order_by("at", "pk")
    assert [(event.data["previous"], event.data["current"]) for event in moves] == [
        (None, world.bolat.pk),
        (world.bolat.pk, world.saule.pk),
    ]


@pytest.mark.django_db
def test_head_of_unit_reassigns_the_investigator(world: World) -> None:
    colleague = person("kanat", "Kanatov", "Kanat")
    grant_role(colleague, Role.INVESTIGATOR, world.astana_unit)
    case = make_case(world)
    with pytest.raises(Forbidden):
        register.reassign_investigator(case.pk, actor=world.aigerim, investigator_id=colleague.pk)
    with pytest.raises(Invalid):
        register.reassign_investigator(case.pk, actor=world.nurlan, investigator_id=world.ruslan.pk)
    register.reassign_investigator(case.pk, actor=world.nurlan, investigator_id=colleague.pk)
    with pytest.raises(NotFound):  # aigerim no longer reaches the case
        add_person(case, actor=world.aigerim)
    assert CaseEvent.objects.filter(case=case, code="case.investigator_assigned").count() == 1


@pytest.mark.django_db
def test_the_investigation_term_follows_the_form(world: World) -> None:
    ordinary = make_case(world)
    expedited = make_case(world, form="expedited")
    assert ordinary.term_ends_at is not None
    assert expedited.term_ends_at is not None
    assert (
        (expedited.term_ends_at - expedited.registered_at).days
        <= 20
        < (ordinary.term_ends_at - ordinary.registered_at).days
    )
