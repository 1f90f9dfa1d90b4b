"""An act on a case updates the case's row in place: a heap-only (HOT) update, no new index entries.

Every transition and every act of the register sets the case's `last_act_at` (register migration
0005). PostgreSQL counts, per transaction, the rows a table had updated and how many of those
updates were heap-only; an index naming `last_act_at` makes every one of them a full update.
"""

from __future__ import annotations

import pytest
from django.db import connection

from oversight.decisions import services as workflow
from tests.factories import World, add_person, draft, make_case

pytestmark = pytest.mark.django_db


def case_updates() -> tuple[int, int]:
    """The case rows this transaction updated so far, and how many of those updates were heap-only."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_get_xact_tuples_updated('register_case'::regclass), "
            "pg_stat_get_xact_tuples_hot_updated('register_case'::regclass)"
        )
        updated, hot = cursor.fetchone()
    return updated, hot


def test_acts_on_a_case_update_its_row_in_place(world: World) -> None:
    case = make_case(world)
    updated_before, hot_before = case_updates()

    person = add_person(case)  # an act of the register
    decision = draft(case, "recognition_as_suspect", subject=person)
    workflow.submit_decision(decision.pk, actor=world.aigerim)
    workflow.agree_decision(decision.pk, actor=world.bolat)

    updated, hot = case_updates()
    assert updated - updated_before == 4, "the participant added, the draft, the submission, the agreement"
    assert hot - hot_before == 4, "each act only moved the case's last act: a heap-only update"
