"""The law as data: rulebooks, calendars, deadline arithmetic. Plain Python, no Django.

Everything that knows a number of hours or days lives here, beside its article.
"""

from __future__ import annotations

import datetime as dt

from oversight.law.calendar import KAZAKHSTAN, Calendar
from oversight.law.kazakhstan import VERSIONS as KAZAKHSTAN_VERSIONS
from oversight.law.roles import OfficeLevel, Role
from oversight.law.rulebook import (
    ApprovalKind,
    DecisionType,
    Effect,
    Rulebook,
    UnknownClock,
    UnknownDecisionType,
)
from oversight.law.terms import NoExceptionalTerm, Term, Unit, run_out, shift_days

__all__ = [
    "KAZAKHSTAN",
    "ApprovalKind",
    "Calendar",
    "DecisionType",
    "Effect",
    "NoExceptionalTerm",
    "OfficeLevel",
    "Role",
    "Rulebook",
    "Term",
    "Unit",
    "UnknownClock",
    "UnknownDecisionType",
    "UnknownRulebook",
    "deadline_for",
    "prolonged",
    "rulebook",
    "rulebook_in_force",
    "rulebooks",
    "stood_still",
]

_BY_COUNTRY: dict[str, tuple[Rulebook, ...]] = {"KZ": KAZAKHSTAN_VERSIONS}
DEFAULT_COUNTRY = "KZ"


class UnknownRulebook(LookupError):
    """No rulebook version with this name, or none in force at the moment asked about."""


def rulebooks(country: str = DEFAULT_COUNTRY) -> tuple[Rulebook, ...]:
    return _BY_COUNTRY[country]


def rulebook(version: str) -> Rulebook:
    for versions in _BY_COUNTRY.values():
        for candidate in versions:
            if candidate.version == version:
                return candidate
    raise UnknownRulebook(version)


def rulebook_in_force(at: dt.datetime, country: str = DEFAULT_COUNTRY) -> Rulebook:
    """The version in force at the instant `at`, judged on the country's local calendar date."""
    if at.tzinfo is None:
        raise ValueError("at must be an aware datetime")
    versions = _BY_COUNTRY[country]
    local_day = versions[0].calendar.local_date(at)
    in_force = [version for version in versions if version.effective_from <= local_day]
    if not in_force:
        raise UnknownRulebook(f"no {country} rulebook in force on {local_day.isoformat()}")
    return max(in_force, key=lambda version: version.effective_from)


def deadline_for(
    clock: str,
    start: dt.datetime,
    *,
    exceptional: bool = False,
    rulebook: Rulebook | None = None,
    amount: int | None = None,
) -> dt.datetime:
    """The aware UTC instant at which `clock`, started at `start`, runs out.

    `rulebook` defaults to the version in force at `start`. `exceptional` selects the clock's
    exceptional length (detention: 72 h instead of 48 h) and raises NoExceptionalTerm where the
    clock has none. `amount` replaces the clock's length for an extended term (custody extended
    to 4 months runs under the custody clock's rules for 4 months from the same start).
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be an aware datetime")
    book = rulebook if rulebook is not None else rulebook_in_force(start)
    term = book.term(clock)
    if term.relative_to is not None:
        anchor = deadline_for(term.relative_to, start, exceptional=exceptional, rulebook=book, amount=amount)
        return shift_days(anchor, term.amount, book.calendar)
    return run_out(term, start, book.calendar, exceptional=exceptional, amount=amount)


def stood_still(interrupted_at: dt.datetime, resumed_at: dt.datetime, *, rulebook: Rulebook | None = None) -> int:
    """How many whole local calendar days a term stood still: the days from the local date of its
    interruption to the local date of its resumption (interrupted on the 2nd and resumed on the 5th:
    3). Which of the two end days art. 45 p. 7 counts as running is among what its text must confirm
    (`Rulebook.resumption_source`)."""
    book = rulebook if rulebook is not None else rulebook_in_force(interrupted_at)
    return (book.calendar.local_date(resumed_at) - book.calendar.local_date(interrupted_at)).days


def prolonged(clock: str, end: dt.datetime, days: int, *, rulebook: Rulebook | None = None) -> dt.datetime:
    """The end of a term of `clock` that ran out at `end`, once it has stood still for `days` days.

    An interrupted term of investigation (CPC art. 45 p. 7, to be confirmed) resumes with the time it
    had left: its last day moves on by the days it stood still, then off a non-working day where the
    term moves (CPC art. 49). Hour terms move on by the same time. A term with time left at the
    interruption therefore never comes back already run out.
    """
    if end.tzinfo is None or end.utcoffset() is None:
        raise ValueError("end must be an aware datetime")
    if days < 0:
        raise ValueError("a term cannot stand still for a negative number of days")
    book = rulebook if rulebook is not None else rulebook_in_force(end)
    term = book.term(clock)
    if term.unit is Unit.HOURS:
        return end + dt.timedelta(days=days)
    # A day or month term ends at 24:00 of its last day; a second earlier is still that day.
    last_day = book.calendar.local_date(end - dt.timedelta(seconds=1)) + dt.timedelta(days=days)
    if term.moves_off_non_working_days:
        last_day = book.calendar.next_working_day(last_day)
    return book.calendar.end_of_day(last_day)
