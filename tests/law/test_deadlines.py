"""Deadlines by hand: one table row per clock and per rule of CPC art. 49 (DOMAIN.md, "How terms are computed").

Every expected instant is written as Kazakhstan local time with `kz(...)`, which applies the offset in
force on that local date by hand (UTC+6 before 1 March 2024, UTC+5 since), so the table does not lean
on the tz database the code under test uses. Calendar facts used (holidays 0.109, Kazakhstan):

- 2024: 1 March the zone moves from UTC+6 to UTC+5; Saturday 4 May is a working day.
- 2025: 1-3 January off (3 January moved from Sunday 5 January, which is worked); 7 January off.
- 2026: 1-2 and 7 January; Nauryz 21-25 March (Saturday to Wednesday); 1, 7, 9 and 11 May;
  6 July (Capital Day); 25-26 October (Republic Day and its observed Monday).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
import pytest

from oversight.law import (
    NoExceptionalTerm,
    Rulebook,
    Term,
    Unit,
    UnknownClock,
    UnknownRulebook,
    deadline_for,
    rulebook,
    rulebook_in_force,
    rulebooks,
)
from oversight.law.terms import Source

ALMATY = ZoneInfo("Asia/Almaty")
ZONE_CHANGE = dt.date(2024, 3, 1)


def kz(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A Kazakhstan wall-clock time as an aware UTC instant (UTC+6 before 1 March 2024, UTC+5 since)."""
    offset = 6 if dt.date(year, month, day) < ZONE_CHANGE else 5
    local = dt.datetime(year, month, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=offset)))
    return local.astimezone(dt.UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


class Row(NamedTuple):
    clock: str
    start: dt.datetime
    expected: dt.datetime
    exceptional: bool = False
    amount: int | None = None


def row(
    name: str,
    clock: str,
    start: dt.datetime,
    expected: dt.datetime,
    *,
    exceptional: bool = False,
    amount: int | None = None,
) -> pytest.ParameterSet:
    return pytest.param(Row(clock, start, expected, exceptional, amount), id=name)


HOUR_ROWS = [
    row("report registration: 24 h", "report_registration", kz(2026, 4, 14, 10, 0), kz(2026, 4, 15, 10, 0)),
    row(
        "report registration started late evening runs across midnight",
        "report_registration",
        kz(2026, 4, 14, 22, 45),
        kz(2026, 4, 15, 22, 45),
    ),
    row(
        "report registration ends on New Year's Day, not moved",
        "report_registration",
        kz(2025, 12, 31, 21, 30),
        kz(2026, 1, 1, 21, 30),
    ),
    row(
        "suspect recognition review runs through a Nauryz night",
        "suspect_recognition_review",
        kz(2026, 3, 21, 23, 59),
        kz(2026, 3, 22, 23, 59),
    ),
    row("detention: 48 h ends on a Nauryz Sunday", "detention", kz(2026, 3, 20, 18, 0), kz(2026, 3, 22, 18, 0)),
    row(
        "detention exceptionally 72 h ends on a Nauryz Monday",
        "detention",
        kz(2026, 3, 20, 18, 0),
        kz(2026, 3, 23, 18, 0),
        exceptional=True,
    ),
    row(
        "qualification announcement: 24 h ends on Victory Day",
        "qualification_announcement",
        kz(2026, 5, 8, 16, 20),
        kz(2026, 5, 9, 16, 20),
    ),
    row(
        "measure petition review: 12 h overnight",
        "measure_petition_review",
        kz(2026, 6, 1, 20, 0),
        kz(2026, 6, 2, 8, 0),
    ),
    row(
        "sanction decision: 24 h ends on Capital Day",
        "sanction_decision",
        kz(2026, 7, 5, 12, 0),
        kz(2026, 7, 6, 12, 0),
    ),
    # 20:00 on 29 February 2024 is 14:00 UTC; 24 elapsed hours later the clocks read 19:00 (UTC+5).
    row(
        "24 h across the zone change, started in UTC: elapsed time, 19:00 local",
        "report_registration",
        utc(2024, 2, 29, 14, 0),
        utc(2024, 3, 1, 14, 0),
    ),
    row(
        "24 h across the zone change, started in Almaty time: elapsed time, 19:00 local",
        "report_registration",
        dt.datetime(2024, 2, 29, 20, 0, tzinfo=ALMATY),
        utc(2024, 3, 1, 14, 0),
    ),
    row(
        "48 h detention across the zone change, started in Almaty time",
        "detention",
        dt.datetime(2024, 2, 29, 12, 0, tzinfo=ALMATY),
        utc(2024, 3, 2, 6, 0),
    ),
]

WORKING_DAY_ROWS = [
    row(
        "qualification review: 1 working day from a Friday is Monday",
        "qualification_review",
        kz(2026, 4, 17, 15, 0),
        kz(2026, 4, 21),
    ),
    row(
        "qualification review started on a Saturday: the starting day is not counted",
        "qualification_review",
        kz(2026, 4, 18, 10, 0),
        kz(2026, 4, 21),
    ),
    row(
        "qualification review from the Friday before Nauryz ends after Thursday 26 March",
        "qualification_review",
        kz(2026, 3, 20, 11, 0),
        kz(2026, 3, 27),
    ),
    row(
        "interruption review: 3 working days across Nauryz (Fri 20, Thu 26, Fri 27)",
        "interruption_review",
        kz(2026, 3, 19, 9, 0),
        kz(2026, 3, 28),
    ),
    row(
        "extension review: 3 working days across a weekend (Thu, Fri, Mon)",
        "extension_review",
        kz(2026, 4, 15, 10, 0),
        kz(2026, 4, 21),
    ),
    row(
        "termination review: 10 working days across the May holidays",
        "termination_review",
        kz(2026, 4, 27, 10, 0),
        kz(2026, 5, 15),
    ),
    row(
        "completion review: 10 working days over two weekends",
        "completion_review",
        kz(2026, 2, 2, 10, 0),
        kz(2026, 2, 17),
    ),
    row(
        "accusation protocol review: the worked Sunday 5 January 2025 counts (Sun 5, Mon 6, Wed 8)",
        "accusation_protocol_review",
        kz(2024, 12, 31, 10, 0),
        kz(2025, 1, 9),
    ),
    row(
        "qualification review over New Year 2025 ends after the worked Sunday",
        "qualification_review",
        kz(2024, 12, 31, 10, 0),
        kz(2025, 1, 6),
    ),
    row(
        "investigative petition review from a Friday ends after the worked Saturday 4 May 2024",
        "investigative_petition_review",
        kz(2024, 5, 3, 17, 0),
        kz(2024, 5, 5),
    ),
    row(
        "indictment review: 10 working days over Capital Day",
        "indictment_review",
        kz(2026, 7, 1, 10, 0),
        kz(2026, 7, 17),
    ),
]

DAY_ROWS = [
    row("petition decision: 3 days, Monday to Thursday", "petition_decision", kz(2026, 4, 13, 10, 0), kz(2026, 4, 17)),
    row(
        "petition decision started just after midnight: the starting day is not counted",
        "petition_decision",
        kz(2026, 4, 13, 0, 5),
        kz(2026, 4, 17),
    ),
    row(
        "petition decision started just before midnight ends at the same instant",
        "petition_decision",
        kz(2026, 4, 13, 23, 55),
        kz(2026, 4, 17),
    ),
    row(
        "petition decision whose last day is a Saturday ends on Monday",
        "petition_decision",
        kz(2026, 4, 15, 10, 0),
        kz(2026, 4, 21),
    ),
    row(
        "petition decision whose last day falls in Nauryz ends on Thursday 26 March",
        "petition_decision",
        kz(2026, 3, 18, 10, 0),
        kz(2026, 3, 27),
    ),
    row(
        "complaint to the prosecutor: 3 days, Tuesday to Friday",
        "complaint_to_prosecutor",
        kz(2026, 5, 5, 9, 0),
        kz(2026, 5, 9),
    ),
    row(
        "complaint to the prosecutor ending on Victory Day moves past its observed Monday",
        "complaint_to_prosecutor",
        kz(2026, 5, 6, 9, 0),
        kz(2026, 5, 13),
    ),
    row(
        "special subject consent: 2 days ending on 1 January move to Monday 5 January",
        "special_subject_consent",
        kz(2025, 12, 30, 15, 0),
        kz(2026, 1, 6),
    ),
    row(
        "expedited investigation: 15 days",
        "investigation_term.expedited",
        kz(2026, 6, 1, 10, 0),
        kz(2026, 6, 17),
    ),
    row(
        "protocol form: 10 days ending on Republic Day move past its observed Monday",
        "investigation_term.protocol_form",
        kz(2026, 10, 15, 10, 0),
        kz(2026, 10, 28),
    ),
    # Started under UTC+6, ends at 24:00 of Friday 1 March 2024 under UTC+5: 19:00 UTC, not 18:00.
    row(
        "petition decision across the zone change ends at 24:00 in UTC+5",
        "petition_decision",
        kz(2024, 2, 27, 10, 0),
        utc(2024, 3, 1, 19, 0),
    ),
    row(
        "custody extension petition: one day before custody expires",
        "custody_extension_petition",
        kz(2026, 1, 15, 14, 0),
        kz(2026, 3, 15),
    ),
    row(
        "custody extension petition across the zone change",
        "custody_extension_petition",
        kz(2024, 1, 5, 10, 0),
        utc(2024, 3, 4, 19, 0),
    ),
    # Custody from 31 December 2023 ends at 24:00 on the 25-hour 29 February; the petition is due at its 00:00 (UTC+6).
    row(
        "custody extension petition: one local day before custody ending on the day of the zone change",
        "custody_extension_petition",
        kz(2023, 12, 31, 16, 0),
        utc(2024, 2, 28, 18, 0),
    ),
    row(
        "custody extension petition for custody extended to 4 months",
        "custody_extension_petition",
        kz(2026, 1, 9, 11, 0),
        kz(2026, 5, 9),
        amount=4,
    ),
]

MONTH_ROWS = [
    row(
        "custody: 2 months ending on a Sunday, not moved",
        "custody",
        kz(2026, 1, 15, 14, 0),
        kz(2026, 3, 16),
    ),
    row(
        "custody ending on a Nauryz Sunday, not moved",
        "custody",
        kz(2026, 1, 22, 14, 0),
        kz(2026, 3, 23),
    ),
    row(
        "custody from 31 December ends on 28 February (a Saturday), not moved",
        "custody",
        kz(2025, 12, 31, 16, 0),
        kz(2026, 3, 1),
    ),
    # 29 February 2024 lasted 25 hours: its 24:00 is 00:00 on 1 March in UTC+5.
    row(
        "custody from 31 December 2023 ends on 29 February 2024, at 24:00 in UTC+5",
        "custody",
        kz(2023, 12, 31, 16, 0),
        utc(2024, 2, 29, 19, 0),
    ),
    row(
        "custody extended to 4 months from the same start ends on Victory Day, not moved",
        "custody",
        kz(2026, 1, 9, 11, 0),
        kz(2026, 5, 10),
        amount=4,
    ),
    row(
        "house arrest: 2 months ending on Victory Day, not moved",
        "house_arrest",
        kz(2026, 3, 9, 12, 0),
        kz(2026, 5, 10),
    ),
    row(
        "investigation from 31 December: 28 February is a Saturday, so it ends on Monday 2 March",
        "investigation_term.pre_trial_investigation",
        kz(2025, 12, 31, 16, 0),
        kz(2026, 3, 3),
    ),
    row(
        "investigation extended to 3 months ending on Victory Day moves to Tuesday 12 May",
        "investigation_term.pre_trial_investigation",
        kz(2026, 2, 9, 10, 0),
        kz(2026, 5, 13),
        amount=3,
    ),
    row(
        "inquiry from 31 March ends on 30 April",
        "investigation_term.inquiry",
        kz(2026, 3, 31, 10, 0),
        kz(2026, 5, 1),
    ),
    row(
        "inquiry ending on Victory Day moves past its observed Monday",
        "investigation_term.inquiry",
        kz(2026, 4, 9, 10, 0),
        kz(2026, 5, 13),
    ),
]

TABLE = HOUR_ROWS + WORKING_DAY_ROWS + DAY_ROWS + MONTH_ROWS


def table_rows() -> list[Row]:
    rows = []
    for parameter_set in TABLE:
        (table_row,) = parameter_set.values
        assert isinstance(table_row, Row)
        rows.append(table_row)
    return rows


@pytest.mark.parametrize("case", TABLE)
def test_deadline(case: Row) -> None:
    deadline = deadline_for(case.clock, case.start, exceptional=case.exceptional, amount=case.amount)

    assert deadline == case.expected
    assert deadline.tzinfo is dt.UTC


@pytest.mark.parametrize("version", rulebooks(), ids=lambda version: version.version)
def test_every_clock_has_a_row_in_the_table(version: Rulebook) -> None:
    clocks_in_table = {case.clock for case in table_rows()}

    assert set(version.clocks) - clocks_in_table == set()


@pytest.mark.parametrize("version", rulebooks(), ids=lambda version: version.version)
def test_every_review_clock_has_a_row_in_the_table(version: Rulebook) -> None:
    clocks_in_table = {case.clock for case in table_rows()}
    review_clocks = {
        decision_type.review_clock
        for decision_type in version.decision_types.values()
        if decision_type.review_clock is not None
    }

    assert review_clocks <= clocks_in_table


def test_the_calendar_facts_the_table_rests_on() -> None:
    """The calendar facts the table rests on, read from the holidays package itself."""
    calendar_2026 = holidays.country_holidays("KZ", years=2026)
    nauryz = [dt.date(2026, 3, day) for day in range(21, 26)]
    assert all(day in calendar_2026 for day in nauryz)
    assert dt.date(2026, 3, 26) not in calendar_2026

    calendar_2025 = holidays.country_holidays("KZ", years=2025)
    assert dt.date(2025, 1, 5) in calendar_2025.weekend_workdays
    calendar_2024 = holidays.country_holidays("KZ", years=2024)
    assert dt.date(2024, 5, 4) in calendar_2024.weekend_workdays

    assert dt.datetime(2024, 2, 28, 12, tzinfo=ALMATY).utcoffset() == dt.timedelta(hours=6)
    assert dt.datetime(2024, 3, 1, 12, tzinfo=ALMATY).utcoffset() == dt.timedelta(hours=5)


# --- errors ---------------------------------------------------------------------------------------

CLOCKS_WITHOUT_EXCEPTIONAL_TERM = sorted(
    code
    for code, term in rulebook("kz-2026-07").clocks.items()
    if term.exceptional_amount is None and code != "detention"
)


def test_only_detention_has_an_exceptional_term() -> None:
    version = rulebook("kz-2026-07")
    with_exceptional = {code for code, term in version.clocks.items() if term.exceptional_amount is not None}

    assert with_exceptional == {"detention"}


@pytest.mark.parametrize("clock", CLOCKS_WITHOUT_EXCEPTIONAL_TERM)
def test_exceptional_term_on_a_clock_without_one_is_refused(clock: str) -> None:
    with pytest.raises(NoExceptionalTerm):
        deadline_for(clock, kz(2026, 4, 14, 10, 0), exceptional=True)


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        deadline_for("detention", dt.datetime(2026, 4, 14, 10, 0))  # noqa: DTZ001 - naive on purpose


def test_naive_moment_is_refused_when_choosing_the_rulebook() -> None:
    with pytest.raises(ValueError, match="aware"):
        rulebook_in_force(dt.datetime(2026, 4, 14, 10, 0))  # noqa: DTZ001 - naive on purpose


def test_unknown_clock_is_refused() -> None:
    with pytest.raises(UnknownClock):
        deadline_for("coffee_break", kz(2026, 4, 14, 10, 0))


@pytest.mark.parametrize("amount", [0, -2])
def test_extension_to_a_non_positive_amount_is_refused(amount: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        deadline_for("custody", kz(2026, 1, 15, 14, 0), amount=amount)


def test_extension_keeps_the_clock_rules_and_changes_only_the_length() -> None:
    start = kz(2026, 1, 15, 14, 0)

    assert deadline_for("custody", start, amount=2) == deadline_for("custody", start)
    assert deadline_for("custody", start, amount=4) == kz(2026, 5, 16)


# --- which rulebook -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "version"),
    [
        pytest.param(utc(2021, 6, 1, 9, 0), "kz-2021", id="mid 2021"),
        pytest.param(kz(2021, 1, 1), "kz-2021", id="first local instant of 2021"),
        pytest.param(kz(2021, 12, 31, 23, 59), "kz-2021", id="last local minute of 2021"),
        pytest.param(utc(2021, 12, 31, 18, 0), "kz-2022", id="2021-12-31 18:00 UTC is already 2022 in Almaty"),
        pytest.param(utc(2023, 5, 1, 9, 0), "kz-2022", id="2023"),
        pytest.param(utc(2026, 6, 30, 18, 59), "kz-2022", id="30 June 2026 23:59 local"),
        pytest.param(utc(2026, 6, 30, 19, 0), "kz-2026-07", id="30 June 2026 19:00 UTC is 1 July in Almaty"),
        pytest.param(utc(2027, 3, 1, 9, 0), "kz-2026-07", id="2027"),
    ],
)
def test_rulebook_in_force_is_judged_on_the_local_date(moment: dt.datetime, version: str) -> None:
    assert rulebook_in_force(moment).version == version


def test_no_rulebook_is_in_force_before_2021() -> None:
    with pytest.raises(UnknownRulebook):
        rulebook_in_force(kz(2020, 12, 31, 23, 59))


def test_unknown_rulebook_version_is_refused() -> None:
    with pytest.raises(UnknownRulebook):
        rulebook("kz-1999")


def test_deadline_uses_the_rulebook_passed_explicitly() -> None:
    in_force = rulebook_in_force(kz(2026, 4, 14, 10, 0))
    twelve_hours = Term(12, Unit.HOURS, Source("test", "a shorter registration term"))
    amended = dataclasses.replace(
        in_force, version="kz-test", clocks={**in_force.clocks, "report_registration": twelve_hours}
    )
    start = kz(2026, 4, 14, 10, 0)

    assert deadline_for("report_registration", start) == kz(2026, 4, 15, 10, 0)
    assert deadline_for("report_registration", start, rulebook=amended) == kz(2026, 4, 14, 22, 0)


def test_explicit_rulebook_may_lack_a_clock_the_one_in_force_has() -> None:
    in_force = rulebook_in_force(kz(2026, 4, 14, 10, 0))
    clocks = {code: term for code, term in in_force.clocks.items() if code != "petition_decision"}
    amended = dataclasses.replace(in_force, version="kz-test", clocks=clocks)

    with pytest.raises(UnknownClock):
        deadline_for("petition_decision", kz(2026, 4, 14, 10, 0), rulebook=amended)
