"""The law as data: rulebooks, calendars, deadline arithmetic. Plain Python, no Django.

Everything that knows a number of hours or days lives here, beside its article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

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
from oversight.law.terms import Interruption, NoExceptionalTerm, Term, Unit, days_stood_still, run_out, shift_days

__all__ = [
    "KAZAKHSTAN",
    "ApprovalKind",
    "Calendar",
    "DecisionType",
    "Effect",
    "Interruption",
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
    interruptions: Sequence[Interruption] = (),
) -> dt.datetime:
    """The aware UTC instant at which `clock`, started at `start`, runs out.

    `rulebook` defaults to the version in force at `start`. `exceptional` selects the clock's
    exceptional length (detention: 72 h instead of 48 h) and raises NoExceptionalTerm where the
    clock has none. `amount` replaces the clock's length for an extended term (custody extended
    to 4 months runs under the custody clock's rules for 4 months from the same start).

    `interruptions` are the (interrupted, resumed) instants of every time the term stood still: it
    resumes with the time it had left (CPC art. 45 p. 7, to be confirmed), its last day moved on by
    the whole days it stood still before it moves off a non-working day (`terms.resumed_last_day`).
    The end is always computed from the term's start this way, never from an end already moved off
    a weekend, which would move it twice.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be an aware datetime")
    book = rulebook if rulebook is not None else rulebook_in_force(start)
    term = book.term(clock)
    if term.relative_to is not None:
        anchor = deadline_for(
            term.relative_to,
            start,
            exceptional=exceptional,
            rulebook=book,
            amount=amount,
            interruptions=interruptions,
        )
        return shift_days(anchor, term.amount, book.calendar)
    return run_out(term, start, book.calendar, exceptional=exceptional, amount=amount, interruptions=interruptions)


def stood_still(interrupted_at: dt.datetime, resumed_at: dt.datetime, *, rulebook: Rulebook | None = None) -> int:
    """How many whole local calendar days a term stood still (`terms.days_stood_still`)."""
    book = rulebook if rulebook is not None else rulebook_in_force(interrupted_at)
    return days_stood_still(book.calendar, interrupted_at, resumed_at)
