"""Reading a decision through the visibility filter: what it brings, and what stays out of reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oversight.accounts.access import jurisdiction_of
from oversight.decisions import services as workflow
from oversight.decisions.access import access_decision
from oversight.decisions.models import Decision
from oversight.kit.errors import NotFound
from tests.factories import World, make_case, submitted, suspect


def petitioned_and_case_level(world: World) -> tuple[Decision, Decision]:
    """A custody petition before the court (a subject and a court) and an interruption (neither)."""
    case = make_case(world)
    person = suspect(case, world)
    detained_at = (timezone.now() - dt.timedelta(hours=20)).isoformat()
    submitted(case, "detention", subject=person, content={"detained_at": detained_at, "grounds": "Caught in the act"})
    petition = submitted(case, "custody_petition", subject=person)
    workflow.agree_decision(petition.pk, actor=world.bolat)
    petition = workflow.petition_court(petition.pk, actor=world.bolat)
    interruption = submitted(case, "interruption_of_terms")
    return petition, interruption


def test_a_read_brings_the_decision_and_all_it_names_in_one_statement(world: World) -> None:
    petition, interruption = petitioned_and_case_level(world)
    assert petition.court is not None, "the petition is before the court"
    assert petition.subject is not None
    assert interruption.subject is None, "an interruption concerns the case alone"
    assert interruption.court is None
    for reader in (world.aigerim, world.bolat, world.erlan):
        jurisdiction = jurisdiction_of(reader)
        for expected in (petition, interruption):
            if reader == world.erlan and expected == interruption:
                continue  # the judge sees only what is brought before the court
            stored = Decision.objects.select_related("case__supervising_office", "drafted_by", "subject", "court").get(
                pk=expected.pk
            )
            with CaptureQueriesContext(connection) as statements:
                read = access_decision(reader, expected.pk, jurisdiction=jurisdiction)
                named = (read.case, read.case.supervising_office, read.drafted_by, read.subject, read.court)
            assert len(statements.captured_queries) == 1
            assert [getattr(read, f.attname) for f in Decision._meta.concrete_fields] == [
                getattr(stored, f.attname) for f in Decision._meta.concrete_fields
            ]
            assert named == (
                stored.case,
                stored.case.supervising_office,
                stored.drafted_by,
                stored.subject,
                stored.court,
            )
            assert read.case.erdr_number == stored.case.erdr_number
            assert read.case.supervising_office.path == stored.case.supervising_office.path


def test_out_of_reach_is_the_same_not_found_as_missing(world: World) -> None:
    petition, interruption = petitioned_and_case_level(world)
    missing = Decision.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    for reader, decision_id in (
        (world.dana, petition.pk),  # a prosecutor of another district
        (world.ruslan, interruption.pk),  # an investigator of another region
        (world.zhanna, petition.pk),  # a judge of another court
        (world.erlan, interruption.pk),  # a judge, of a decision not before the court
        (world.bolat, missing),
    ):
        with pytest.raises(NotFound) as raised:
            access_decision(reader, decision_id)
        assert str(raised.value.detail) == f"decision {decision_id} not found"
