"""The case card shows a special subject held while the consent to the detention is awaited, with the
release form: the person is held, though no legal effect is in force yet."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.utils import timezone

from oversight.decisions.models import Decision
from oversight.register.models import CaseEvent
from tests.factories import World, add_person, make_case, submitted
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def held_deputy(world: World) -> Decision:
    case = make_case(world)
    deputy = add_person(case, last_name="Deputatov", special_subject="member_of_parliament")
    detained_at = timezone.now() - dt.timedelta(hours=5)
    content = {"detained_at": detained_at.isoformat(), "grounds": "Caught in the act"}
    detention = submitted(case, "detention", subject=deputy, content=content)
    assert detention.state == "awaiting_consent"
    return detention


def test_the_card_offers_the_release_of_a_person_held_awaiting_consent(world: World) -> None:
    detention = held_deputy(world)
    aigerim = signed_in(world.aigerim)
    card = aigerim.get(f"/cases/{detention.case_id}/").content.decode()
    assert "Held while the General Prosecutor's consent to the detention is awaited" in card
    assert f'id="release-held-{detention.pk}"' in card

    response = aigerim.post(
        f"/cases/{detention.case_id}/release/",
        {"participant": str(detention.subject_id), "reason": "The consent did not come in time"},
    )

    assert response.status_code == 302
    event = CaseEvent.objects.get(case_id=detention.case_id, code="person.released")
    assert event.data["awaiting_consent"] == [detention.pk]
    card = aigerim.get(f"/cases/{detention.case_id}/").content.decode()
    assert f'id="release-held-{detention.pk}"' not in card, "released: no longer held"


def test_a_release_without_its_ground_is_refused_beside_the_held_person(world: World) -> None:
    detention = held_deputy(world)
    response = signed_in(world.aigerim).post(
        f"/cases/{detention.case_id}/release/", {"participant": str(detention.subject_id), "reason": " "}
    )
    assert response.status_code == 422
    assert f'id="release-held-{detention.pk}-error"' in response.content.decode()
    assert not CaseEvent.objects.filter(case_id=detention.case_id, code="person.released").exists()


def test_the_protocols_history_says_it_went_to_the_general_prosecutor(world: World) -> None:
    detention = held_deputy(world)
    page = html.unescape(signed_in(world.aigerim).get(f"/decisions/{detention.pk}/").content.decode())
    assert "Submitted for the General Prosecutor's consent" in page
    assert "Submitted to the prosecutor" not in page
