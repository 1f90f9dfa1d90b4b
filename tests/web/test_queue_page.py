"""The queue's keyboard hint names the keys of the acts this user performs."""

from __future__ import annotations

import re

import pytest

from tests.factories import World
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def hint(page_html: str) -> str:
    found = re.search(r'<p class="muted" id="keyboard">(.*?)</p>', page_html, re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def test_the_prosecutor_is_told_the_review_keys(world: World) -> None:
    text = hint(signed_in(world.bolat).get("/queue/").content.decode())

    assert '<span class="kbd">a</span> agree' in text
    assert '<span class="kbd">x</span> refuse' in text
    assert '<span class="kbd">p</span> petition the court' in text
    assert '<span class="kbd">g</span>' not in text


def test_the_judge_is_told_the_ruling_keys_not_the_prosecutors(world: World) -> None:
    text = hint(signed_in(world.erlan).get("/queue/").content.decode())

    assert '<span class="kbd">g</span> grant the sanction' in text
    assert '<span class="kbd">d</span> deny it' in text
    assert '<span class="kbd">a</span>' not in text
    assert "Enter carries it out" in text


def test_the_general_prosecutor_is_told_the_consent_key(world: World) -> None:
    text = hint(signed_in(world.gulnara).get("/queue/").content.decode())

    assert '<span class="kbd">c</span> give consent' in text
