"""Every main page, in every role's view, passes axe-core (WCAG 2 A and AA, and best practice) without a serious
or critical violation.

axe is vendored (tests/browser/vendor) and injected into each page; the app's CSP forbids inline
scripts, so only these tests open their browser context with the CSP bypassed. Each test walks
its personas' pages and reports every page's violations at once, so one run names all there is to fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from oversight.decisions import services as workflow
from oversight.decisions.models import Decision
from oversight.monitoring import services as monitor
from oversight.monitoring.models import Finding
from oversight.register import services as register
from oversight.register.models import Case
from tests.browser.helpers import choose_language, new_page, sign_in, type_code, type_password
from tests.factories import World, add_person, make_case, submitted, suspect

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).parent / "vendor" / "axe-4.11.0.min.js").read_text(encoding="utf-8")
BLOCKING = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "best-practice"]});
  return result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}"""


@dataclass
class Scene:
    """One case with a decision waiting at every step, so that every view of the decision page exists."""

    case: Case
    recognition: Decision  # submitted: the prosecutor reviews it
    returned: Decision  # returned to the investigator with reasons
    consent: Decision  # about a member of parliament: awaits the General Prosecutor's consent
    custody: Decision  # petitioned: before the judge
    finding: Finding | None  # the monitor's finding on the undecided petition


def build_scene(world: World) -> Scene:
    # Registered a week ago, so that a petition filed five days ago (below) comes after the report.
    with time_machine.travel(timezone.now() - dt.timedelta(days=7), tick=False):
        case = make_case(world)
    recognition = submitted(case, "recognition_as_suspect", subject=add_person(case, last_name="Seitkali"))
    returned = submitted(case, "search_petition")
    workflow.return_decision(returned.pk, actor=world.bolat, reason="Name the flat's owner")
    consent = submitted(
        case,
        "recognition_as_suspect",
        subject=add_person(case, last_name="Mazhilisov", special_subject="member_of_parliament"),
    )
    workflow.agree_decision(consent.pk, actor=world.bolat)
    custody = submitted(case, "custody_petition", subject=suspect(case, world, last_name="Abenov"))
    workflow.agree_decision(custody.pk, actor=world.bolat)
    workflow.petition_court(custody.pk, actor=world.bolat)
    # A victim's petition left undecided past its term: the case card and the monitor show it.
    register.file_petition(
        case.pk,
        actor=world.aigerim,
        participant_id=add_person(case, role="victim", last_name="Bekova").pk,
        request="Order a valuation of the stolen phone",
        filed_at=timezone.now() - dt.timedelta(days=5),
    )
    monitor.sweep()
    return Scene(case, recognition, returned, consent, custody, Finding.objects.filter(case=case).first())


class Audit:
    """Runs axe on pages and keeps what blocks, by page."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def check(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        page.add_script_tag(content=AXE)
        violations: list[dict[str, Any]] = page.evaluate(RUN_AXE)
        blocking = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — {', '.join(violation['targets'])}"
            for violation in violations
            if violation["impact"] in BLOCKING
        ]
        if blocking:
            self.found[f"{name} ({page.url})"] = blocking

    def visit(self, page: Page, url: str, name: str) -> None:
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, f"{name}: {url} answered {response.status}"
        self.check(page, name)

    def report(self) -> str:
        return "\n".join(
            f"{name}:\n" + "\n".join(f"  - {line}" for line in lines) for name, lines in self.found.items()
        )


@pytest.fixture
def audit() -> Audit:
    return Audit()


def test_the_sign_in_pages_and_the_investigators_pages(
    live_server: LiveServer, world: World, browser: Browser, audit: Audit
) -> None:
    site = live_server.url
    scene = build_scene(world)
    case = scene.case

    anonymous = new_page(browser, bypass_csp=True)
    audit.visit(anonymous, f"{site}/", "home, signed out")
    audit.visit(anonymous, f"{site}/sign-in/", "sign-in")
    anonymous.fill("#id_username", "aigerim")
    anonymous.fill("#id_password", "not the password")
    anonymous.click("main button[type=submit]")
    expect(anonymous.locator("main .error")).to_be_visible()
    audit.check(anonymous, "sign-in with an error")

    aigerim = new_page(browser, bypass_csp=True)
    type_password(aigerim, site, world.aigerim)
    audit.check(aigerim, "second factor")
    type_code(aigerim, world.aigerim)
    choose_language(aigerim, "en")
    audit.check(aigerim, "home, investigator")
    audit.visit(aigerim, f"{site}/cases/", "case list, investigator")
    audit.visit(aigerim, f"{site}/cases/{case.pk}/", "case card, investigator")
    audit.visit(aigerim, f"{site}/cases/{case.pk}/decisions/new/?kind=recognition_as_suspect", "draft form")
    aigerim.fill("#id_articles-0-article", "9999")
    aigerim.click("button[name=save]")
    expect(aigerim.locator("#id_articles-0-article_error")).to_be_visible()
    audit.check(aigerim, "draft form with an error")
    audit.visit(aigerim, f"{site}/decisions/{scene.recognition.pk}/", "decision page, its drafter, submitted")
    audit.visit(aigerim, f"{site}/decisions/{scene.returned.pk}/", "decision page, its drafter, returned")
    audit.visit(aigerim, f"{site}/decisions/{scene.returned.pk}/edit/", "revision form")
    audit.visit(aigerim, f"{site}/account/security/", "account security")
    audit.visit(aigerim, f"{site}/cases/new/", "register a report")
    aigerim.fill("#id_article-0", "9999")
    aigerim.fill("#id_summary", "Theft of a phone")
    aigerim.locator("main form button[type=submit]").click()
    expect(aigerim.locator("#id_article-0_error")).to_be_visible()
    audit.check(aigerim, "register a report, with an error")
    aigerim.goto(f"{site}/cases/{case.pk}/")
    aigerim.locator("#participants summary").click()
    aigerim.locator("#participants button[type=submit]").click()
    expect(aigerim.locator("#id_last_name_error")).to_be_visible()
    audit.check(aigerim, "case card, a participant without a name")
    interrupted = make_case(world)
    workflow.agree_decision(submitted(interrupted, "interruption_of_terms").pk, actor=world.bolat)
    audit.visit(aigerim, f"{site}/cases/{interrupted.pk}/", "case card, terms interrupted")
    aigerim.locator("form[action$='/resume/'] button[type=submit]").click()
    expect(aigerim.locator("#resume-reason-error")).to_be_visible()
    audit.check(aigerim, "case card, resumption without its reason")

    assert not audit.found, "serious or critical accessibility violations:\n" + audit.report()


def test_the_prosecutors_pages(live_server: LiveServer, world: World, browser: Browser, audit: Audit) -> None:
    site = live_server.url
    scene = build_scene(world)

    bolat = sign_in(browser, site, world.bolat, bypass_csp=True)
    audit.check(bolat, "home, prosecutor")
    audit.visit(bolat, f"{site}/queue/", "review queue, prosecutor")
    audit.visit(bolat, f"{site}/cases/{scene.case.pk}/", "case card, prosecutor")
    audit.visit(bolat, f"{site}/decisions/{scene.recognition.pk}/", "decision page, prosecutor reviewing")
    bolat.locator("form[data-action=refuse] button[type=submit]").click()
    expect(bolat.locator("#refuse-reason-error")).to_be_visible()
    audit.check(bolat, "decision page, prosecutor, refusal without reasons")
    assert scene.finding is not None
    audit.visit(bolat, f"{site}/findings/", "violations found, prosecutor")
    audit.visit(bolat, f"{site}/findings/{scene.finding.pk}/", "finding, prosecutor")
    bolat.locator("form[action$='/resolve/'] button[type=submit]").click()
    expect(bolat.locator("#response-error")).to_be_visible()
    audit.check(bolat, "finding, resolution without its act")

    saule = sign_in(browser, site, world.saule, bypass_csp=True)
    audit.check(saule, "home, senior prosecutor")
    audit.visit(saule, f"{site}/supervision/", "supervision, senior prosecutor")
    audit.visit(saule, f"{site}/findings/roll-up/", "violations roll-up, senior prosecutor")
    audit.visit(saule, f"{site}/cases/{scene.case.pk}/", "case card, senior prosecutor")
    audit.visit(saule, f"{site}/decisions/{scene.custody.pk}/", "decision page, senior prosecutor, before the judge")

    gulnara = sign_in(browser, site, world.gulnara, bypass_csp=True)
    audit.check(gulnara, "home, General Prosecutor's Office")
    audit.visit(gulnara, f"{site}/queue/", "queue, General Prosecutor's Office")
    audit.visit(gulnara, f"{site}/decisions/{scene.consent.pk}/", "decision page, consent of the General Prosecutor")

    assert not audit.found, "serious or critical accessibility violations:\n" + audit.report()


def test_the_judges_and_the_other_roles_pages(
    live_server: LiveServer, world: World, browser: Browser, audit: Audit
) -> None:
    site = live_server.url
    scene = build_scene(world)

    erlan = sign_in(browser, site, world.erlan, bypass_csp=True)
    audit.check(erlan, "home, investigating judge")
    audit.visit(erlan, f"{site}/queue/", "petitions, investigating judge")
    audit.visit(erlan, f"{site}/decisions/{scene.custody.pk}/", "decision page, investigating judge ruling")

    nurlan = sign_in(browser, site, world.nurlan, bypass_csp=True)
    audit.check(nurlan, "home, head of unit")
    audit.visit(nurlan, f"{site}/supervision/", "supervision, head of unit")
    audit.visit(nurlan, f"{site}/cases/{scene.case.pk}/", "case card, head of unit")

    audit.check(sign_in(browser, site, world.asel, bypass_csp=True), "home, analyst")
    admin = sign_in(browser, site, world.admin, bypass_csp=True)
    audit.check(admin, "home, administrator")
    audit.visit(admin, f"{site}/cases/break-glass/", "emergency read, administrator")
    admin.locator("main form button[type=submit]").click()
    expect(admin.locator("#reason-error")).to_be_visible()
    audit.check(admin, "emergency read without a reason")
    kamila = sign_in(browser, site, world.kamila, bypass_csp=True)  # a code is good for one sign-in only
    audit.check(kamila, "home, auditor")
    audit.visit(kamila, f"{site}/access-log/", "access log, auditor")

    assert not audit.found, "serious or critical accessibility violations:\n" + audit.report()
