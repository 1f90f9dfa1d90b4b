"""Date fields in every language: the browser's date inputs take ISO 8601 only, and a date the law or the case
does not cover is an error beside its field, never a server error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from oversight.decisions.forms import DecisionForm
from oversight.law import rulebook_in_force
from oversight.register.models import ParticipantPetition
from tests.factories import World, add_person, draft, make_case
from tests.web.test_query_counts import signed_in

LANGUAGES = ["en", "ru", "kk"]
ASTANA = dt.timezone(dt.timedelta(hours=5))  # Kazakhstan's one zone since March 2024


@pytest.mark.parametrize("language", LANGUAGES)
def test_date_and_datetime_inputs_carry_iso_values_in_every_language(language: str) -> None:
    detention = rulebook_in_force(timezone.now()).decision_type("detention")
    with translation.override(language):
        form = DecisionForm(
            detention,
            [],
            initial={
                "stated_date": dt.date(2026, 11, 14),
                "detained_at": dt.datetime(2026, 11, 14, 9, 30, tzinfo=ASTANA),
            },
        )
        assert 'value="2026-11-14"' in str(form["stated_date"])
        assert 'value="2026-11-14T09:30"' in str(form["detained_at"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_the_date_inputs_send_is_read_in_every_language(language: str) -> None:
    detention = rulebook_in_force(timezone.now()).decision_type("detention")
    with translation.override(language):
        form = DecisionForm(detention, [], data={"stated_date": "2026-11-14", "detained_at": "2026-11-14T09:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["stated_date"] == dt.date(2026, 11, 14)
    assert form.cleaned_data["detained_at"] == dt.datetime(2026, 11, 14, 9, 30, tzinfo=ASTANA)


def _in_russian(world: World) -> None:
    world.aigerim.preferred_language = "ru"
    world.aigerim.save(update_fields=["preferred_language"])


def test_aigerim_sees_the_decision_date_in_russian_on_the_draft_and_edit_pages(world: World) -> None:
    _in_russian(world)
    case = make_case(world)
    aigerim = signed_in(world.aigerim)
    today = timezone.localdate().isoformat()
    page = aigerim.get(f"/cases/{case.pk}/decisions/new/?kind=interruption_of_terms").content.decode()
    assert f'value="{today}"' in page
    decision = draft(case, "interruption_of_terms")
    page = aigerim.get(f"/decisions/{decision.pk}/edit/").content.decode()
    assert f'name="stated_date" value="{decision.stated_date.isoformat()}"' in page


@pytest.mark.parametrize(
    "filed_at",
    [
        "2020-05-01T10:00",  # no rulebook in force: was a 500
        "yesterday",  # before the case was reported (a case reported today)
        "2099-01-01T10:00",  # in the future
    ],
)
def test_a_petition_dated_outside_the_case_is_refused_beside_its_field(world: World, filed_at: str) -> None:
    _in_russian(world)
    case = make_case(world)
    victim = add_person(case, role="victim", last_name="Amanova")
    if filed_at == "yesterday":
        filed_at = timezone.localtime(case.reported_at - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = signed_in(world.aigerim).post(
        f"/cases/{case.pk}/petitions/", {"participant": victim.pk, "request": "Order a valuation", "filed_at": filed_at}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="petition-filed-error"' in page
    assert f'value="{filed_at}"' in page
    assert ParticipantPetition.objects.count() == 0


def test_a_petition_filed_after_the_report_is_recorded_from_the_page(world: World) -> None:
    case = make_case(world)
    victim = add_person(case, role="victim", last_name="Amanova")
    filed = timezone.localtime(case.reported_at + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = signed_in(world.aigerim).post(
        f"/cases/{case.pk}/petitions/", {"participant": victim.pk, "request": "Order a valuation", "filed_at": filed}
    )
    assert response.status_code == 302
    petition = ParticipantPetition.objects.get()
    assert timezone.localtime(petition.filed_at).strftime("%Y-%m-%dT%H:%M") == filed
