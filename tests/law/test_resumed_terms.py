"""An interrupted term resumes with the time it had left (law.deadline_for's interruptions, law.stood_still)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.law import KAZAKHSTAN, deadline_for, rulebook, stood_still

ALMATY = ZoneInfo("Asia/Almaty")
BOOK = rulebook("kz-2026-07")
TERM = "investigation_term.pre_trial_investigation"
START = dt.datetime(2026, 9, 7, 10, tzinfo=ALMATY)  # a Monday: two months end on Sat 7 Nov, moved to Mon 9 Nov


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def ends(*interruptions: tuple[dt.datetime, dt.datetime]) -> dt.datetime:
    return deadline_for(TERM, START, rulebook=BOOK, interruptions=interruptions)


def test_the_last_day_moves_on_by_the_days_stood_still_and_off_a_non_working_day_once() -> None:
    assert ends() == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 9))
    # 40 days from Sat 7 Nov is Thu 17 Dec, a working day. Moving on from the Monday the end had been
    # moved to would give Sat 19 Dec, moved again to Mon 21 Dec: the weekend counted twice.
    assert ends((local(2026, 9, 7, 11), local(2026, 10, 17, 13))) == KAZAKHSTAN.end_of_day(dt.date(2026, 12, 17))


def test_a_moved_last_day_is_moved_off_the_non_working_days_it_lands_on() -> None:
    # 38 days from Sat 7 Nov is Tue 15 Dec; 39 is Wed 16 Dec, Independence Day, so Thu 17 Dec.
    assert ends((local(2026, 9, 10), local(2026, 10, 18))) == KAZAKHSTAN.end_of_day(dt.date(2026, 12, 15))
    assert ends((local(2026, 9, 10), local(2026, 10, 19))) == KAZAKHSTAN.end_of_day(dt.date(2026, 12, 17))


def test_every_interruption_counts_in_the_order_they_happened() -> None:
    first = (local(2026, 9, 20, 9), local(2026, 9, 25, 9))  # 5 days
    second = (local(2026, 10, 1, 9), local(2026, 10, 4, 9))  # 3 days
    # Sat 7 Nov + 8 days: Sun 15 Nov, moved to Mon 16 Nov.
    assert ends(second, first) == ends(first, second) == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 16))


def test_a_term_interrupted_on_a_day_its_end_was_moved_over_resumes_with_that_time() -> None:
    """The weekend the end was moved over is the term's own time once it has reached it."""
    # Interrupted on Sun 8 Nov, with Monday still to run; resumed 10 days later, on Wed 18 Nov: Thu 19 Nov.
    assert ends((local(2026, 11, 8, 12), local(2026, 11, 18, 12))) == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 19))
    # Interrupted on its last day before the move, Sat 7 Nov: the Saturday resumes as Wed 18 Nov, a working day.
    assert ends((local(2026, 11, 7, 12), local(2026, 11, 18, 12))) == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 18))


def test_whole_days_are_counted_from_the_day_of_the_interruption_to_the_day_of_the_resumption() -> None:
    assert stood_still(local(2026, 9, 7, 23, 50), local(2026, 9, 8, 0, 10), rulebook=BOOK) == 1
    assert stood_still(local(2026, 9, 7, 0, 10), local(2026, 9, 7, 23, 50), rulebook=BOOK) == 0
    assert stood_still(local(2026, 9, 7, 11), local(2026, 10, 17, 13), rulebook=BOOK) == 40


def test_an_hour_term_moves_on_by_the_same_time() -> None:
    start = local(2026, 9, 9, 11)
    pause = (local(2026, 9, 9, 20), local(2026, 9, 11, 8))
    assert deadline_for("detention", start, rulebook=BOOK, interruptions=[pause]) == start + dt.timedelta(hours=48 + 48)


def test_a_resumption_before_the_interruption_is_refused() -> None:
    with pytest.raises(ValueError, match="resumed before"):
        ends((local(2026, 9, 10), local(2026, 9, 9)))


STARTS = st.datetimes(
    min_value=dt.datetime(2024, 3, 2),  # noqa: DTZ001 - hypothesis's bounds are naive; `timezones` zones them
    max_value=dt.datetime(2029, 12, 31),  # noqa: DTZ001
    timezones=st.just(ALMATY),
)


@settings(max_examples=300, deadline=None)
@given(
    start=STARTS,
    into=st.floats(min_value=0.0, max_value=0.999),
    pause=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=400)),
)
def test_a_term_with_time_left_never_comes_back_run_out(start: dt.datetime, into: float, pause: dt.timedelta) -> None:
    """Interrupted anywhere before its end, its weekend days included, and resumed any time later,
    the term still runs on resuming and ends no earlier than it would have ended had it never stood
    still."""
    end = deadline_for(TERM, start, rulebook=BOOK)
    interrupted = start + (end - start) * into
    resumed = interrupted + pause
    new_end = deadline_for(TERM, start, rulebook=BOOK, interruptions=[(interrupted, resumed)])
    assert new_end > resumed
    assert new_end >= end
    assert KAZAKHSTAN.is_working_day(KAZAKHSTAN.local_date(new_end - dt.timedelta(seconds=1)))
    assert new_end - end <= pause + dt.timedelta(days=12)  # a day either side, and the longest holiday run
