"""Terms and their arithmetic, after CPC art. 49 (the article text is to be confirmed).

- Hour terms run from the moment of the event as elapsed time, never moved off non-working days.
- In day and month terms the starting day is not counted, and the term ends at 24:00 local time
  of its last day.
- A month term ends on the same date of its last month, or that month's last day where the
  date does not exist.
- A day or month term whose last day is non-working ends on the next working day, unless the
  term is one of those the law exempts (detention, custody, house arrest, placement).
- Working-day terms count only working days after the starting day.
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from oversight.law.calendar import Calendar


class Unit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


class NoExceptionalTerm(ValueError):
    """The clock has no exceptional length in this rulebook."""


@dataclass(frozen=True)
class Source:
    """Where a value comes from, and whether its text has been confirmed."""

    article: str
    note: str = ""
    confirmed: bool = True

    @property
    def to_be_confirmed(self) -> bool:
        return not self.confirmed


@dataclass(frozen=True)
class Term:
    """A legal term: how long a clock runs, in what unit, and from which article."""

    amount: int
    unit: Unit
    source: Source
    exceptional_amount: int | None = None
    moves_off_non_working_days: bool = True
    relative_to: str | None = None  # another clock; the amount is then an offset from its end
    # Where a term departs from art. 49's general rule on a last day that is not a working day.
    calendar_source: Source | None = None

    def __post_init__(self) -> None:
        if self.relative_to is None and self.amount <= 0:
            raise ValueError("a term must run for a positive amount")
        if self.relative_to is not None and self.unit is not Unit.DAYS:
            raise ValueError("relative terms are offsets in days")

    @property
    def to_be_confirmed(self) -> bool:
        """Whether its length, or when it ends on a non-working day, is still to be confirmed."""
        return self.source.to_be_confirmed or (
            self.calendar_source is not None and self.calendar_source.to_be_confirmed
        )

    def describe(self, *, exceptional: bool = False) -> str:
        amount = self.exceptional_amount if exceptional else self.amount
        unit = self.unit.value.replace("_", " ")
        return f"{amount} {unit[:-1] if amount == 1 else unit}"


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = gregorian.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last_day))


Interruption = tuple[dt.datetime, dt.datetime]  # (interrupted at, resumed at)


def run_out(
    term: Term,
    start: dt.datetime,
    calendar: Calendar,
    *,
    exceptional: bool,
    amount: int | None = None,
    interruptions: Sequence[Interruption] = (),
) -> dt.datetime:
    """The aware UTC instant at which `term`, started at `start`, runs out.

    `amount` replaces the term's length (an extended term keeps its unit and calendar rules).
    `interruptions` are the times the term stood still, each resumed (`resumed_last_day`).
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be an aware datetime")
    if amount is not None and amount <= 0:
        raise ValueError("an extended term must run for a positive amount")
    amount = term.amount if amount is None else amount
    if exceptional:
        if term.exceptional_amount is None:
            raise NoExceptionalTerm("this clock has no exceptional length")
        amount = term.exceptional_amount
    if interruptions and term.unit in (Unit.HOURS, Unit.WORKING_DAYS):
        raise ValueError("only day and month terms stand still: art. 45 p. 7 interrupts the terms of investigation")
    if term.unit is Unit.HOURS:
        # Elapsed time: added in UTC, so a change of the zone's offset cannot stretch or shrink it.
        return start.astimezone(dt.UTC) + dt.timedelta(hours=amount)
    first_day = calendar.local_date(start)
    if term.unit is Unit.WORKING_DAYS:
        last_day = calendar.add_working_days(first_day, amount)
    elif term.unit is Unit.DAYS:
        last_day = first_day + dt.timedelta(days=amount)
    else:
        last_day = add_months(first_day, amount)
    moves = term.moves_off_non_working_days or term.unit is Unit.WORKING_DAYS  # the latter always ends on one
    last_day = resumed_last_day(last_day, interruptions, calendar, moves=moves)
    return calendar.end_of_day(calendar.next_working_day(last_day) if moves else last_day)


def resumed_last_day(
    last_day: dt.date, interruptions: Sequence[Interruption], calendar: Calendar, *, moves: bool
) -> dt.date:
    """The last day of a day or month term once it has stood still over `interruptions`, before it
    moves off a non-working day.

    It resumes with the time it had left (CPC art. 45 p. 7, to be confirmed): the time it stood still
    does not count, so its last day moves on by the whole days it stood still, and only then off a
    non-working day (art. 49). Moving on from an end already moved off a weekend would count the
    weekend twice. A term interrupted on a day its end had been moved over had used its own time and
    ran only by that move: it resumes for the day of its resumption, never already run out. A term
    interrupted after it had run out stood still for nothing: the interruption does not move it.
    """
    for interrupted, resumed in sorted(interruptions):
        pause = dt.timedelta(days=days_stood_still(calendar, interrupted, resumed))
        day = calendar.local_date(interrupted)
        moved_to = calendar.next_working_day(last_day) if moves else last_day
        if day <= last_day:
            last_day += pause
        elif day <= moved_to:
            last_day = calendar.local_date(resumed)
    return last_day


def days_stood_still(calendar: Calendar, interrupted: dt.datetime, resumed: dt.datetime) -> int:
    """How many whole local calendar days a term stood still: the days from the local date of its
    interruption to the local date of its resumption (interrupted on the 2nd and resumed on the 5th:
    3). Which of the two end days art. 45 p. 7 counts as running is among what its text must confirm
    (`Rulebook.resumption_source`)."""
    if resumed < interrupted:
        raise ValueError("a term cannot be resumed before it was interrupted")
    return (calendar.local_date(resumed) - calendar.local_date(interrupted)).days


def shift_days(moment: dt.datetime, days: int, calendar: Calendar) -> dt.datetime:
    """Move an instant by whole local calendar days, keeping its local time of day."""
    local = moment.astimezone(calendar.tz)
    shifted_day = local.date() + dt.timedelta(days=days)
    shifted = dt.datetime.combine(shifted_day, local.timetz().replace(tzinfo=None), calendar.tz)
    return shifted.astimezone(dt.UTC)
