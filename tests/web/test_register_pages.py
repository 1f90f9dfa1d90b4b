"""Registering a report and adding a participant in the browser, through the register's services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.audit.models import AccessLogEntry
from oversight.decisions import services as workflow
from oversight.decisions.models import Decision
from oversight.register.models import Case, Participant
from tests.factories import CONTENT, World, iin, make_case, submitted, suspect
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def report(world: World, **changes: str) -> dict[str, str]:
    typed = {
        "unit": str(world.astana_unit.pk),
        "form": "pre_trial_investigation",
        "reported_at": (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "article-0": "188",
        "part-0": "2",
        "summary": "Theft of a phone at the central market",
    }
    typed.update(changes)
    return typed


def test_the_investigator_registers_a_report_and_lands_on_the_new_case(world: World) -> None:
    aigerim = signed_in(world.aigerim)
    assert 'href="/cases/new/"' in aigerim.get("/cases/").content.decode()

    response = aigerim.post("/cases/new/", report(world))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert (case.investigator, case.unit, case.supervising_office) == (
        world.aigerim,
        world.astana_unit,
        world.astana_district,
    )
    assert len(case.erdr_number) == 15
    assert [str(article) for article in case.articles.all()] == ["art. 188 p. 2"]
    assert AccessLogEntry.objects.filter(action="create_case", object_label=case.erdr_number).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"article-0": "9999"}, "article-0"),
        ({"reported_at": "1900-01-01T10:00"}, "reported_at"),
        ({"reported_at": "tomorrow"}, "reported_at"),
        ({"form": "trial_by_ordeal"}, "form"),
    ],
)
def test_bad_input_is_a_form_error_naming_the_field_and_registers_nothing(
    world: World, changes: dict[str, str], field: str
) -> None:
    response = signed_in(world.aigerim).post("/cases/new/", report(world, **changes))

    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Case.objects.exists()


def test_the_head_of_unit_names_the_investigator(world: World) -> None:
    nurlan = signed_in(world.nurlan)

    refused = nurlan.post("/cases/new/", report(world))
    named = nurlan.post("/cases/new/", report(world, investigator=str(world.aigerim.pk)))

    assert refused.status_code == 422
    assert "investigator" in refused.context["form"].errors
    assert named.status_code == 302
    assert Case.objects.get().investigator == world.aigerim


@pytest.mark.parametrize("name", ["bolat", "erlan", "kamila"])
def test_who_does_not_investigate_may_not_register(world: World, name: str) -> None:
    response = signed_in(getattr(world, name)).get("/cases/new/")

    assert response.status_code == 403
    assert 'href="/cases/new/"' not in signed_in(getattr(world, name)).get("/cases/").content.decode()


def test_the_investigator_adds_a_victim_on_the_case_card(world: World) -> None:
    case = make_case(world)
    aigerim = signed_in(world.aigerim)
    assert f'action="/cases/{case.pk}/participants/"' in aigerim.get(f"/cases/{case.pk}/").content.decode()

    response = aigerim.post(
        f"/cases/{case.pk}/participants/",
        {"role": "victim", "last_name": "Omarova", "first_name": "Aliya", "iin": iin(female=True), "citizenship": "KZ"},
    )

    assert response.status_code == 302
    victim = Participant.objects.get(case=case)
    assert (victim.role, victim.full_name()) == ("victim", "Omarova Aliya")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"iin": "123456789012"}, "iin"),
        ({"role": "suspect"}, "role"),
        ({"last_name": ""}, "last_name"),
        ({"special_subject": "x" * 65}, "special_subject"),
        ({"birth_date": "1990-01-01"}, "birth_date"),  # the IIN says 1990-05-17
    ],
)
def test_a_bad_participant_is_a_form_error_on_the_card_and_adds_nobody(
    world: World, changes: dict[str, str], field: str
) -> None:
    case = make_case(world)
    typed = {"role": "witness", "last_name": "Seitkali", "first_name": "Arman", "iin": iin(), "citizenship": "KZ"}
    typed.update(changes)

    response = signed_in(world.aigerim).post(f"/cases/{case.pk}/participants/", typed)

    assert response.status_code == 422
    assert field in response.context["participant_form"].errors
    assert '<details id="participants" open>' in response.content.decode()
    assert not Participant.objects.filter(case=case).exists()


def test_a_prosecutor_sees_no_form_and_may_not_post_one(world: World) -> None:
    case = make_case(world)
    bolat = signed_in(world.bolat)

    assert "/participants/" not in bolat.get(f"/cases/{case.pk}/").content.decode()
    response = bolat.post(
        f"/cases/{case.pk}/participants/",
        {"role": "witness", "last_name": "Seitkali", "first_name": "Arman", "iin": iin(), "citizenship": "KZ"},
    )
    assert response.status_code == 302
    assert not Participant.objects.filter(case=case).exists()


def test_out_of_jurisdiction_adding_a_participant_is_a_404(world: World) -> None:
    case = make_case(world)
    response = signed_in(world.ruslan).post(
        f"/cases/{case.pk}/participants/",
        {"role": "witness", "last_name": "Seitkali", "first_name": "Arman", "iin": iin(), "citizenship": "KZ"},
    )
    assert response.status_code == 404
    assert not Participant.objects.filter(case=case).exists()


def test_the_judges_case_card_shows_no_effect_or_clock_of_a_decision_out_of_reach(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    recognition = Decision.objects.get(kind="recognition_as_suspect")
    qualification = submitted(case, "qualification", subject=person, content=CONTENT["qualification"])
    workflow.agree_decision(qualification.pk, actor=world.bolat)
    workflow.announce_qualification(qualification.pk, actor=world.aigerim)  # a case event naming it
    unsent = submitted(case, "search_petition")
    petition = submitted(case, "custody_petition", subject=person)
    workflow.agree_decision(petition.pk, actor=world.bolat)
    workflow.petition_court(petition.pk, actor=world.bolat)

    prosecutor = signed_in(world.bolat).get(f"/cases/{case.pk}/")
    judge = signed_in(world.erlan).get(f"/cases/{case.pk}/")

    def named(response: object) -> set[int | None]:
        context = response.context  # type: ignore[attr-defined]
        return {e.decision_id for e in context["effects"]} | {d.decision_id for d, _, _ in context["deadlines"]}

    assert {recognition.pk, unsent.pk, petition.pk} <= named(prosecutor)
    assert named(judge) == {petition.pk}
    codes = {event.code for event in prosecutor.context["events"]}
    assert "qualification.announced" in codes
    assert {event.code for event in judge.context["events"]} == codes - {"qualification.announced"}
    suspect_title = next(e.title_here for e in prosecutor.context["effects"] if e.decision_id == recognition.pk)
    assert suspect_title in prosecutor.content.decode()
    assert suspect_title not in judge.content.decode()
