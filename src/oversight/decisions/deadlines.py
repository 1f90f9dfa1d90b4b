"""Opening and closing the clocks the rulebook attaches to decisions and persons."""

from __future__ import annotations

import datetime as dt

from django.db import models

from oversight.decisions.models import Deadline, DeadlineStatus, Decision
from oversight.kit import rows
from oversight.law import Rulebook, deadline_for
from oversight.register.models import Case, Participant


def open_deadline(
    *,
    case: Case,
    clock: str,
    start: dt.datetime,
    rulebook: Rulebook,
    decision: Decision | None = None,
    participant: Participant | None = None,
    exceptional: bool = False,
    amount: int | None = None,
) -> Deadline:
    deadline = step_deadline(
        case=case,
        clock=clock,
        start=start,
        rulebook=rulebook,
        decision=decision,
        participant=participant,
        exceptional=exceptional,
        amount=amount,
    )
    rows.insert(deadline)  # an effect opens a person's clock: a statement written once
    return deadline


def step_deadline(
    *,
    case: Case,
    clock: str,
    start: dt.datetime,
    rulebook: Rulebook,
    decision: Decision | None = None,
    participant: Participant | None = None,
    exceptional: bool = False,
    amount: int | None = None,
) -> Deadline:
    """The clock `clock` started at `start`, not yet written: a transition writes the clock of the step it
    opens in the statement of its event (decisions.services._record)."""
    return Deadline(
        case=case,
        decision=decision,
        participant=participant,
        clock=clock,
        rulebook_version=rulebook.version,
        exceptional=exceptional,
        started_at=start,
        due_at=deadline_for(clock, start, exceptional=exceptional, rulebook=rulebook, amount=amount),
    )


def acted_on(at: dt.datetime) -> models.Case:
    """The status of a clock closed at `at` by the act it awaited, decided per row by the database:
    met on or before its due time, late after it (the limit was broken even though the act came)."""
    return models.Case(
        models.When(due_at__lt=at, then=models.Value(DeadlineStatus.LATE)),
        default=models.Value(DeadlineStatus.MET),
    )


def close_person_deadlines(participant: Participant, clocks: tuple[str, ...], *, at: dt.datetime, met: bool) -> int:
    """Close the person's clocks: met (or late) when the act they awaited came, cleared otherwise."""
    status = acted_on(at) if met else models.Value(DeadlineStatus.CLEARED)
    return Deadline.objects.filter(participant=participant, clock__in=clocks, status=DeadlineStatus.OPEN).update(
        status=status, closed_at=at
    )


def close_case_deadlines(case: Case, *, at: dt.datetime) -> int:
    """A terminated case or one sent to court has no running clocks left."""
    return Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN).update(
        status=DeadlineStatus.CLEARED, closed_at=at
    )
