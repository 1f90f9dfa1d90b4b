"""Kazakhstan's calendar: the local zone and which days are working days.

Local time is the IANA zone Asia/Almaty (UTC+6 until 1 March 2024, UTC+5 since), read from the
`tzdata` package so that terms spanning the change come out right whatever the host holds.
Public holidays and the government's moved days off come from the `holidays` package.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=8)
def zone(name: str) -> ZoneInfo:
    """The zone from the `tzdata` package (kept current through the lock file), else the host's."""
    try:
        with resources.files("tzdata.zoneinfo").joinpath(name).open("rb") as data:
            return ZoneInfo.from_file(data, key=name)
    except (ModuleNotFoundError, FileNotFoundError):
        return ZoneInfo(name)


@dataclass(frozen=True)
class Calendar:
    """A country's working-day calendar in its legal time zone."""

    country: str
    zone_name: str
    _cache: dict[int, holidays.HolidayBase] = field(default_factory=dict, compare=False, repr=False, hash=False)

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.zone_name)

    def _holidays(self, year: int) -> holidays.HolidayBase:
        found = self._cache.get(year)
        if found is None:
            found = holidays.country_holidays(self.country, years=year)
            self._cache[year] = found
        return found

    def is_working_day(self, day: dt.date) -> bool:
        """Weekends and public holidays are off; a Saturday or Sunday moved to work is on."""
        result: bool = self._holidays(day.year).is_working_day(day)
        return result

    def holiday_name(self, day: dt.date) -> str | None:
        name: str | None = self._holidays(day.year).get(day)
        return name

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def end_of_day(self, day: dt.date) -> dt.datetime:
        """24:00 local time of `day`, i.e. the first instant of the next day, as an aware UTC value."""
        next_day = day + dt.timedelta(days=1)
        local_midnight = dt.datetime.combine(next_day, dt.time(0, 0), tzinfo=self.tz)
        return local_midnight.astimezone(dt.UTC)

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself if it is a working day, else the first working day after it."""
        current = day
        while not self.is_working_day(current):
            current += dt.timedelta(days=1)
        return current

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `day` (the starting day itself is not counted)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        current = day
        remaining = count
        while remaining:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current


KAZAKHSTAN = Calendar(country="KZ", zone_name="Asia/Almaty")
