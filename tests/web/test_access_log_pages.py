"""Changes made through the pages leave their access-log row (LED art. 25), as the API's do."""

from __future__ import annotations

import pytest

from oversight.audit.models import AccessLogEntry, Operation
from oversight.decisions.models import Decision
from oversight.register.models import Case
from tests.factories import World, add_person, make_case, submitted
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def test_a_decision_agreed_through_its_page_is_logged_as_an_alteration_with_the_case(world: World) -> None:
    case = make_case(world)
    decision = submitted(case, "recognition_as_suspect", subject=add_person(case))

    response = signed_in(world.bolat).post(f"/decisions/{decision.pk}/agree/", {"reason": ""})

    assert response.status_code == 302
    assert Decision.objects.get(pk=decision.pk).state == "in_force"
    entry = AccessLogEntry.objects.get(action="agree_decision")
    assert (entry.user, entry.operation, entry.object_type, entry.object_id, entry.object_label) == (
        world.bolat,
        Operation.ALTERATION,
        "decision",
        str(decision.pk),
        case.erdr_number,
    )


def test_a_refused_act_through_a_page_writes_no_alteration_row(world: World) -> None:
    case = make_case(world)
    decision = submitted(case, "recognition_as_suspect", subject=add_person(case))

    response = signed_in(world.bolat).post(f"/decisions/{decision.pk}/refuse/", {"reason": "  "})

    assert response.status_code == 422
    assert not AccessLogEntry.objects.filter(operation=Operation.ALTERATION).exists()


def test_reassigning_a_case_through_its_card_is_logged(world: World) -> None:
    case = make_case(world)

    signed_in(world.saule).post(f"/cases/{case.pk}/procedural-prosecutor/", {"prosecutor": world.bolat.pk})

    assert Case.objects.get(pk=case.pk).procedural_prosecutor == world.bolat
    entry = AccessLogEntry.objects.get(action="assign_procedural_prosecutor")
    assert (entry.user, entry.object_id) == (world.saule, str(case.pk))
