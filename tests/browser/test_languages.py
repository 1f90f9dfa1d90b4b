"""The return-and-revise journey in Kazakh and in Russian: no interface string is left in English.

Every page the journey shows is read as a person sees it and compared with the catalogues: no
English source string whose translation differs may appear (WCAG 3.1.1 also wants the page's lang).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from oversight.decisions.models import Decision
from tests.browser.conftest import screenshot
from tests.browser.helpers import sign_in
from tests.factories import World, add_person, make_case

pytestmark = pytest.mark.django_db(transaction=True)

LOCALE = Path(__file__).resolve().parents[2] / "src" / "oversight" / "locale"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def english_strings(language: str) -> list[str]:
    """Source strings a page could show verbatim if a translation were missing."""
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalogue = read_po(handle)
    found: list[str] = []
    for message in catalogue:
        source = message.id if isinstance(message.id, str) else message.id[0]
        translated = message.string if isinstance(message.string, str) else (message.string or ("",))[0]
        if not source or "%" in source or "<" in source or source == translated:
            continue
        words = re.findall(r"[A-Za-z]+", source)
        if len(words) >= 2 or (len(words) == 1 and len(words[0]) >= 5):
            found.append(source)
    return found


def untranslated(page: Page, strings: list[str]) -> list[str]:
    text = " ".join(page.inner_text("body").split())
    return [s for s in strings if re.search(r"(?<![A-Za-z])" + re.escape(" ".join(s.split())) + r"(?![A-Za-z])", text)]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_journey_reads_entirely_in_the_chosen_language(
    live_server: LiveServer, world: World, browser: Browser, language: str
) -> None:
    site = live_server.url
    strings = english_strings(language)
    assert len(strings) > 100, "the catalogue is read"
    case = make_case(world)
    witness = add_person(case, last_name="Seitkali")
    seen: dict[str, list[str]] = {}

    def look(page: Page, name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", language)
        seen[name] = untranslated(page, strings)
        screenshot(page, f"{language}-{name}")

    aigerim = sign_in(browser, site, world.aigerim, language=language)
    look(aigerim, "home")
    aigerim.goto(f"{site}/cases/{case.pk}/")
    look(aigerim, "case-card")
    aigerim.select_option("#kind", "recognition_as_suspect")
    aigerim.locator("#kind").locator("xpath=ancestor::form").locator("button").click()
    aigerim.fill("#id_articles-0-article", "188")
    aigerim.fill("#id_grounds", "CCTV 14")
    aigerim.select_option("#id_subject", str(witness.pk))
    look(aigerim, "draft")
    # A date input shows only an ISO value; a localised one ("14.11.2026" in Russian) reads as empty.
    expect(aigerim.locator("#id_stated_date")).to_have_value(ISO_DATE)
    aigerim.click("button[name=submit]")
    decision = Decision.objects.get(case=case)
    look(aigerim, "submitted")

    bolat = sign_in(browser, site, world.bolat, language=language)
    bolat.goto(f"{site}/queue/")
    look(bolat, "queue")
    bolat.goto(f"{site}/decisions/{decision.pk}/")
    look(bolat, "decision")
    bolat.fill("#return-reason", "CCTV 14?")
    bolat.locator("form[data-action=return] button[type=submit]").click()
    look(bolat, "returned")

    aigerim.goto(f"{site}/decisions/{decision.pk}/edit/")
    aigerim.fill("#id_grounds", "CCTV 14, 15")
    expect(aigerim.locator("#id_stated_date")).to_have_value(ISO_DATE)
    look(aigerim, "revise")
    aigerim.click("button[name=submit]")
    bolat.goto(f"{site}/decisions/{decision.pk}/")
    look(bolat, "what-changed")
    bolat.click("#agree")
    aigerim.goto(f"{site}/cases/{case.pk}/")
    look(aigerim, "case-card-after")

    decision.refresh_from_db()
    assert decision.state == "in_force"
    assert {page: found for page, found in seen.items() if found} == {}
