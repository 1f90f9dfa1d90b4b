"""Clocks and small stories for the legality monitor's tests.

Every act happens at an explicit instant (time_machine, frozen), and every sweep is run as of an
explicit instant, so a test says "at 10:00 aigerim detains Seitkali; at 10:01 two days later the
monitor sweeps" and nothing depends on the wall clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import time_machine

from oversight.decisions import services as workflow
from oversight.decisions.models import Deadline, Decision, LegalEffect
from oversight.monitoring import services as monitor
from oversight.monitoring.models import Finding
from oversight.register import services as register
from oversight.register.models import Case, Participant
from tests.factories import World, iin, make_case, submitted

ASTANA = dt.timezone(dt.timedelta(hours=5))
# A Monday with no public holiday near it: day and working-day terms come out plainly.
MONDAY = dt.datetime(2026, 2, 2, 10, 0, tzinfo=ASTANA)
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Everything inside happens at `moment`, as far as timezone.now() is concerned."""
    with time_machine.travel(moment, tick=False):
        yield


def sweep_at(moment: dt.datetime, *, case_ids: list[int] | None = None) -> dict[str, int]:
    """The monitor sweeps as of `moment`, and the wall clock says `moment` too."""
    with at(moment):
        return monitor.sweep(now=moment, case_ids=case_ids)


def findings(rule: str) -> list[Finding]:
    return list(Finding.objects.filter(rule=rule).order_by("pk"))


def the_finding(rule: str) -> Finding:
    found = findings(rule)
    assert len(found) == 1, f"expected exactly one {rule} finding, got {[f.key for f in found]}"
    return found[0]


def assert_facts(finding: Finding, expected: dict[str, Any]) -> None:
    """The facts as stored (instants and dates as ISO text in JSON) equal the expected values."""
    assert set(finding.facts) == set(expected)
    for name, value in expected.items():
        stored = finding.facts[name]
        if isinstance(value, dt.datetime):
            assert dt.datetime.fromisoformat(str(stored)) == value, name
        elif isinstance(value, dt.date):
            assert stored == value.isoformat(), name
        else:
            assert stored == value, name


def person_in(
    case: Case, *, last_name: str, role: str = "witness_with_right_to_defence", special_subject: str = ""
) -> Participant:
    return register.add_participant(
        case.pk,
        actor=case.investigator,
        role=role,
        last_name=last_name,
        first_name="Arman",
        patronymic="Serikuly",
        iin=iin(),
        birth_date=dt.date(1990, 5, 17),
        special_subject=special_subject,
    )


def opened_case(world: World, moment: dt.datetime = MONDAY, **kwargs: Any) -> Case:
    with at(moment):
        return make_case(world, **kwargs)


def suspect_in(case: Case, world: World, *, last_name: str, moment: dt.datetime) -> Participant:
    """Added as a witness with the right to defence, recognised as suspect, agreed by bolat, all at `moment`."""
    with at(moment):
        person = person_in(case, last_name=last_name)
        recognition = submitted(case, "recognition_as_suspect", subject=person)
        workflow.agree_decision(recognition.pk, actor=world.bolat)
    person.refresh_from_db()
    return person


def detain(
    case: Case, person: Participant, *, detained_at: dt.datetime, moment: dt.datetime, exceptional_ground: str = ""
) -> Decision:
    """The investigator's detention protocol, submitted at `moment`; in force at once for an ordinary person."""
    content = {"detained_at": detained_at.isoformat(), "grounds": "Caught in the act"}
    if exceptional_ground:
        content["exceptional_ground"] = exceptional_ground
    with at(moment):
        return submitted(case, "detention", subject=person, content=content)


def sanction_custody(case: Case, person: Participant, world: World, *, moment: dt.datetime) -> LegalEffect:
    """Petition for custody drafted, agreed by bolat, filed, granted by judge erlan, all at `moment`."""
    with at(moment):
        petition = submitted(case, "custody_petition", subject=person)
        workflow.agree_decision(petition.pk, actor=world.bolat)
        workflow.petition_court(petition.pk, actor=world.bolat)
        workflow.grant_sanction(petition.pk, actor=world.erlan)
    return LegalEffect.objects.get(participant=person, kind="custody_in_force", ended_at__isnull=True)


def petition_extension(
    case: Case, person: Participant, world: World, *, moment: dt.datetime, total_months: int = 4
) -> Decision:
    """The extension petition drafted, agreed and filed with the judge at `moment` (not yet granted)."""
    with at(moment):
        extension = submitted(
            case,
            "custody_extension_petition",
            subject=person,
            content={"total_months": total_months, "grounds": "Expert examinations pending"},
        )
        workflow.agree_decision(extension.pk, actor=world.bolat)
        return workflow.petition_court(extension.pk, actor=world.bolat)


def open_clock(person: Participant, clock: str) -> Deadline:
    return Deadline.objects.get(participant=person, clock=clock, status="open")
