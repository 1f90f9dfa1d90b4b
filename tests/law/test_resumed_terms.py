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


def test_a_term_interrupted_on_a_day_its_end_was_moved_over_resumes_for_the_day_of_its_resumption() -> None:
    """Past its last day (Sat 7 Nov) the term runs only by the move to Monday: interrupted then, it comes
    back for the day it resumes, not already run out, and with no more time than one interrupted earlier."""
    resumed = local(2026, 11, 18, 12)  # a Wednesday
    assert ends((local(2026, 11, 8, 12), resumed)) == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 18))
    assert ends((local(2026, 11, 9, 12), resumed)) == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 18))
    # Interrupted on its last day, the Saturday resumes as Wed 18 Nov; a day earlier, Friday as Wednesday
    # and Saturday as Thursday.
    assert ends((local(2026, 11, 7, 12), resumed)) == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 18))
    assert ends((local(2026, 11, 6, 12), resumed)) == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 19))
    # Resumed on a Saturday, it is moved off the weekend as any last day is.
    assert ends((local(2026, 11, 8, 12), local(2026, 11, 21, 9))) == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 23))


def test_an_interruption_after_the_term_ran_out_does_not_move_it() -> None:
    """Run out on Mon 9 Nov, interrupted on 20 Nov and resumed on 1 Dec: still run out on 9 Nov. Extended
    to three months (nominally Mon 7 Dec), it was running on 20 Nov, and the 11 days count."""
    pause = (local(2026, 11, 20, 9), local(2026, 12, 1, 9))
    assert ends(pause) == KAZAKHSTAN.end_of_day(dt.date(2026, 11, 9))
    extended = deadline_for(TERM, START, rulebook=BOOK, amount=3, interruptions=[pause])
    assert extended == KAZAKHSTAN.end_of_day(dt.date(2026, 12, 18))


def test_whole_days_are_counted_from_the_day_of_the_interruption_to_the_day_of_the_resumption() -> None:
    assert stood_still(local(2026, 9, 7, 23, 50), local(2026, 9, 8, 0, 10), rulebook=BOOK) == 1
    assert stood_still(local(2026, 9, 7, 0, 10), local(2026, 9, 7, 23, 50), rulebook=BOOK) == 0
    assert stood_still(local(2026, 9, 7, 11), local(2026, 10, 17, 13), rulebook=BOOK) == 40


def test_only_day_and_month_terms_stand_still() -> None:
    pause = (local(2026, 9, 9, 20), local(2026, 9, 11, 8))
    with pytest.raises(ValueError, match="only day and month terms stand still"):
        deadline_for("detention", local(2026, 9, 9, 11), rulebook=BOOK, interruptions=[pause])
    with pytest.raises(ValueError, match="only day and month terms stand still"):
        deadline_for("interruption_review", local(2026, 9, 9, 11), rulebook=BOOK, interruptions=[pause])


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


@settings(max_examples=300, deadline=None)
@given(
    start=STARTS,
    first=st.floats(min_value=0.0, max_value=0.999),
    second=st.floats(min_value=0.0, max_value=0.999),
    pause=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=60)),
)
def test_interrupted_later_and_resumed_at_the_same_moment_it_never_ends_later(
    start: dt.datetime, first: float, second: float, pause: dt.timedelta
) -> None:
    """Less time left at the interruption never buys a later end, across the weekend its end was moved over:
    both interruptions fall in the term's last five days, where its end may have been moved."""
    end = deadline_for(TERM, start, rulebook=BOOK)
    window = dt.timedelta(days=5)
    earlier, later = sorted((end - window + window * first, end - window + window * second))
    resumed = later + pause
    assert deadline_for(TERM, start, rulebook=BOOK, interruptions=[(later, resumed)]) <= deadline_for(
        TERM, start, rulebook=BOOK, interruptions=[(earlier, resumed)]
    )


@settings(max_examples=200, deadline=None)
@given(
    start=STARTS,
    into=st.lists(st.floats(min_value=0.0, max_value=0.999), min_size=2, max_size=4),
    pauses=st.lists(st.integers(min_value=0, max_value=40), min_size=4, max_size=4),
)
def test_after_every_resumption_the_term_still_runs(start: dt.datetime, into: list[float], pauses: list[int]) -> None:
    """Interrupted again and again, each time with time left, it runs on after each resumption."""
    interruptions: list[tuple[dt.datetime, dt.datetime]] = []
    for share, days in zip(sorted(into), pauses, strict=False):
        end = deadline_for(TERM, start, rulebook=BOOK, interruptions=interruptions)
        interrupted = max(start + (end - start) * share, interruptions[-1][1] if interruptions else start)
        if interrupted >= end:
            break
        interruptions.append((interrupted, interrupted + dt.timedelta(days=days)))
        assert deadline_for(TERM, start, rulebook=BOOK, interruptions=interruptions) > interruptions[-1][1]
