"""Statements written once give the same model instances, and write the same rows, as the ORM."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Model, signals
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oversight.accounts.models import Organisation
from oversight.decisions.models import Decision, LegalEffect
from oversight.kit import rows
from oversight.register.models import Case, Participant
from tests.factories import World, add_person, draft, make_case

pytestmark = pytest.mark.django_db


def fields_of(obj: object, model: type[Model]) -> dict[str, object]:
    return {field.attname: getattr(obj, field.attname) for field in model._meta.concrete_fields}


def test_a_joined_row_splits_into_the_instances_the_orm_loads(world: World) -> None:
    case = make_case(world)
    decision = draft(case, "recognition_as_suspect", subject=add_person(case))
    columns = ", ".join(
        [rows.select_list(Decision, "d"), rows.select_list(Case, "c"), rows.select_list(Organisation, "o")]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM decisions_decision d JOIN register_case c ON c.id = d.case_id "  # noqa: S608
            "JOIN accounts_organisation o ON o.id = c.supervising_office_id WHERE d.id = %s",
            [decision.pk],
        )
        row = cursor.fetchone()
    assert row is not None

    loaded, loaded_case, office = rows.triple(row, Decision, Case, Organisation)

    assert fields_of(loaded, Decision) == fields_of(Decision.objects.get(pk=decision.pk), Decision)
    assert loaded.content["articles"][0]["article"] == "188"  # JSON decoded as the ORM decodes it
    assert fields_of(loaded_case, Case) == fields_of(Case.objects.get(pk=case.pk), Case)
    assert office.pk == case.supervising_office_id
    assert not loaded._state.adding
    with pytest.raises(ValueError, match="columns"):
        rows.pair(row, Decision, Case)


def test_an_instance_is_what_from_db_makes_and_post_init_receivers_still_hear_of_it(world: World) -> None:
    case = make_case(world)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {rows.select_list(Case, 'c')} FROM register_case c WHERE c.id = %s", [case.pk])  # noqa: S608
        row = cursor.fetchone()
    assert row is not None
    by_orm = Case.objects.get(pk=case.pk)

    made = rows.instance(Case, row)

    def state(obj: Model) -> dict[str, object]:
        return {name: value for name, value in vars(obj).items() if name != "_state"}

    assert state(made) == state(by_orm)
    assert (made._state.adding, made._state.db) == (False, "default")
    assert made.supervising_office == by_orm.supervising_office  # a foreign key loads as the ORM's does
    heard: list[object] = []

    def hear(sender: type[Model], instance: Model, **kwargs: object) -> None:
        heard.append(instance)

    signals.post_init.connect(hear, sender=Case)
    try:
        again = rows.instance(Case, row)
    finally:
        signals.post_init.disconnect(hear, sender=Case)
    assert heard == [again], "with a post_init receiver the instance is made through Model.from_db"
    assert heard[0] is again


def test_insert_and_update_write_what_save_would(world: World) -> None:
    case = make_case(world)
    person = add_person(case)
    decision = draft(case, "recognition_as_suspect", subject=person)
    now = timezone.now()
    effect = LegalEffect(
        case=case, decision=decision, kind="person_becomes_suspect", participant=person, started_at=now, data={"a": [1]}
    )

    rows.insert(effect)

    assert effect.pk is not None
    assert not effect._state.adding
    stored = LegalEffect.objects.get(pk=effect.pk)
    assert fields_of(stored, LegalEffect) == fields_of(effect, LegalEffect)

    person.role = "suspect"
    person.suspect_since = now - dt.timedelta(minutes=1)
    person.last_name = "changed in memory only"
    rows.update_fields(person, ["role", "suspect_since"])

    person_row = Participant.objects.get(pk=person.pk)
    assert (person_row.role, person_row.suspect_since) == ("suspect", person.suspect_since)
    assert person_row.last_name == "Seitkali"  # only the named fields are written

    person.pk = 10**12
    with pytest.raises(RuntimeError, match="0 rows updated"):
        rows.update_fields(person, ["role"])


def test_a_filter_that_can_match_nothing_compiles_to_none() -> None:
    assert rows.compiled(Case.objects.none()) is None
    sql, params = rows.compiled(Case.objects.filter(pk=7).values("pk")) or ("", ())
    assert "register_case" in sql
    assert params == (7,)


def test_a_rider_is_written_by_the_statement_that_carries_it(world: World) -> None:
    case = make_case(world)
    person = add_person(case)
    decision = draft(case, "recognition_as_suspect", subject=person)
    effect = LegalEffect(
        case=case, decision=decision, kind="person_becomes_suspect", participant=person, started_at=timezone.now()
    )
    rider = rows.Rider(
        'UPDATE "register_participant" SET "last_name" = %(rider_name)s WHERE "id" = %(rider_id)s',
        {"rider_name": "Carried", "rider_id": person.pk},
    )
    with CaptureQueriesContext(connection) as queries:
        rows.insert(effect, riders=[rider])

    assert len(queries.captured_queries) == 1
    assert LegalEffect.objects.filter(pk=effect.pk).exists()
    assert Participant.objects.get(pk=person.pk).last_name == "Carried"


def test_a_rider_whose_parameters_clash_with_the_statement_is_refused(world: World) -> None:
    case = make_case(world)
    person = add_person(case)
    decision = draft(case, "recognition_as_suspect", subject=person)
    effect = LegalEffect(
        case=case, decision=decision, kind="person_becomes_suspect", participant=person, started_at=timezone.now()
    )
    clashing = rows.Rider('UPDATE "register_participant" SET "role" = %(new_kind)s WHERE false', {"new_kind": "x"})
    with pytest.raises(ValueError, match="new_kind"):
        rows.insert(effect, riders=[clashing])
    assert not LegalEffect.objects.exists()
