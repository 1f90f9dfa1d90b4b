"""Resuming interrupted terms from the case card, and over the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from oversight.audit.models import AccessLogEntry
from oversight.decisions import services as workflow
from oversight.law import KAZAKHSTAN
from oversight.register.models import Case, CaseEvent, CaseStatus
from tests.factories import World, make_case, submitted
from tests.web.test_monitoring_pages import in_english
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def interrupted(world: World) -> Case:
    case = make_case(world)
    workflow.agree_decision(submitted(case, "interruption_of_terms").pk, actor=world.bolat)
    return Case.objects.get(pk=case.pk)


def test_the_investigator_resumes_the_terms_from_the_case_card(world: World) -> None:
    in_english(world.aigerim)
    running = make_case(world)
    aigerim = signed_in(world.aigerim)
    assert "Resume the terms" not in aigerim.get(f"/cases/{running.pk}/").content.decode()

    case = interrupted(world)
    card = aigerim.get(f"/cases/{case.pk}/").content.decode()
    assert "Resume the terms" in card
    assert "Terms interrupted" in card
    assert "of the term were left" in card, "how much of the term the investigator gets back"
    assert "CPC art. 45 p. 7: the term runs on with the time it had left" in card

    refused = aigerim.post(f"/cases/{case.pk}/resume/", {"reason": " "})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert 'aria-invalid="true" aria-describedby="resume-reason-error"' in page
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INTERRUPTED

    resumed = aigerim.post(f"/cases/{case.pk}/resume/", {"reason": "The suspect was detained in Kostanay"}, follow=True)
    assert resumed.status_code == 200
    page = resumed.content.decode()
    assert "The terms run again" in page
    assert "Terms of investigation resumed" in page, "the case's history names the act"
    assert "Resume the terms" not in page
    assert Case.objects.get(pk=case.pk).status == CaseStatus.UNDER_INVESTIGATION
    assert AccessLogEntry.objects.filter(action="resume_terms", user=world.aigerim, object_id=str(case.pk)).exists()

    again = aigerim.post(f"/cases/{case.pk}/resume/", {"reason": "Twice"}, follow=True)
    assert "are not interrupted" in again.content.decode()
    assert CaseEvent.objects.filter(case=case, code="case.terms_resumed").count() == 1


def test_the_card_reads_in_russian(world: World) -> None:
    case = interrupted(world)
    world.aigerim.preferred_language = "ru"
    world.aigerim.save(update_fields=["preferred_language"])
    card = signed_in(world.aigerim).get(f"/cases/{case.pk}/").content.decode()
    assert "Возобновить сроки" in card
    assert "ч. 7 ст. 45 УПК" in card or "ст. 45 ч. 7 УПК" in card


def test_outside_the_case_the_resume_page_is_not_found(world: World) -> None:
    case = interrupted(world)
    body = {"reason": "Not mine"}
    assert signed_in(world.dana).post(f"/cases/{case.pk}/resume/", body).status_code == 404
    assert signed_in(world.ruslan).post(f"/cases/{case.pk}/resume/", body).status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INTERRUPTED


def api(client: Client, token: str, case: Case, body: object) -> tuple[int, dict[str, object]]:
    response = client.post(
        f"/api/cases/{case.pk}/resume",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code, response.json()


def test_resume_terms_over_the_api(world: World) -> None:
    case = interrupted(world)
    client = Client()
    token = world.token(world.aigerim)

    status, problem = api(client, token, case, {"reason": ""})
    assert status == 422
    assert "reason" in json.dumps(problem)
    status, problem = api(client, token, case, {})
    assert status == 422
    assert "reason" in json.dumps(problem)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INTERRUPTED

    status, body = api(client, token, case, {"reason": "The suspect has been identified"})
    assert status == 200
    assert body["status"] == "under_investigation"
    assert body["term_ends_at"] is not None

    status, problem = api(client, token, case, {"reason": "Again"})
    assert status == 409
    assert "are not interrupted" in str(problem["detail"])

    status, _ = api(client, world.token(world.dana), interrupted(world), {"reason": "Another office's case"})
    assert status == 404


def test_the_card_says_when_the_term_would_end_if_resumed_now_and_resuming_gives_that(world: World) -> None:
    start = dt.datetime(2026, 9, 7, 10, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    with time_machine.travel(start, tick=False):
        case = interrupted(world)
    now = start + dt.timedelta(days=40)
    with time_machine.travel(now, tick=False):
        card = signed_in(world.aigerim).get(f"/cases/{case.pk}/")
        prosecutor = signed_in(world.bolat).get(f"/cases/{case.pk}/")
        workflow.resume_terms(case.pk, actor=world.aigerim, reason="The suspect was found")

    case.refresh_from_db()
    # Two months from Mon 7 Sep end on Sat 7 Nov; 40 days on: Thu 17 Dec, at 24:00.
    assert card.context["end_if_resumed"] == case.term_ends_at == KAZAKHSTAN.end_of_day(dt.date(2026, 12, 17))
    assert 'id="end-if-resumed"' in card.content.decode()
    assert prosecutor.context["end_if_resumed"] == card.context["end_if_resumed"], (
        "the supervising prosecutor may resume"
    )


def test_the_card_says_a_term_interrupted_after_it_ran_out_stays_run_out(world: World) -> None:
    in_english(world.aigerim)
    with time_machine.travel(dt.datetime(2026, 9, 7, 10, tzinfo=dt.UTC), tick=False):
        case = make_case(world)
    assert case.term_ends_at is not None
    with time_machine.travel(case.term_ends_at + dt.timedelta(days=2), tick=False):
        workflow.agree_decision(submitted(case, "interruption_of_terms").pk, actor=world.bolat)
    with time_machine.travel(case.term_ends_at + dt.timedelta(days=9), tick=False):
        card = signed_in(world.aigerim).get(f"/cases/{case.pk}/")

    assert card.context["end_if_resumed"] == case.term_ends_at
    assert "It had run out when it was interrupted: resumed, it stays run out" in card.content.decode()
