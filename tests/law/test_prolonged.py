"""An interrupted term resumes with the time it had left (law.prolonged, law.stood_still)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.law import KAZAKHSTAN, deadline_for, prolonged, rulebook, stood_still

ALMATY = ZoneInfo("Asia/Almaty")
BOOK = rulebook("kz-2026-07")
TERM = "investigation_term.pre_trial_investigation"


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def test_the_last_day_moves_on_by_the_days_stood_still_then_off_the_weekend() -> None:
    end = KAZAKHSTAN.end_of_day(dt.date(2026, 11, 9))  # a Monday
    assert prolonged(TERM, end, 40, rulebook=BOOK) == KAZAKHSTAN.end_of_day(dt.date(2026, 12, 21))  # not Sat 19
    assert prolonged(TERM, end, 0, rulebook=BOOK) == end


def test_whole_days_are_counted_from_the_day_of_the_interruption_to_the_day_of_the_resumption() -> None:
    assert stood_still(local(2026, 9, 7, 23, 50), local(2026, 9, 8, 0, 10), rulebook=BOOK) == 1
    assert stood_still(local(2026, 9, 7, 0, 10), local(2026, 9, 7, 23, 50), rulebook=BOOK) == 0
    assert stood_still(local(2026, 9, 7, 11), local(2026, 10, 17, 13), rulebook=BOOK) == 40


def test_an_hour_term_moves_on_by_the_same_time() -> None:
    end = local(2026, 9, 9, 11)
    assert prolonged("detention", end, 2, rulebook=BOOK) == end + dt.timedelta(days=2)


def test_a_negative_pause_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        prolonged(TERM, KAZAKHSTAN.end_of_day(dt.date(2026, 11, 9)), -1, rulebook=BOOK)


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
    """Interrupted anywhere before its end and resumed any time later, the term still runs on resuming
    and ends no earlier than it would have ended had it never stood still."""
    end = deadline_for(TERM, start, rulebook=BOOK)
    interrupted = start + (end - start) * into
    resumed = interrupted + pause
    new_end = prolonged(TERM, end, stood_still(interrupted, resumed, rulebook=BOOK), rulebook=BOOK)
    assert new_end > resumed
    assert new_end >= end
    assert new_end - end <= pause + dt.timedelta(days=12)  # a day either side, and the longest holiday run
