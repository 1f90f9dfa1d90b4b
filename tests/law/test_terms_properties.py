"""Properties of deadline arithmetic that hold for every clock and every start (CPC art. 49, DOMAIN.md).

Starts are aware instants from 2020 to 2030 in several zones, because callers pass both UTC values
and values in the user's zone. Working days are judged by the `holidays` package directly.
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from oversight.law import Rulebook, Unit, deadline_for, rulebook, rulebook_in_force, rulebooks

ALMATY = ZoneInfo("Asia/Almaty")
LATEST = rulebook("kz-2026-07")
CLOCKS = LATEST.clocks


def clocks_in(*units: Unit) -> list[str]:
    return sorted(code for code, term in CLOCKS.items() if term.unit in units and term.relative_to is None)


HOUR_CLOCKS = clocks_in(Unit.HOURS)
CALENDAR_CLOCKS = sorted(code for code, term in CLOCKS.items() if term.unit is not Unit.HOURS)
WORKING_DAY_CLOCKS = clocks_in(Unit.WORKING_DAYS)
DAY_AND_MONTH_CLOCKS = clocks_in(Unit.DAYS, Unit.MONTHS)
MOVED_CLOCKS = [code for code in DAY_AND_MONTH_CLOCKS if CLOCKS[code].moves_off_non_working_days]
UNMOVED_MONTH_CLOCKS = [
    code for code in clocks_in(Unit.MONTHS) if not CLOCKS[code].moves_off_non_working_days
]  # custody and house arrest

ZONES = st.sampled_from(
    [
        dt.UTC,
        ALMATY,
        dt.timezone(dt.timedelta(hours=5)),
        dt.timezone(dt.timedelta(hours=6)),
        ZoneInfo("Europe/Moscow"),
    ]
)
starts = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001 - Hypothesis bounds are naive; the zone is drawn
    max_value=dt.datetime(2030, 12, 31, 23, 59),  # noqa: DTZ001
    timezones=ZONES,
)
versions = st.sampled_from(rulebooks())

# On the eve of the 1 March 2024 zone change: 24 h from 20:00 UTC+6 is 19:00 UTC+5 the next day.
EVE_OF_ZONE_CHANGE = dt.datetime(2024, 2, 29, 20, 0, tzinfo=ALMATY)

properties = settings(deadline=None)  # the first look-up of a year builds its holiday table


@lru_cache(maxsize=32)
def holiday_calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year)


def is_working_day(day: dt.date) -> bool:
    working: bool = holiday_calendar(day.year).is_working_day(day)
    return working


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ALMATY).date()


def last_day_of(deadline: dt.datetime) -> dt.date:
    """The last local day of a calendar term that ends at 24:00 of that day."""
    return local_day(deadline) - dt.timedelta(days=1)


def same_date_months_later(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return dt.date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def nominal_last_day(clock: str, start: dt.datetime) -> dt.date:
    term = CLOCKS[clock]
    first_day = local_day(start)
    if term.unit is Unit.DAYS:
        return first_day + dt.timedelta(days=term.amount)
    return same_date_months_later(first_day, term.amount)


@pytest.mark.parametrize("clock", HOUR_CLOCKS)
@properties
@given(start=starts, version=versions)
@example(start=EVE_OF_ZONE_CHANGE, version=LATEST)
def test_hour_clock_runs_exactly_its_hours(clock: str, start: dt.datetime, version: Rulebook) -> None:
    deadline = deadline_for(clock, start, rulebook=version)

    assert deadline == start.astimezone(dt.UTC) + dt.timedelta(hours=CLOCKS[clock].amount)
    assert deadline.tzinfo is dt.UTC


@properties
@given(start=starts, version=versions)
@example(start=EVE_OF_ZONE_CHANGE, version=LATEST)
def test_exceptional_detention_runs_exactly_72_hours(start: dt.datetime, version: Rulebook) -> None:
    deadline = deadline_for("detention", start, rulebook=version, exceptional=True)

    assert deadline == start.astimezone(dt.UTC) + dt.timedelta(hours=72)


@pytest.mark.parametrize("clock", CALENDAR_CLOCKS)
@properties
@given(start=starts, version=versions)
def test_calendar_term_ends_at_local_midnight_after_its_start(
    clock: str, start: dt.datetime, version: Rulebook
) -> None:
    deadline = deadline_for(clock, start, rulebook=version)

    assert deadline.tzinfo is dt.UTC
    assert deadline.astimezone(ALMATY).time() == dt.time(0, 0)
    assert deadline > start
    assert local_day(deadline) > local_day(start) + dt.timedelta(days=1)  # the starting day is not counted


@pytest.mark.parametrize("clock", WORKING_DAY_CLOCKS)
@properties
@given(start=starts, version=versions)
def test_working_day_term_counts_exactly_its_working_days(clock: str, start: dt.datetime, version: Rulebook) -> None:
    deadline = deadline_for(clock, start, rulebook=version)
    first_day, last_day = local_day(start), last_day_of(deadline)
    days_after_start = [first_day + dt.timedelta(days=n) for n in range(1, (last_day - first_day).days + 1)]

    assert is_working_day(last_day)
    assert sum(is_working_day(day) for day in days_after_start) == CLOCKS[clock].amount


@pytest.mark.parametrize("clock", MOVED_CLOCKS)
@properties
@given(start=starts, version=versions)
def test_moved_term_ends_on_the_first_working_day_from_its_nominal_last_day(
    clock: str, start: dt.datetime, version: Rulebook
) -> None:
    nominal = nominal_last_day(clock, start)
    last_day = last_day_of(deadline_for(clock, start, rulebook=version))
    skipped = [nominal + dt.timedelta(days=n) for n in range((last_day - nominal).days)]

    assert last_day >= nominal
    assert is_working_day(last_day)
    assert not any(is_working_day(day) for day in skipped)


@pytest.mark.parametrize("clock", UNMOVED_MONTH_CLOCKS)
@properties
@given(start=starts, version=versions)
def test_custody_and_house_arrest_end_on_the_same_date_however_the_day_falls(
    clock: str, start: dt.datetime, version: Rulebook
) -> None:
    last_day = last_day_of(deadline_for(clock, start, rulebook=version))
    first_day = local_day(start)
    months = (last_day.year - first_day.year) * 12 + last_day.month - first_day.month

    assert months == CLOCKS[clock].amount
    assert last_day.day == min(first_day.day, gregorian.monthrange(last_day.year, last_day.month)[1])


@properties
@given(start=starts, version=versions)
@example(start=dt.datetime(2023, 12, 31, 16, 0, tzinfo=ALMATY), version=LATEST)  # custody ends on the 25-hour day
def test_custody_extension_petition_is_due_one_local_day_before_custody_expires(
    start: dt.datetime, version: Rulebook
) -> None:
    custody_ends = deadline_for("custody", start, rulebook=version)
    petition_due = deadline_for("custody_extension_petition", start, rulebook=version)

    assert local_day(petition_due) == local_day(custody_ends) - dt.timedelta(days=1)
    assert petition_due.astimezone(ALMATY).time() == dt.time(0, 0)


@pytest.mark.parametrize("clock", sorted(CLOCKS))
@properties
@given(first=starts, second=starts, version=versions)
# The repeated hour of 29 February 2024: 23:00 with fold=1 (UTC+5) is an hour after 23:00 (UTC+6).
@example(
    first=dt.datetime(2024, 2, 29, 23, 0, fold=1, tzinfo=ALMATY),
    second=dt.datetime(2024, 2, 29, 23, 0, tzinfo=ALMATY),
    version=LATEST,
)
def test_deadline_never_moves_earlier_when_the_start_moves_later(
    clock: str, first: dt.datetime, second: dt.datetime, version: Rulebook
) -> None:
    # Aware datetimes of one zone compare by wall time and ignore fold; order them by the instant.
    earlier, later = sorted((first, second), key=lambda moment: moment.astimezone(dt.UTC))

    assert deadline_for(clock, earlier, rulebook=version) <= deadline_for(clock, later, rulebook=version)


@pytest.mark.parametrize("clock", sorted(CLOCKS))
@properties
@given(start=starts, version=versions)
def test_extension_to_the_same_amount_changes_nothing(clock: str, start: dt.datetime, version: Rulebook) -> None:
    term = CLOCKS[clock]
    anchor = CLOCKS[term.relative_to] if term.relative_to is not None else term

    assert deadline_for(clock, start, rulebook=version, amount=anchor.amount) == deadline_for(
        clock, start, rulebook=version
    )


@pytest.mark.parametrize("clock", clocks_in(Unit.MONTHS))
@properties
@given(start=starts, version=versions, months=st.integers(min_value=1, max_value=17))
def test_longer_extension_never_ends_earlier(clock: str, start: dt.datetime, version: Rulebook, months: int) -> None:
    shorter = deadline_for(clock, start, rulebook=version, amount=months)
    longer = deadline_for(clock, start, rulebook=version, amount=months + 1)

    assert longer > shorter


@properties
@given(
    moment=st.datetimes(
        min_value=dt.datetime(2021, 1, 2),  # noqa: DTZ001 - Hypothesis bounds are naive; the zone is drawn
        max_value=dt.datetime(2030, 12, 31),  # noqa: DTZ001
        timezones=ZONES,
    )
)
def test_rulebook_in_force_is_the_latest_version_effective_on_the_local_date(moment: dt.datetime) -> None:
    today = local_day(moment)
    in_force = rulebook_in_force(moment)
    later_versions = [version for version in rulebooks() if version.effective_from > in_force.effective_from]

    assert in_force.effective_from <= today
    assert all(version.effective_from > today for version in later_versions)
