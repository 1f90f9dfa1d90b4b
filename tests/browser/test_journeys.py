"""Whole journeys through the pages, each persona in a browser of their own, signed in with password and code.

The investigator drafts, the prosecutor returns, agrees or petitions, the judge rules; what a person
reads on the way (reasons, what changed, clocks, who acted first) is asserted on the page, and the
outcome on the database.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from oversight.decisions.models import Deadline, Decision, DecisionEvent, DecisionRevision
from oversight.register.models import Participant
from tests.browser.conftest import screenshot
from tests.browser.helpers import sign_in
from tests.factories import World, add_person, make_case, submitted, suspect

pytestmark = pytest.mark.django_db(transaction=True)

COUNTDOWN_LEFT = re.compile(r"^(\d+ d )?(\d+ h )?\d+ min left$")


def open_from_queue(page: Page, text: str) -> None:
    """Open the decision of the queue row that mentions `text`."""
    page.locator("#queue tr[data-queue-row]", has_text=text).get_by_role("link").first.click()


def test_a_recognition_is_returned_revised_and_agreed(live_server: LiveServer, world: World, browser: Browser) -> None:
    site = live_server.url
    case = make_case(world)
    witness = add_person(case, last_name="Seitkali")

    aigerim = sign_in(browser, site, world.aigerim)
    screenshot(aigerim, "home-investigator")
    aigerim.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(aigerim.locator("h1")).to_contain_text("Cases within your reach")
    screenshot(aigerim, "case-list")
    aigerim.get_by_role("link", name=case.erdr_number).click()
    expect(aigerim.locator("h1")).to_contain_text(case.erdr_number)
    screenshot(aigerim, "case-card")

    aigerim.select_option("#kind", "recognition_as_suspect")
    aigerim.get_by_role("button", name="Draft", exact=True).click()
    expect(aigerim.locator("h1")).to_have_text("Recognition as suspect")
    aigerim.fill("#id_articles-0-article", "188")
    aigerim.fill("#id_articles-0-part", "2")
    aigerim.fill("#id_grounds", "Identified by the victim")
    aigerim.select_option("#id_subject", str(witness.pk))
    screenshot(aigerim, "draft-form")
    aigerim.click("button[name=submit]")
    expect(aigerim.locator(".messages")).to_contain_text("Submitted to the prosecutor.")
    decision = Decision.objects.get(case=case, kind="recognition_as_suspect")
    assert decision.state == "submitted"

    bolat = sign_in(browser, site, world.bolat)
    screenshot(bolat, "home-prosecutor")
    bolat.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    row = bolat.locator("#queue tr[data-queue-row]", has_text="Recognition as suspect")
    expect(row).to_contain_text(case.erdr_number)
    expect(row).to_contain_text("Seitkali Arman")
    expect(row.locator(".due [data-countdown]")).to_have_text(COUNTDOWN_LEFT)
    screenshot(bolat, "queue")
    open_from_queue(bolat, "Seitkali")
    expect(bolat.locator("h1")).to_contain_text(f"Recognition as suspect #{decision.pk}")
    screenshot(bolat, "decision-for-review")
    reason = "Name the CCTV recording and the victim's statement it rests on"
    bolat.fill("#return-reason", reason)
    bolat.locator("form[data-action=return] button[type=submit]").click()
    expect(bolat.locator(".messages")).to_contain_text("Returned for rework.")

    aigerim.goto(f"{site}/decisions/{decision.pk}/")
    expect(aigerim.locator("h1 .state")).to_have_text("returned for rework")
    expect(aigerim.locator("section.notice")).to_contain_text("Returned for rework: the prosecutor's reasons")
    expect(aigerim.locator("section.notice")).to_contain_text(reason)
    screenshot(aigerim, "decision-returned")
    aigerim.goto(f"{site}/")
    expect(aigerim.locator("#mine + ul")).to_contain_text(reason)
    aigerim.goto(f"{site}/decisions/{decision.pk}/")
    aigerim.get_by_role("link", name="Revise the draft").click()
    expect(aigerim.locator("section.notice")).to_contain_text(reason)
    expect(aigerim.locator("#id_grounds")).to_have_value("Identified by the victim")
    aigerim.fill("#id_grounds", "Identified by the victim and by CCTV recording 14")
    aigerim.click("button[name=submit]")
    expect(aigerim.locator(".messages")).to_contain_text("Submitted to the prosecutor.")

    bolat.goto(f"{site}/queue/")
    expect(bolat.locator("#queue tr[data-queue-row]", has_text="Seitkali")).to_contain_text("revision 2")
    open_from_queue(bolat, "Seitkali")
    changes = bolat.locator("section.diff")
    expect(changes.locator("h2")).to_have_text("What changed since the return")
    expect(changes).to_contain_text(reason)
    expect(changes.locator("ins")).to_have_text("and by CCTV recording 14")
    screenshot(bolat, "decision-what-changed")
    bolat.click("#agree")
    expect(bolat.locator(".messages")).to_contain_text("Agreed.")

    aigerim.goto(f"{site}/cases/{case.pk}/")
    person_row = aigerim.locator("#people + table tbody tr", has_text="Seitkali Arman")
    expect(person_row.locator("td").nth(1)).to_have_text("Suspect")
    expect(aigerim.locator("#effects + ul")).to_contain_text("Recognised as suspect — Seitkali Arman")
    expect(aigerim.locator("#decisions ~ table tbody tr", has_text="Recognition as suspect")).to_contain_text(
        "in force"
    )
    screenshot(aigerim, "case-card-after-recognition")

    decision.refresh_from_db()
    assert decision.state == "in_force"
    assert decision.revision == 2
    assert DecisionRevision.objects.filter(decision=decision).count() == 2
    assert Participant.objects.get(pk=witness.pk).role == "suspect"


def test_custody_is_agreed_petitioned_and_granted(live_server: LiveServer, world: World, browser: Browser) -> None:
    site = live_server.url
    case = make_case(world)
    person = suspect(case, world, last_name="Abenov")
    petition = submitted(case, "custody_petition", subject=person)

    bolat = sign_in(browser, site, world.bolat)
    bolat.goto(f"{site}/queue/")
    open_from_queue(bolat, "Petition for custody")
    bolat.click("#agree")
    expect(bolat.locator(".messages")).to_contain_text("Agreed.")
    expect(bolat.locator("#queue tr[data-queue-row]", has_text="Petition for custody")).to_contain_text(
        "agreed, to be petitioned"
    )
    open_from_queue(bolat, "Petition for custody")
    bolat.locator("form[data-action=petition] button[type=submit]").click()
    expect(bolat.locator(".messages")).to_contain_text("Petition filed with the investigating judge.")

    erlan = sign_in(browser, site, world.erlan)
    screenshot(erlan, "home-judge")
    erlan.get_by_role("navigation", name="Main").get_by_role("link", name="Petitions").click()
    expect(erlan.locator("#queue tr[data-queue-row]", has_text="Petition for custody")).to_contain_text("Abenov")
    screenshot(erlan, "queue-judge")
    open_from_queue(erlan, "Petition for custody")
    expect(erlan.locator("h1")).to_contain_text(f"Petition for custody #{petition.pk}")
    screenshot(erlan, "decision-for-ruling")
    erlan.fill("#grant-reason", "The risk of absconding is shown")
    erlan.click("#grant")
    expect(erlan.locator(".messages")).to_contain_text("Sanction granted.")

    custody = Deadline.objects.get(case=case, clock="custody", participant=person)
    due = timezone.localtime(custody.due_at).strftime("%Y-%m-%d %H:%M")
    bolat.goto(f"{site}/cases/{case.pk}/")
    clock = bolat.locator("#clocks + ul li", has=bolat.get_by_text("Custody", exact=True))
    expect(clock).to_contain_text("Abenov Arman")
    expect(clock.locator(".due time")).to_have_text(due)
    expect(clock.locator(".due [data-countdown]")).to_have_text(COUNTDOWN_LEFT)
    expect(bolat.locator("#effects + ul")).to_contain_text("In custody — Abenov Arman")
    screenshot(bolat, "case-card-custody")
    petition.refresh_from_db()
    assert petition.state == "in_force"
    assert petition.ruled_by_id == world.erlan.pk


def test_the_second_reviewer_is_told_who_decided_first(live_server: LiveServer, world: World, browser: Browser) -> None:
    site = live_server.url
    case = make_case(world)
    petition = submitted(case, "custody_petition", subject=suspect(case, world))
    bolat = sign_in(browser, site, world.bolat)
    saule = sign_in(browser, site, world.saule)
    for page in (bolat, saule):
        page.goto(f"{site}/decisions/{petition.pk}/")
        expect(page.locator("#agree")).to_be_visible()

    bolat.click("#agree")
    expect(bolat.locator(".messages")).to_contain_text("Agreed.")
    saule.fill("#refuse-reason", "The grounds are thin")
    saule.locator("form[data-action=refuse] button[type=submit]").click()

    message = saule.locator(".messages .message.error")
    expect(message).to_contain_text("Bolatova Bolat")
    agreement = DecisionEvent.objects.get(decision=petition, code="decision.agreed")
    expect(message).to_contain_text(f"agreed by Bolatova Bolat at {timezone.localtime(agreement.at):%Y-%m-%d %H:%M}")
    expect(saule.locator("h1 .state")).to_have_text("agreed, to be petitioned")
    assert saule.url == f"{site}/decisions/{petition.pk}/"
    petition.refresh_from_db()
    assert petition.state == "agreed"
    assert petition.agreed_by_id == world.bolat.pk
    assert not DecisionEvent.objects.filter(decision=petition, code="decision.refused").exists()
    screenshot(saule, "decision-conflict")

    saule.get_by_role("navigation", name="Main").get_by_role("link", name="Supervision").click()
    expect(saule.locator("h1")).to_have_text("Supervision")
    expect(saule.locator("#offices + table")).to_contain_text("Almaty district office of Astana")
    screenshot(saule, "supervision-senior-prosecutor")


def test_a_rejected_draft_comes_back_with_what_was_typed(
    live_server: LiveServer, world: World, browser: Browser
) -> None:
    site = live_server.url
    case = make_case(world)
    witness = add_person(case)
    aigerim = sign_in(browser, site, world.aigerim)
    aigerim.goto(f"{site}/cases/{case.pk}/decisions/new/?kind=recognition_as_suspect")
    aigerim.fill("#id_articles-0-article", "9999")
    aigerim.fill("#id_articles-0-part", "1")
    aigerim.fill("#id_grounds", "Seen leaving the shop with the phone")
    aigerim.select_option("#id_subject", str(witness.pk))
    with aigerim.expect_response(lambda response: response.request.method == "POST") as answer:
        aigerim.click("button[name=save]")
    assert answer.value.status == 422

    expect(aigerim.locator("#id_grounds")).to_have_value("Seen leaving the shop with the phone")
    expect(aigerim.locator("#id_articles-0-article")).to_have_value("9999")
    expect(aigerim.locator("#id_subject")).to_have_value(str(witness.pk))
    beside = aigerim.locator("div", has=aigerim.locator("> #id_articles-0-article")).locator("> p.error")
    expect(beside).to_have_count(1)
    expect(beside).to_have_attribute("id", "id_articles-0-article_error")
    expect(beside).to_have_text("Offences are defined in articles 99 to 475 of the Criminal Code (Special Part).")
    screenshot(aigerim, "draft-form-error")
    assert not Decision.objects.filter(case=case).exists()


def test_the_queue_is_worked_from_the_keyboard(live_server: LiveServer, world: World, browser: Browser) -> None:
    site = live_server.url
    case = make_case(world)
    first = submitted(case, "recognition_as_suspect", subject=add_person(case, last_name="Ospanov"))
    submitted(case, "recognition_as_suspect", subject=add_person(case, last_name="Zhakupov"))
    Decision.objects.filter(pk=first.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))

    bolat = sign_in(browser, site, world.bolat)
    bolat.goto(f"{site}/queue/")
    expect(bolat.locator("h1 .due.late")).to_have_text(re.compile(r"^1 overdue\b"))
    rows = bolat.locator("#queue tr[data-queue-row]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ospanov")
    expect(rows.nth(1)).to_contain_text("Zhakupov")
    expect(rows.first.locator(".due")).to_have_class(re.compile(r"\blate\b"))
    expect(rows.first.locator("[data-countdown]")).to_have_text(re.compile(r"^overdue by (\d+ h )?\d+ min$"))
    expect(rows.nth(1).locator(".due")).not_to_have_class(re.compile(r"\b(late|red|amber)\b"))

    bolat.keyboard.press("j")
    expect(rows.first.get_by_role("link")).to_be_focused()
    bolat.keyboard.press("j")
    expect(rows.nth(1).get_by_role("link")).to_be_focused()
    bolat.keyboard.press("k")
    expect(rows.first.get_by_role("link")).to_be_focused()
    bolat.keyboard.press("Enter")
    bolat.wait_for_url(f"{site}/decisions/{first.pk}/")
    bolat.keyboard.press("r")
    expect(bolat.locator("#return-reason")).to_be_focused()
